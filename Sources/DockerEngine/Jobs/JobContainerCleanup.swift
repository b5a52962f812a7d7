/// Swarm does not remove the container of a job's task when the job's service is removed: every finished job
/// would leave an exited container (and keep its image in use) on its node. This removes them.
///
/// Only containers of this daemon's node can be removed; one on another node stays until that node's daemon
/// prunes it (`docker container prune`), and the caller cannot do better through this daemon.
public enum JobContainerCleanup {
    /// The containers of `service`'s tasks, read before the service is removed (its tasks go with it).
    public static func containers(of service: String, on client: DockerClient) async -> [String] {
        let tasks = (try? await client.listTasks(filters: DockerFilters(["service": [service]]))) ?? []
        return tasks.compactMap { $0.status?.containerStatus?.containerID }.filter { !$0.isEmpty }
    }

    /// Removes `containers` (best effort: gone or on another node is fine).
    public static func remove(_ containers: [String], on client: DockerClient) async {
        for container in containers {
            try? await client.removeContainer(container, force: true)
        }
    }

    /// Removes the stopped containers labelled `key=value` on this node whose job service no longer exists: what
    /// earlier runs (or a killed process) left behind. A container whose service still exists belongs to a job
    /// that may be reading its output right now (another process, a parallel test), so it is left alone.
    public static func sweepExited(label key: String, _ value: String, on client: DockerClient) async {
        let filters = DockerFilters(["label": ["\(key)=\(value)"], "status": ["exited", "created", "dead"]])
        guard let stopped = try? await client.listContainers(filters: filters), !stopped.isEmpty,
            let services = try? await client.listServices()
        else { return }
        let live = Set(services.map(\.id))
        let orphans = stopped.filter { container in
            guard let service = container.labels?["com.docker.swarm.service.id"] else { return false }
            return !live.contains(service)
        }
        await remove(orphans.map(\.id), on: client)
    }
}
