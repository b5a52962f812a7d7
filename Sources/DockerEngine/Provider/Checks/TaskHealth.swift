import Foundation
import SprocketCore

/// Judges the task-list checks (`replicas`, `no-restart-loop`, lingering tasks) from what Swarm reports.
///
/// Health: Swarm's task API has no health field, but on dockerd 20.10 a task whose container has a health
/// check stays in `starting` until the first healthy result and only then becomes `running`; a container
/// that turns unhealthy later fails its task (`dockerexec: unhealthy container`) and Swarm replaces it. So
/// "running" already means "healthy" for such services, and `starting` is reported as not healthy yet.
enum TaskHealth {
    /// Task states that end a task which Swarm then replaces (a restart, for a long-running service).
    static let endedStates: Set<String> = ["failed", "rejected", "complete"]

    static func replicas(service: Service?, tasks: [SwarmTask], expected: Int?, expectation: String) -> CheckObservation {
        guard let service else { return CheckObservation(passed: false, expected: expectation, seen: "the service does not exist") }
        let template = service.spec?.taskTemplate.map(DockerClusterDriver.comparableTaskSpec)
        let current = tasks.filter { $0.desiredState == "running" && $0.spec.map(DockerClusterDriver.comparableTaskSpec) == template }
        let running = current.filter { $0.status?.state == "running" }.count
        let starting = current.filter { $0.status?.state == "starting" }.count
        let wanted = expected ?? Int(service.serviceStatus?.desiredTasks ?? 0)
        var seen = "\(running) running"
        if starting > 0 { seen += ", \(starting) starting (health check not passing yet)" }
        if let scaled = service.spec?.mode?.replicated?.replicas, let expected, Int(scaled) != expected {
            seen += "; the service is scaled to \(scaled), the spec says \(expected)"
        }
        let failed = tasks.filter { ["failed", "rejected"].contains($0.status?.state ?? "") }
            .max { ($0.createdAt ?? "") < ($1.createdAt ?? "") }
        if running < wanted, let pending = DockerClusterDriver.unschedulable(current) {
            seen += "; \(pending.count) pending: \(pending.reason)"
        }
        if running < wanted, let failed { seen += "; latest failure: \(DockerClusterDriver.describe(failed))" }
        return CheckObservation(passed: running >= wanted, expected: expectation, seen: seen)
    }

    /// Counts tasks of the current service version that ended within `window` (Swarm keeps a few ended tasks
    /// per slot, 5 by default, so counts above that are not seen).
    static func restarts(
        service: Service?, tasks: [SwarmTask], limit: Int, window: Duration, now: Date, expectation: String
    ) -> CheckObservation {
        guard let service else { return CheckObservation(passed: false, expected: expectation, seen: "the service does not exist") }
        let since = now.addingTimeInterval(-window.secondsValue)
        // Only the current version's tasks: the crashes that an update just fixed are not this version's loop.
        let template = service.spec?.taskTemplate.map(DockerClusterDriver.comparableTaskSpec)
        let ended = tasks.filter { task in
            guard endedStates.contains(task.status?.state ?? ""), task.spec.map(DockerClusterDriver.comparableTaskSpec) == template else { return false }
            guard let at = EngineTimestamp.parse(task.status?.timestamp ?? "") else { return false }
            return at >= since
        }
        var seen = "\(ended.count) restart\(ended.count == 1 ? "" : "s") in the last \(window.goStyle)"
        if let latest = ended.max(by: { ($0.status?.timestamp ?? "") < ($1.status?.timestamp ?? "") }), ended.count >= limit {
            seen += "; latest: \(DockerClusterDriver.describe(latest))"
        }
        return CheckObservation(passed: ended.count < limit, expected: expectation, seen: seen)
    }

    /// Tasks still running a superseded version of the service: the "orphaned tasks" that answer requests with
    /// an old version. During an update, old tasks Swarm has not reached yet are expected and not counted.
    static func lingering(service: Service?, tasks: [SwarmTask], now: Date, expectation: String) -> CheckObservation {
        guard let service else { return CheckObservation(passed: true, expected: expectation, seen: "the service does not exist") }
        let updating = ["updating", "rollback_started"].contains(service.updateStatus?.state ?? "")
        let template = service.spec?.taskTemplate.map(DockerClusterDriver.comparableTaskSpec)
        let old = tasks.filter { task in
            guard task.status?.state == "running", task.spec.map(DockerClusterDriver.comparableTaskSpec) != template else { return false }
            if task.desiredState == "running" { return !updating }
            // Told to stop: give it a minute (and its stop grace period) before calling it stuck.
            guard let since = EngineTimestamp.parse(task.updatedAt ?? "") else { return true }
            return now.timeIntervalSince(since) > 60
        }
        guard !old.isEmpty else {
            return CheckObservation(passed: true, expected: expectation, seen: updating ? "an update is in progress" : "none")
        }
        let ids = old.map { String($0.id.prefix(12)) }.sorted().joined(separator: ", ")
        return CheckObservation(
            passed: false, expected: expectation,
            seen: "\(old.count) task\(old.count == 1 ? "" : "s") of an older version still running (\(ids))")
    }
}
