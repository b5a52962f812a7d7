import Foundation

/// Tells when Swarm has given up on a service: its restart policy's `max_attempts` is used up in a replica slot, so
/// the orchestrator will never start a task there again, although the spec (and so `up`'s plan) still asks for it.
/// Only a changed task spec makes Swarm try again; a plan with nothing to change would otherwise leave it down for
/// good (seen on a machine whose dockerd restarted a few times: each restart killed the task, exit 255).
enum RestartExhaustion {
    /// Whether the service can be in that state at all: replicated, with a limited number of restart attempts.
    static func isPossible(for service: Service) -> Bool {
        guard let policy = service.spec?.taskTemplate?.restartPolicy, let attempts = policy.maxAttempts, attempts > 0 else { return false }
        guard service.spec?.mode?.global == nil, service.spec?.mode?.replicatedJob == nil, service.spec?.mode?.globalJob == nil else {
            return false
        }
        let desired = service.serviceStatus?.desiredTasks ?? 0
        return desired > 0 && (service.serviceStatus?.runningTasks ?? 0) < desired
    }

    /// Why Swarm will not start the service's missing tasks again, or nil when every slot still has a task it
    /// means to run. `tasks` are the service's tasks (any state).
    static func reason(for service: Service, tasks: [SwarmTask]) -> String? {
        guard isPossible(for: service) else { return nil }
        let desired = Int(service.serviceStatus?.desiredTasks ?? 0)
        let attempts = service.spec?.taskTemplate?.restartPolicy?.maxAttempts ?? 0
        // A slot is alive while one of its tasks is meant to run (starting, running, or waiting for a restart).
        let liveSlots = Set(tasks.filter { $0.desiredState == "running" || $0.desiredState == "ready" }.compactMap(\.slot))
        let slots = Set(tasks.compactMap(\.slot))
        let abandoned = slots.subtracting(liveSlots)
        guard !abandoned.isEmpty, liveSlots.count < desired else { return nil }
        let failed = tasks.filter { task in
            abandoned.contains(task.slot ?? -1) && ["failed", "rejected"].contains(task.status?.state ?? "")
        }
        guard let latest = failed.max(by: { (EngineTimestamp.parse($0.createdAt ?? "") ?? .distantPast) < (EngineTimestamp.parse($1.createdAt ?? "") ?? .distantPast) })
        else { return nil }
        return "Swarm stopped restarting it (restart_policy.max_attempts: \(attempts)); \(failed.count) failed task(s) kept, "
            + "latest: \(DockerClusterDriver.describe(latest))"
    }
}
