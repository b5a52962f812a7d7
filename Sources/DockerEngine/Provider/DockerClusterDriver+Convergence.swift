import Foundation
import SprocketCore

extension DockerClusterDriver {
    /// Failed tasks of the current service version that make a service count as failing instead of starting.
    static let failedTaskThreshold = 3
    /// How long a task must have been running to count towards convergence (seconds).
    static let stabilityWindow: TimeInterval = 2
    /// How long a task may wait for a node before "no suitable node" counts as a failure (seconds).
    static let schedulingGrace: TimeInterval = 10
    /// How soon to look again when this node's container contradicts the manager's "running" (seconds).
    static let contradictionRecheck: TimeInterval = 0.5
    /// Task states after which a task holds nothing any more (no container, no host port).
    static let finishedTaskStates: Set<String> = ["shutdown", "complete", "failed", "rejected", "orphaned", "remove"]

    public func convergence(of serviceNames: [String]) async throws -> [ServiceConvergence] {
        guard !serviceNames.isEmpty else { return [] }
        // Docker's name filter matches prefixes: ask for these names only, then keep exact matches.
        let wanted = Set(serviceNames)
        let (services, tasksByService) = try await servicesWithTasks(DockerFilters(["name": serviceNames]))
        let byName = Dictionary(services.filter { wanted.contains($0.spec?.name ?? "") }.map { ($0.spec?.name ?? "", $0) }) { first, _ in first }
        let stability = try await stableTasks(of: Array(byName.values), tasksByService: tasksByService)
        return serviceNames.map { name in
            guard let service = byName[name] else {
                return ServiceConvergence(dockerName: name, desiredTasks: 0, runningTasks: 0, phase: .failed(reason: "the service does not exist"))
            }
            return Self.convergence(
                of: service, tasks: tasksByService[service.id] ?? [], stable: stability.stable, recheckIn: stability.recheckIn[service.id])
        }
    }

    /// The running tasks of the services' current versions that count as stable (see ``TaskStability``), and per
    /// service ID when the answer may change. Asks this node for its containers once per task that needs it.
    private func stableTasks(
        of services: [Service], tasksByService: [String: [SwarmTask]]
    ) async throws -> (stable: Set<String>, recheckIn: [String: TimeInterval]) {
        let now = Date()
        var passedByService: [String: [TaskStability.RunningTask]] = [:]
        var recheckIn: [String: TimeInterval] = [:]
        for service in services {
            let running = Self.currentRunningTasks(of: service, tasks: tasksByService[service.id] ?? [])
            let firstSeen = sightings.withLock { $0.recordRunning(running.map(\.id), now: now) }
            let stability = TaskStability(window: Self.hasHealthcheck(service) ? 0 : Self.stabilityWindow)
            let test = stability.timeTest(running, firstSeen: firstSeen, now: now)
            passedByService[service.id] = test.passed
            recheckIn[service.id] = test.recheckIn
        }
        let passed = passedByService.values.flatMap { $0 }
        let confirmed = sightings.withLock { $0.confirmedOnThisNode }
        let toCheck = passed.isEmpty ? [] : TaskStability.needingNodeCheck(passed, localNodeID: try await localNodeID(), confirmed: confirmed)
        var contradicted: Set<String> = []
        if !toCheck.isEmpty {
            let containers = try await call("list containers") {
                try await self.client.listContainers(filters: DockerFilters(["id": toCheck.compactMap(\.containerID)]))
            }
            let split = TaskStability.split(toCheck, containerStates: Dictionary(containers.map { ($0.id, $0.state ?? "") }) { first, _ in first })
            sightings.withLock { $0.confirmedOnThisNode.formUnion(split.confirmed.map(\.id)) }
            contradicted = Set(split.contradicted.map(\.id))
            // The manager has not heard yet that these stopped: look again soon.
            for (serviceID, passed) in passedByService where passed.contains(where: { contradicted.contains($0.id) }) {
                recheckIn[serviceID] = min(recheckIn[serviceID] ?? Self.contradictionRecheck, Self.contradictionRecheck)
            }
        }
        let stable = Set(passed.map(\.id)).subtracting(contradicted)
        return (stable, recheckIn)
    }

    /// The swarm node ID of the daemon this driver talks to, read once.
    private func localNodeID() async throws -> String? {
        if let known = sightings.withLock({ $0.localNodeID }) { return known }
        let info = try await call("read the daemon's info") { try await self.client.info() }
        let id = info.swarm?.nodeID ?? ""
        sightings.withLock { $0.localNodeID = id }
        return id
    }

    /// Running tasks of the service's current spec: right after an update the old tasks still run, and Swarm may
    /// not have marked the update as started yet. A task's spec is a copy of the service's template when created.
    private static func currentRunningTasks(of service: Service, tasks: [SwarmTask]) -> [TaskStability.RunningTask] {
        let template = service.spec?.taskTemplate.map(comparableTaskSpec)
        return tasks.filter { task in
            task.desiredState == "running" && task.status?.state == "running" && task.spec.map(comparableTaskSpec) == template
        }.map { task in
            TaskStability.RunningTask(
                id: task.id, runningSince: EngineTimestamp.parse(task.status?.timestamp ?? ""), nodeID: task.nodeID,
                containerID: task.status?.containerStatus?.containerID)
        }
    }

    /// The services matching `filters` (with task counts) and their tasks by service ID: two calls.
    func servicesWithTasks(_ filters: DockerFilters) async throws -> ([Service], [String: [SwarmTask]]) {
        let services = try await call("list services") { try await self.client.listServices(filters: filters, status: true) }
        let ids = services.map(\.id)
        let tasks = ids.isEmpty ? [] : try await call("list tasks") {
            try await self.client.listTasks(filters: DockerFilters(["service": ids]))
        }
        return (services, Dictionary(grouping: tasks) { $0.serviceID ?? "" })
    }

    static func convergence(of service: Service, tasks: [SwarmTask], stable: Set<String>, recheckIn: TimeInterval?) -> ServiceConvergence {
        let name = service.spec?.name ?? service.id
        let desired = Int(service.serviceStatus?.desiredTasks ?? 0)
        let running = Int(service.serviceStatus?.runningTasks ?? 0)
        let completed = Int(service.serviceStatus?.completedTasks ?? 0)
        let recheck = recheckIn.map { Duration.milliseconds(Int64(($0 * 1_000).rounded(.up))) }
        func result(_ phase: ServiceConvergence.Phase) -> ServiceConvergence {
            ServiceConvergence(dockerName: name, desiredTasks: desired, runningTasks: running, phase: phase, recheckIn: recheck)
        }
        let updateState = service.updateStatus?.state
        let message = service.updateStatus?.message.map { ": \($0)" } ?? ""
        switch updateState {
        case "paused": return result(.failed(reason: "Swarm paused the update\(message)"))
        case "rollback_started", "rollback_paused", "rollback_completed":
            return result(.failed(reason: "Swarm rolled the update back (\(updateState ?? ""))\(message)"))
        default: break
        }
        let since = EngineTimestamp.parse(service.updatedAt ?? service.createdAt ?? "")
        let currentFailures = tasks.filter { task in
            guard ["failed", "rejected"].contains(task.status?.state ?? "") else { return false }
            guard let since, let created = EngineTimestamp.parse(task.createdAt ?? "") else { return true }
            return created >= since
        }
        let isJob = service.spec?.mode?.replicatedJob != nil || service.spec?.mode?.globalJob != nil
        // A task that exits at once is "running" for an instant; count only tasks that proved they keep running,
        // so that a crash-looping service is never reported as converged.
        let stableRunning = tasks.filter { stable.contains($0.id) }.count
        let now = Date()
        let satisfied = isJob ? completed >= max(desired, 1) : stableRunning >= desired
        if satisfied && (updateState == nil || updateState == "completed") {
            return result(.converged)
        }
        // A task the scheduler cannot place (a host port in use, unsatisfiable constraints, no resources)
        // stays pending for ever; after a short grace it is a failure with the scheduler's own words. The service's
        // own old tasks hold their host ports until they are gone (an update with `order: stop-first`, slow on a
        // busy node): the grace starts only once the last of them finished.
        let retiring = tasks.filter { $0.desiredState == "shutdown" || $0.desiredState == "remove" }
        let ownTasksStopping = retiring.contains { !Self.finishedTaskStates.contains($0.status?.state ?? "") }
        let lastFinished = retiring.compactMap { EngineTimestamp.parse($0.status?.timestamp ?? "") }.max()
        if !ownTasksStopping, let stuck = tasks.first(where: { task in
            guard task.desiredState == "running", task.status?.state == "pending",
                let error = task.status?.err, error.contains("no suitable node"),
                let created = EngineTimestamp.parse(task.createdAt ?? "")
            else { return false }
            return now.timeIntervalSince(max(created, lastFinished ?? created)) >= Self.schedulingGrace
        }) {
            return result(.failed(reason: "a task cannot be scheduled: \(stuck.status?.err ?? "")"))
        }
        if currentFailures.count >= Self.failedTaskThreshold && running < max(desired, 1) {
            let latest = currentFailures.max { ($0.createdAt ?? "") < ($1.createdAt ?? "") }
            let detail = latest.map(Self.describe) ?? "no detail"
            return result(.failed(reason: "\(currentFailures.count) tasks failed and none keeps running; latest: \(detail)"))
        }
        return result(.progressing)
    }

    public func diagnose(serviceNamed dockerName: String, logLines: Int) async throws -> ServiceDiagnosis {
        let services = try await call("list services") { try await self.client.listServices(filters: DockerFilters(["name": [dockerName]])) }
        guard let service = services.first(where: { $0.spec?.name == dockerName }) else {
            return ServiceDiagnosis(taskErrors: [], logLines: [])
        }
        let tasks = try await call("list tasks") { try await self.client.listTasks(filters: DockerFilters(["service": [service.id]])) }
        let errors = tasks
            .filter { $0.status?.err != nil || ["failed", "rejected"].contains($0.status?.state ?? "") }
            .sorted { ($0.createdAt ?? "") > ($1.createdAt ?? "") }
            .map(Self.describe)
        let logs = (try? await client.serviceLogs(service.id, tail: logLines, timeout: .seconds(10))) ?? []
        return ServiceDiagnosis(taskErrors: errors, logLines: logs.map(\.text).suffix(logLines).map { $0 })
    }

    /// Whether the service's own spec defines a healthcheck that is not disabled (`NONE`).
    static func hasHealthcheck(_ service: Service) -> Bool {
        guard let test = service.spec?.taskTemplate?.containerSpec?.healthCheck?.test, let kind = test.first else { return false }
        return kind != "NONE"
    }

    /// A task's copy of the service template lacks the fields the orchestrator keeps for itself (restart
    /// policy, stop grace period, runtime); drop them on both sides before comparing.
    static func comparableTaskSpec(_ spec: TaskSpec) -> TaskSpec {
        var spec = spec
        spec.restartPolicy = nil
        spec.runtime = nil
        spec.containerSpec?.stopGracePeriod = nil
        return spec
    }

    /// Tasks the scheduler cannot place (`pending` with an error such as `no suitable node (scheduling constraints
    /// not satisfied on 3 nodes)`), with the newest reason; nil when none waits for a node.
    static func unschedulable(_ tasks: [SwarmTask]) -> (count: Int, reason: String)? {
        let pending = tasks.filter { $0.desiredState == "running" && $0.status?.state == "pending" && !($0.status?.err ?? "").isEmpty }
        guard let newest = pending.max(by: { ($0.status?.timestamp ?? "") < ($1.status?.timestamp ?? "") }), let reason = newest.status?.err else {
            return nil
        }
        return (pending.count, reason)
    }

    static func describe(_ task: SwarmTask) -> String {
        let state = task.status?.state ?? "unknown"
        var text = "task \(task.id.prefix(12)) \(state)"
        if let error = task.status?.err, !error.isEmpty { text += ": \(error)" } else if let message = task.status?.message { text += ": \(message)" }
        if let code = task.status?.containerStatus?.exitCode, code != 0 { text += " (exit code \(code))" }
        return text
    }
}

/// Docker's RFC 3339 timestamps carry 0 to 9 fractional digits, which neither compare as strings nor parse with
/// every Foundation formatter; this reads them exactly.
enum EngineTimestamp {
    static func parse(_ text: String) -> Date? {
        guard text.count >= 20 else { return nil }
        var base = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digitsEnd = text[dot...].dropFirst().firstIndex { !$0.isNumber } ?? text.endIndex
            fraction = Double("0" + text[dot..<digitsEnd]) ?? 0
            base = String(text[..<dot]) + String(text[digitsEnd...])
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: base).map { $0.addingTimeInterval(fraction) }
    }
}

extension DockerClusterDriver {
    public func status(_ identity: StackIdentity) async throws -> [ServiceStatusReport] {
        let owned = DockerFilters.label(OwnershipLabel.stack, identity.stack).label(OwnershipLabel.environment, identity.environment)
        let (services, tasksByService) = try await servicesWithTasks(owned)
        return services.map { service in
            let labels = service.spec?.labels ?? [:]
            let failures = (tasksByService[service.id] ?? [])
                .filter { ["failed", "rejected"].contains($0.status?.state ?? "") }
                .sorted { ($0.createdAt ?? "") > ($1.createdAt ?? "") }
            let mode = service.spec.map { translator.definition(of: $0).mode } ?? "replicated"
            return ServiceStatusReport(
                layer: labels[OwnershipLabel.layer] ?? "", name: labels[OwnershipLabel.name] ?? "",
                dockerName: service.spec?.name ?? service.id,
                image: service.spec?.taskTemplate?.containerSpec?.image ?? "", mode: mode,
                desiredTasks: Int(service.serviceStatus?.desiredTasks ?? 0),
                runningTasks: Int(service.serviceStatus?.runningTasks ?? 0),
                updateState: service.updateStatus?.state, restarts: failures.count,
                lastError: Self.unschedulable(tasksByService[service.id] ?? []).map { "\($0.count) task(s) pending: \($0.reason)" }
                    ?? failures.first.map(Self.describe))
        }.sorted { ($0.layer, $0.name) < ($1.layer, $1.name) }
    }
}
