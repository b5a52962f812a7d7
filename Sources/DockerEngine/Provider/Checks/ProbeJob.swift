import Foundation
import SprocketCore

/// A one-shot `replicated-job` service that runs one probe and is removed after it, pass or fail.
///
/// It joins the network it probes (so nothing needs publishing), uses `endpoint_mode: dnsrr` (it answers no
/// requests, and needs no IPVS), never restarts, and carries the stack environment's labels plus
/// `io.sprocket.probe=true`, so `down`, the next `up` (pruning) or ``DockerCheckProbe`` itself (sweeping
/// leftovers of an interrupted run) removes it if the removal here could not happen.
struct ProbeJob {
    let client: DockerClient
    var pollInterval: Duration = .milliseconds(250)

    /// How the job ended.
    struct Outcome {
        /// The task's last state (`complete`, `failed`, `rejected`, ...), or the state it was stuck in.
        var state: String
        /// True when the task reached an end state before the deadline.
        var finished: Bool
        var exitCode: Int?
        var error: String?
        var logLines: [String]
    }

    static let endStates: Set<String> = ["complete", "failed", "rejected", "shutdown", "orphaned", "remove"]

    /// Creates the job, waits for its task to end (at most `deadline`), reads its output and removes it.
    func run(
        name: String, image: String, command: [String], environment: [String], network: String?, labels: [String: String],
        deadline: Duration
    ) async throws -> Outcome {
        var container = ContainerSpec(image: image, labels: labels, command: command, env: environment.isEmpty ? nil : environment)
        container.stopGracePeriod = 1_000_000_000
        let spec = ServiceSpec(
            name: name, labels: labels,
            taskTemplate: TaskSpec(
                containerSpec: container, restartPolicy: TaskSpec.RestartPolicy(condition: "none"),
                networks: network.map { [TaskSpec.NetworkAttachment(target: $0)] }),
            mode: .replicatedJob(maxConcurrent: 1, totalCompletions: 1),
            endpointSpec: ServiceSpec.EndpointSpec(mode: "dnsrr"))
        let created = try await client.createService(spec)
        do {
            let outcome = try await wait(serviceID: created.id, deadline: deadline)
            await remove(created.id)
            return outcome
        } catch {
            await remove(created.id)
            throw error
        }
    }

    private func wait(serviceID: String, deadline: Duration) async throws -> Outcome {
        let end = ContinuousClock.now + deadline
        var last: SwarmTask?
        while true {
            let tasks = try await client.listTasks(filters: DockerFilters(["service": [serviceID]]))
            last = tasks.max { ($0.createdAt ?? "") < ($1.createdAt ?? "") } ?? last
            if let task = last, Self.endStates.contains(task.status?.state ?? "") { break }
            guard ContinuousClock.now < end else {
                return Outcome(state: last?.status?.state ?? "not scheduled", finished: false, exitCode: nil,
                               error: last?.status?.err, logLines: await logs(serviceID))
            }
            try await Task.sleep(for: pollInterval)
        }
        return Outcome(
            state: last?.status?.state ?? "unknown", finished: true, exitCode: last?.status?.containerStatus?.exitCode,
            error: last?.status?.err, logLines: await logs(serviceID))
    }

    /// The job's output; empty when the daemon cannot give it (the report then says what the task said).
    private func logs(_ serviceID: String) async -> [String] {
        ((try? await client.serviceLogs(serviceID, tail: 400, timeout: .seconds(10))) ?? []).map(\.text)
    }

    private func remove(_ serviceID: String) async {
        let containers = await JobContainerCleanup.containers(of: serviceID, on: client)
        try? await client.removeService(serviceID)
        await JobContainerCleanup.remove(containers, on: client)
    }

    /// A unique, valid service name below the stack environment's prefix (Docker allows 63 characters).
    static func name(prefix: String) -> String {
        let suffix = "_probe-" + String(UInt32.random(in: .min ... .max), radix: 16).leftPadded(to: 8)
        return String(prefix.prefix(63 - suffix.count)) + suffix
    }
}
