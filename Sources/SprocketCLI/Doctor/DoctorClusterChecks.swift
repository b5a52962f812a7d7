import DockerEngine
import Foundation
import SprocketCore

/// The `doctor` checks that read the running swarm (never changing it): crash loops (docs/pain-points.md #13: crash-looping
/// services filled the disk), services below their replicas with Swarm's reason, and, against the spec, orphaned
/// services and duplicate routers (docs/pain-points.md #19, #20; ``DoctorOrphanChecks``).
struct DoctorClusterChecks {
    var runtime: CommandRuntime
    var identity: StackIdentity
    /// The loaded spec, for the orphan and router checks.
    var stack: StackSpec

    func run() async -> [DoctorCheckResult] {
        do {
            var reports: [ServiceStatusReport] = []
            var observed: [ObservedService] = []
            try await runtime.withDeployment { deployment, _ in
                let driver = try await deployment.context.driver()
                reports = try await driver.status(identity)
                observed = try await driver.observe(identity).services
            }
            return [restarts(reports), replicas(reports)] + DoctorOrphanChecks(stack: stack, services: observed).all()
        } catch {
            return [DoctorCheckResult(name: "services", status: .warn, message: "could not read the services of \(identity): \(error)",
                                      hint: "check the `docker` result above")]
        }
    }

    func restarts(_ reports: [ServiceStatusReport]) -> DoctorCheckResult {
        let looping = reports.filter { $0.restarts >= 3 }
        guard !looping.isEmpty else {
            return DoctorCheckResult(name: "crash-loops", status: .ok, message: "no service of \(identity) restarts in a loop")
        }
        return DoctorCheckResult(
            name: "crash-loops", status: .fail,
            message: "\(looping.count) services restart in a loop (docs/pain-points.md #13: crash loops filled the disk with logs and layers)",
            hint: "read the error below, fix the service, or scale it to 0; `sprocketctl verify` shows the same",
            details: looping.map { "\($0.name): \($0.restarts) failed tasks; \($0.lastError ?? "")" })
    }

    func replicas(_ reports: [ServiceStatusReport]) -> DoctorCheckResult {
        let short = reports.filter { $0.runningTasks < $0.desiredTasks }
        guard !short.isEmpty else {
            return DoctorCheckResult(name: "replicas", status: .ok,
                                     message: reports.isEmpty ? "\(identity) is not deployed" : "every service of \(identity) runs its replicas")
        }
        return DoctorCheckResult(
            name: "replicas", status: .fail, message: "\(short.count) services run fewer replicas than declared",
            hint: "`sprocketctl status` and `verify` show why; a pending task's reason is Swarm's scheduler error",
            details: short.map { "\($0.name): \($0.runningTasks)/\($0.desiredTasks)\($0.lastError.map { "; \($0)" } ?? "")" })
    }
}
