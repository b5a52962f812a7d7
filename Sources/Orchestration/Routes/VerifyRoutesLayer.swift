import DockerEngine
import Logging
import SprocketCore
import Traefik

/// The routes part of plain `verify`: the stack's routers in the Traefik it runs, as one more report layer
/// (`routes`), one check per router.
public enum VerifyRoutesLayer {
    /// The layer, nil when the stack runs no Traefik (or a stand-in) or declares no router.
    public static func check(
        _ stack: StackSpec, client: DockerClient, budget: Duration = .seconds(30), logger: Logger, caBundle: String? = nil, ledgerPath: String? = nil,
        note: (String) -> Void = { _ in }
    ) async throws -> VerifyReport.Layer? {
        guard let traefik = TraefikDeployment(stack: stack), !traefik.isStandIn, !DeclaredRouter.all(in: stack).isEmpty else { return nil }
        let checks: [CheckOutcome]
        do {
            let outcome = try await VerifyRouteRun(
                stack: stack, traefik: traefik, client: client, budget: budget, logger: logger, caBundle: caBundle, ledgerPath: ledgerPath).run()
            let report = outcome.report
            for line in VerifyRouteGate.ledgerNotes(outcome, ledgerPath: ledgerPath) { note(line) }
            checks = VerifyRouteGate.results(report, declared: outcome.declared, layer: "routes").map { result in
                CheckOutcome(
                    layer: "routes", check: result.check, origin: .verify, service: nil, passed: result.passed, expected: result.expected,
                    seen: result.seen, attempts: report.polls, seconds: report.waitedSeconds)
            }
        } catch let error as CancellationError {
            throw error
        } catch {
            checks = [CheckOutcome(
                layer: "routes", check: "routes: Traefik's API", origin: .verify, service: nil, passed: false,
                expected: "Traefik's API readable from its network", seen: "\(error)", attempts: 1, seconds: 0)]
        }
        return VerifyReport.Layer(name: "routes", passed: checks.allSatisfy(\.passed), checks: checks)
    }
}
