import Foundation
import SprocketCore

extension DockerClusterDriver {
    /// Failed tasks of the current service version that make a service count as failing instead of starting.
    static let failedTaskThreshold = 3
    /// How long a task must have been running to count towards convergence (seconds).
    static let stabilityWindow: TimeInterval = 2
    /// How long a task may wait for a node before "no suitable node" counts as a failure (seconds).
    static let schedulingGrace: TimeInterval = 10

    public func convergence(of serviceNames: [String]) async throws -> [ServiceConvergence] {
        guard !serviceNames.isEmpty else { return [] }
        // Docker's name filter matches prefixes: ask for these names only, then keep exact matches.
        let wanted = Set(serviceNames)
        let (services, tasksByService) = try await servicesWithTasks(DockerFilters(["name": serviceNames]))
        let byName = Dictionary(services.filter { wanted.contains($0.spec?.name ?? "") }.map { ($0.spec?.name ?? "", $0) }) { first, _ in first }
        return serviceNames.map { name in
            guard let service = byName[name] else {
                return ServiceConvergence(dockerName: name, desiredTasks: 0, runningTasks: 0, phase: .failed(reason: "the service does not exist"))
            }
            return convergence(of: service, tasks: tasksByService[service.id] ?? [])
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

    private func convergence(of service: Service, tasks: [SwarmTask]) -> ServiceConvergence {
        let name = service.spec?.name ?? service.id
        let desired = Int(service.serviceStatus?.desiredTasks ?? 0)
        let running = Int(service.serviceStatus?.runningTasks ?? 0)
        let completed = Int(service.serviceStatus?.completedTasks ?? 0)
        var recheckIn: Duration?
        func result(_ phase: ServiceConvergence.Phase) -> ServiceConvergence {
            ServiceConvergence(dockerName: name, desiredTasks: desired, runningTasks: running, phase: phase, recheckIn: recheckIn)
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
        // A task that exits at once is "running" for an instant; count only tasks that stayed up for a while,
        // so that a crash-looping service is never reported as converged. A spec healthcheck already is that proof:
        // Swarm keeps such a task "starting" until the check passes.
        let window = Self.hasHealthcheck(service) ? 0 : Self.stabilityWindow
        let now = Date()
        // Only tasks of the current spec count: right after an update the old tasks still run, and Swarm may not
        // have marked the update as started yet. A task's spec is a copy of the service's template when created.
        let template = service.spec?.taskTemplate.map(Self.comparableTaskSpec)
        let currentRunning = tasks.filter { task in
            task.desiredState == "running" && task.status?.state == "running"
                && task.spec.map(Self.comparableTaskSpec) == template
        }
        let runningFor = currentRunning.map { task in
            EngineTimestamp.parse(task.status?.timestamp ?? "").map { now.timeIntervalSince($0) } ?? 0
        }
        let stableRunning = runningFor.filter { $0 >= window }.count
        if let youngest = runningFor.filter({ $0 < window }).max() {
            recheckIn = .milliseconds(Int64(((window - youngest) * 1_000).rounded(.up)))
        }
        let satisfied = isJob ? completed >= max(desired, 1) : stableRunning >= desired
        if satisfied && (updateState == nil || updateState == "completed") {
            return result(.converged)
        }
        // A task the scheduler cannot place (a host port in use, unsatisfiable constraints, no resources)
        // stays pending for ever; after a short grace it is a failure with the scheduler's own words.
        if let stuck = tasks.first(where: { task in
            guard task.desiredState == "running", task.status?.state == "pending",
                let error = task.status?.err, error.contains("no suitable node"),
                let created = EngineTimestamp.parse(task.createdAt ?? "")
            else { return false }
            return now.timeIntervalSince(created) >= Self.schedulingGrace
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
