import Foundation
import SprocketCore

/// Runs one container to completion as a Swarm job (`ReplicatedJob`, one completion, no restart) and returns its
/// output: the way to do work from inside the cluster, e.g. on an overlay network the operator's machine cannot
/// reach.
///
/// Files reach the container as Docker configs and secrets created for this run only, never as environment
/// variables or arguments, and everything the run created (service, configs, secrets) is removed when it ends,
/// whether it succeeded, failed or timed out. Objects a killed earlier run left behind are swept first.
public struct SwarmOneShotJob: Sendable {
    /// A file the container reads.
    public struct File: Sendable {
        /// Absolute path in the container, e.g. `/run/secrets/pg-admin-password`.
        public var target: String
        public var content: [UInt8]
        /// Secrets are held encrypted by Swarm and mounted on tmpfs; configs are for what is not secret.
        public var isSecret: Bool

        public init(target: String, content: [UInt8], isSecret: Bool) {
            self.target = target
            self.content = content
            self.isSecret = isSecret
        }
    }

    /// How the run ended.
    public struct Outcome: Sendable {
        /// The container's exit code (nil when it never ran, e.g. rejected).
        public var exitCode: Int?
        /// The final task state: `complete`, `failed`, `rejected`, …, or the state it was in at the deadline.
        public var state: String
        /// False when the task had not ended by the deadline (``start(on:)`` only; ``run(on:)`` throws instead).
        public var finished: Bool
        /// The task's error message when it did not complete.
        public var error: String?
        /// Everything the container wrote, in order.
        public var output: [LogLine]
    }

    /// The label every object of a job carries, with the job's purpose as value; the sweep finds leftovers by it.
    public static let jobLabel = "io.sprocket.job"
    /// The label naming the run, shared by its service, configs and secrets.
    public static let runLabel = "io.sprocket.job.run"

    public var purpose: String
    public var image: String
    public var command: [String]
    public var files: [File]
    /// Docker network names or IDs the container joins.
    public var networks: [String]
    public var constraints: [String]
    public var labels: [String: String]
    public var timeout: Duration
    /// Environment variables that are not secret (secrets go in ``files``).
    public var environment: [String] = []
    /// The service's name; nil: `sprocket-job-<purpose>-<random>`.
    public var name: String?
    /// Whether each run first removes what killed earlier runs of ``purpose`` left; a caller running many short
    /// jobs sweeps once itself instead.
    public var sweepsLeftovers = true
    /// How often the task's state is read while waiting.
    public var pollInterval: Duration = .milliseconds(250)

    public init(
        purpose: String, image: String, command: [String], files: [File] = [], networks: [String] = [], constraints: [String] = [],
        labels: [String: String] = [:], timeout: Duration = .seconds(300)
    ) {
        self.purpose = purpose
        self.image = image
        self.command = command
        self.files = files
        self.networks = networks
        self.constraints = constraints
        self.labels = labels
        self.timeout = timeout
    }

    /// Runs the job and waits for it to end.
    /// - Throws: ``SprocketError`` (`engine`) when an object cannot be created, or (`convergence`) when the job
    ///   has not ended within ``timeout``; the objects are removed either way.
    public func run(on client: DockerClient) async throws -> Outcome {
        let outcome = try await start(on: client)
        guard outcome.finished else {
            throw SprocketError(
                .convergence, "the \(purpose) job did not finish within \(timeout) (its task: \(outcome.state)\(outcome.error.map { ": \($0)" } ?? ""))",
                subject: "job \(purpose)",
                hint: "check that image \(image) exists on the node that runs it and that the job's network is reachable; "
                    + "`docker service ps` shows a job's task while it runs")
        }
        return outcome
    }

    /// Runs the job and waits at most ``timeout`` for it to end; an unfinished job is reported, not thrown.
    /// - Throws: ``SprocketError`` (`engine`) when an object cannot be created; the objects are removed either way.
    public func start(on client: DockerClient) async throws -> Outcome {
        if sweepsLeftovers { await Self.sweep(purpose: purpose, olderThan: timeout + .seconds(60), on: client) }
        let run = "\(purpose)-\(UUID().uuidString.prefix(8).lowercased())"
        let runLabels = labels.merging([Self.jobLabel: purpose, Self.runLabel: run]) { _, new in new }
        var created = CreatedObjects()
        do {
            let outcome = try await start(run: run, labels: runLabels, created: &created, on: client)
            await created.remove(on: client)
            return outcome
        } catch {
            await created.remove(on: client)
            throw error
        }
    }

    private func start(run: String, labels: [String: String], created: inout CreatedObjects, on client: DockerClient) async throws -> Outcome {
        var secrets: [ContainerSpec.SecretReference] = []
        var configs: [ContainerSpec.ConfigReference] = []
        for (index, file) in files.enumerated() {
            let name = "sprocket-job-\(run)-\(index)"
            let target = ContainerSpec.FileTarget(name: file.target, uid: "0", gid: "0", mode: file.isSecret ? 0o400 : 0o444)
            if file.isSecret {
                let id = try await call("create secret \(name)") {
                    try await client.createSecret(SwarmSecret.Spec(name: name, labels: labels, value: file.content))
                }
                created.secrets.append(id)
                secrets.append(ContainerSpec.SecretReference(file: target, secretID: id, secretName: name))
            } else {
                let id = try await call("create config \(name)") {
                    try await client.createConfig(SwarmConfig.Spec(name: name, labels: labels, content: file.content))
                }
                created.configs.append(id)
                configs.append(ContainerSpec.ConfigReference(file: target, configID: id, configName: name))
            }
        }
        var container = ContainerSpec(
            image: image, labels: labels, command: command, env: environment.isEmpty ? nil : environment,
            secrets: secrets.isEmpty ? nil : secrets, configs: configs.isEmpty ? nil : configs)
        container.stopGracePeriod = 1_000_000_000
        let serviceName = name ?? "sprocket-job-\(run)"
        let spec = ServiceSpec(
            name: serviceName, labels: labels,
            taskTemplate: TaskSpec(
                containerSpec: container,
                restartPolicy: TaskSpec.RestartPolicy(condition: "none"),
                placement: constraints.isEmpty ? nil : TaskSpec.Placement(constraints: constraints),
                networks: networks.isEmpty ? nil : networks.map { TaskSpec.NetworkAttachment(target: $0) }),
            mode: .replicatedJob(maxConcurrent: 1, totalCompletions: 1),
            // A job answers no requests: no virtual IP (which would need IPVS).
            endpointSpec: ServiceSpec.EndpointSpec(mode: "dnsrr"))
        let service = try await call("create job service \(serviceName)") { try await client.createService(spec).id }
        created.service = service
        return try await wait(for: service, named: serviceName, on: client)
    }

    private func wait(for service: String, named serviceName: String, on client: DockerClient) async throws -> Outcome {
        let deadline = ContinuousClock.now + timeout
        var last: SwarmTask?
        while true {
            let tasks = try await call("list tasks of \(serviceName)") {
                try await client.listTasks(filters: DockerFilters(["service": [service]]))
            }
            last = tasks.max { ($0.createdAt ?? "") < ($1.createdAt ?? "") } ?? last
            let state = last?.status?.state ?? "not scheduled"
            let finished = DockerClusterDriver.finishedTaskStates.contains(state)
            if finished || ContinuousClock.now >= deadline {
                let output = (try? await client.serviceLogs(service, tail: 400, timeout: .seconds(30))) ?? []
                // A rejected task never ran: Docker still reports exit code 0 for it.
                return Outcome(
                    exitCode: ["complete", "failed"].contains(state) ? last?.status?.containerStatus?.exitCode : nil, state: state,
                    finished: finished, error: last?.status?.err, output: output)
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    private func call<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DockerClientError {
            throw SprocketError(.engine, "\(what) failed: \(error)", subject: "job \(purpose)")
        }
    }

    /// Removes the objects of earlier runs of `purpose` (a killed process cannot clean up after itself) once they
    /// are older than any run could last. Best effort: a failure here only leaves what was already left.
    static func sweep(purpose: String, olderThan age: Duration, on client: DockerClient) async {
        let filters = DockerFilters.label(jobLabel, purpose)
        let cutoff = Date().addingTimeInterval(-Double(age.components.seconds))
        func isStale(_ createdAt: String?) -> Bool {
            guard let createdAt, let date = EngineTimestamp.parse(createdAt) else { return false }
            return date < cutoff
        }
        var stale = CreatedObjects()
        stale.services = ((try? await client.listServices(filters: filters)) ?? []).filter { isStale($0.createdAt) }.map(\.id)
        stale.secrets = ((try? await client.listSecrets(filters: filters)) ?? []).filter { isStale($0.createdAt) }.map(\.id)
        stale.configs = ((try? await client.listConfigs(filters: filters)) ?? []).filter { isStale($0.createdAt) }.map(\.id)
        await stale.remove(on: client)
        await JobContainerCleanup.sweepExited(label: jobLabel, purpose, on: client)
    }

    /// What a run created, removed in dependency order: the service first, then what its task mounted (Docker
    /// refuses to remove a secret while a container still uses it, so removal is retried for a while).
    struct CreatedObjects {
        var service: String?
        var services: [String] = []
        var secrets: [String] = []
        var configs: [String] = []

        func remove(on client: DockerClient) async {
            var containers: [String] = []
            for id in services + (service.map { [$0] } ?? []) {
                containers += await JobContainerCleanup.containers(of: id, on: client)
                try? await client.removeService(id)
            }
            await JobContainerCleanup.remove(containers, on: client)
            for attempt in 0..<40 {
                var remaining = 0
                for id in secrets {
                    do { try await client.removeSecret(id) } catch let error as DockerClientError where !error.isNotFound { remaining += 1 } catch {}
                }
                for id in configs {
                    do { try await client.removeConfig(id) } catch let error as DockerClientError where !error.isNotFound { remaining += 1 } catch {}
                }
                guard remaining > 0, attempt < 39 else { return }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }
}
