import Foundation
import SprocketCore
import Synchronization

/// The ``CheckProbe`` for Docker Swarm: task lists for `replicas`, `no-restart-loop` and lingering tasks; a
/// one-shot probe job on the service's network for http and tcp checks (and for `command` checks, running
/// the command itself); a direct connection from the tool for published ports.
public final class DockerCheckProbe: CheckProbe, ServiceRedeployer {
    public let client: DockerClient
    /// Where published ports are reached: the engine's host for `tcp://` endpoints, else the loopback address.
    public let publishedHost: String
    /// Extra time a probe job may take to be scheduled and started, beyond the check's timeout.
    public let jobAllowance: Duration
    private let swept = Mutex(false)
    /// Log lines quoted when a service restarts in a loop.
    static let logLinesOnFailure = 5

    public init(client: DockerClient, publishedHost: String? = nil, jobAllowance: Duration = .seconds(25)) {
        self.client = client
        self.jobAllowance = jobAllowance
        if let publishedHost {
            self.publishedHost = publishedHost
        } else if case .tcp(let host, _, _) = client.endpoint {
            self.publishedHost = host
        } else {
            self.publishedHost = "127.0.0.1"
        }
    }

    public func attempt(_ check: DesiredCheck, timeout: Duration) async throws -> CheckObservation {
        let expected = check.expectation
        switch check.kind {
        case .replicas(let expected):
            let (service, tasks) = try await serviceAndTasks(check)
            return TaskHealth.replicas(service: service, tasks: tasks, expected: expected, expectation: check.expectation)
        case .noRestartLoop(let restarts, let window):
            let (service, tasks) = try await serviceAndTasks(check)
            var observation = TaskHealth.restarts(service: service, tasks: tasks, limit: restarts, window: window, now: Date(), expectation: expected)
            // A crash loop is explained by what the crashing tasks printed last.
            if !observation.passed, let service {
                let lines = ((try? await client.serviceLogs(service.id, tail: Self.logLinesOnFailure, timeout: .seconds(10))) ?? []).map(\.text)
                if !lines.isEmpty { observation.seen += "; last log lines: " + lines.suffix(Self.logLinesOnFailure).joined(separator: " | ") }
            }
            return observation
        case .noLingeringTasks:
            let (service, tasks) = try await serviceAndTasks(check)
            return TaskHealth.lingering(service: service, tasks: tasks, now: Date(), expectation: expected)
        case .http(let request):
            switch request.target {
            case .published(let port):
                return try await onEachHost(check, port: port, expected: expected) { host in
                    await PublishedPortProbe.http(host: host, port: port, request: request, timeout: timeout, expected: expected)
                }
            case .network(let network, let host, let port, let image):
                let outcome = try await runJob(check, image: image, command: ["sh", "-c", ProbeScript.http], network: network,
                                               environment: ProbeScript.environment(host: host, port: port, timeout: timeout, request: request), timeout: timeout)
                guard let framed = ProbeScript.framed(outcome.output.map(\.text)) else { return jobFailure(outcome, expected: expected) }
                return ProbeScript.judgeHTTP(framed, request: request, expected: expected, host: host, port: port)
            }
        case .tcp(let target):
            switch target {
            case .published(let port):
                return try await onEachHost(check, port: port, expected: expected) { host in
                    await PublishedPortProbe.tcp(host: host, port: port, timeout: timeout, expected: expected)
                }
            case .network(let network, let host, let port, let image):
                let outcome = try await runJob(check, image: image, command: ["sh", "-c", ProbeScript.tcp], network: network,
                                               environment: ProbeScript.environment(host: host, port: port, timeout: timeout), timeout: timeout)
                guard let framed = ProbeScript.framed(outcome.output.map(\.text)) else { return jobFailure(outcome, expected: expected) }
                return ProbeScript.judgeTCP(framed, expected: expected, host: host, port: port)
            }
        case .command(let command):
            let outcome = try await runJob(check, image: command.image, command: command.run, network: command.network, environment: [], timeout: timeout)
            if outcome.finished && outcome.state == "complete" {
                return CheckObservation(passed: true, expected: expected, seen: "exit status 0")
            }
            return jobFailure(outcome, expected: expected)
        }
    }

    /// Bumps the service's `ForceUpdate` counter: Swarm replaces every task, as `docker service update --force` does.
    public func forceUpdate(serviceNamed dockerName: String) async throws {
        let service = try await client.inspectService(dockerName)
        guard var spec = service.spec, var template = spec.taskTemplate else {
            throw SprocketError(.engine, "the engine returned no spec for \(dockerName)", subject: dockerName)
        }
        template.forceUpdate = (template.forceUpdate ?? 0) + 1
        spec.taskTemplate = template
        try await client.updateService(service.id, version: service.version?.index ?? 0, spec: spec)
    }

    private func runJob(
        _ check: DesiredCheck, image: String, command: [String], network: String?, environment: [String], timeout: Duration
    ) async throws -> ProbeJob.Outcome {
        await sweepLeftovers(check.labels)
        let prefix = check.service?.namePrefix ?? check.labels[OwnershipLabel.stack].map { "\($0)-\(check.labels[OwnershipLabel.environment] ?? "")" } ?? "sprocket"
        return try await ProbeJob(client: client).run(
            name: ProbeJob.name(prefix: prefix), image: image, command: command, environment: environment, network: network,
            labels: check.labels, deadline: timeout + jobAllowance)
    }

    /// What a job that ended without framed output (or a command that failed) tells about itself.
    private func jobFailure(_ outcome: ProbeJob.Outcome, expected: String) -> CheckObservation {
        var seen: String
        if !outcome.finished {
            seen = "the probe job did not finish (still \(outcome.state))"
        } else if let code = outcome.exitCode, outcome.state == "failed" {
            seen = "exit status \(code)"
        } else {
            seen = "the probe job ended \(outcome.state)"
        }
        if let error = outcome.error, !error.isEmpty { seen += ": \(error)" }
        let output = outcome.output.suffix(5).map(\.text).joined(separator: "\n").trimmedForReport
        if !output.isEmpty { seen += "; output: \(output)" }
        return CheckObservation(passed: false, expected: expected, seen: seen)
    }

    /// The service (by exact Docker name) and all its tasks.
    /// A port published in `host` mode listens only on the nodes that run the service's tasks: it is probed on
    /// each of them (by the node's address, or ``publishedHost`` for a node that advertises loopback, i.e. this
    /// machine), and passes when all answer. An `ingress` port answers on every node: ``publishedHost`` alone.
    private func onEachHost(
        _ check: DesiredCheck, port: Int, expected: String, _ probe: (String) async -> CheckObservation
    ) async throws -> CheckObservation {
        let (service, tasks) = try await serviceAndTasks(check)
        let hostMode = service?.spec?.endpointSpec?.ports?.contains { $0.publishedPort.map(Int.init) == port && $0.publishMode == "host" } ?? false
        let nodeIDs = Set(tasks.filter { $0.desiredState == "running" && $0.status?.state == "running" }.compactMap(\.nodeID))
        guard hostMode, !nodeIDs.isEmpty else { return await probe(publishedHost) }
        let nodes = try await client.listNodes().filter { nodeIDs.contains($0.id) }
        let hosts = Set(nodes.map { node in
            let address = node.status?.addr ?? ""
            return address.isEmpty || address.hasPrefix("127.") || address == "0.0.0.0" ? publishedHost : address
        }).sorted()
        var observations: [CheckObservation] = []
        for host in hosts { observations.append(await probe(host)) }
        guard let failed = observations.first(where: { !$0.passed }) else {
            return CheckObservation(
                passed: true, expected: expected,
                seen: hosts.count == 1 ? observations.first?.seen ?? "answered" : "answered on \(hosts.joined(separator: ", "))")
        }
        return failed
    }

    private func serviceAndTasks(_ check: DesiredCheck) async throws -> (Service?, [SwarmTask]) {
        guard let dockerName = check.service?.dockerName else { return (nil, []) }
        // The name filter matches prefixes; keep the exact name.
        let service = try await client.listServices(filters: DockerFilters(["name": [dockerName]]), status: true)
            .first { $0.spec?.name == dockerName }
        guard let service else { return (nil, []) }
        return (service, try await client.listTasks(filters: DockerFilters(["service": [service.id]])))
    }

    /// Once per probe: removes probe jobs of this stack environment that an interrupted run left behind.
    private func sweepLeftovers(_ labels: [String: String]) async {
        guard swept.withLock({ done in defer { done = true }; return !done }) else { return }
        var filters = DockerFilters.label(CheckResolver.probeLabel, "true")
        for key in [OwnershipLabel.stack, OwnershipLabel.environment] {
            if let value = labels[key] { filters = filters.label(key, value) }
        }
        let stale = Date().addingTimeInterval(-300)
        for service in (try? await client.listServices(filters: filters)) ?? [] {
            guard let created = EngineTimestamp.parse(service.createdAt ?? ""), created < stale else { continue }
            try? await client.removeService(service.id)
        }
        await JobContainerCleanup.sweepExited(label: CheckResolver.probeLabel, "true", on: client)
    }
}
