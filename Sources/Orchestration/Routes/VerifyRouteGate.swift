import DockerEngine
import Logging
import SprocketCore
import Traefik

/// `up`'s route gate: once a layer at or after Traefik's own converged, every router of the layers deployed so
/// far must be present and enabled in real Traefik's API, error-free, and answer through the `web` entry point, and
/// HTTPS routes through `websecure` with a usable certificate (``VerifyRouteRun``). A failure is a failed gate check, so the run stops and rolls back, and its `seen` quotes
/// Traefik's API error or else the line of Traefik's log that explains it.
public struct VerifyRouteGate: LayerGate {
    public let stack: StackSpec
    public let client: @Sendable () async throws -> DockerClient
    public var budget: Duration = RouteVerifier.defaultBudget
    public let logger: Logger
    /// `--ca-bundle`: what HTTPS routes' certificates must chain to; nil: this machine's system bundle.
    public var caBundle: String?
    /// The issuance ledger the served certificates and Traefik's failed orders are recorded in.
    public var ledgerPath: String?

    public init(
        stack: StackSpec, client: @escaping @Sendable () async throws -> DockerClient, budget: Duration = RouteVerifier.defaultBudget,
        logger: Logger, caBundle: String? = nil, ledgerPath: String? = nil
    ) {
        self.stack = stack
        self.client = client
        self.budget = budget
        self.logger = logger
        self.caBundle = caBundle
        self.ledgerPath = ledgerPath
    }

    public func evaluate(layer: DesiredLayer, events: ApplyEventHandler) async throws -> [GateCheckResult] {
        guard let traefik = TraefikDeployment(stack: stack), !traefik.isStandIn else { return [] }
        let order = LayerOrder.sorted(stack.layers.map { ($0.name, $0.needs.map(\.name)) })
        guard let current = order.firstIndex(of: layer.name), let own = order.firstIndex(of: traefik.layer), current >= own else { return [] }
        let layers = Set(order[...current])
        guard !DeclaredRouter.all(in: stack).filter({ layers.contains($0.layer) }).isEmpty else { return [] }
        events(.note("layer \(layer.name): checking routes in Traefik's API (\(traefik.dockerName))"))
        let results: [GateCheckResult]
        do {
            let run = VerifyRouteRun(
                stack: stack, traefik: traefik, client: try await client(), budget: budget, logger: logger, caBundle: caBundle, ledgerPath: ledgerPath)
            let outcome = try await run.run(layers: layers)
            results = Self.results(outcome.report, declared: outcome.declared, layer: layer.name)
            for note in Self.ledgerNotes(outcome, ledgerPath: ledgerPath) { events(.note(note)) }
        } catch let error as CancellationError {
            throw error
        } catch {
            results = [GateCheckResult(
                layer: layer.name, check: "routes: Traefik's API", passed: false, expected: "Traefik's API readable from its network",
                seen: "\(error)")]
        }
        for result in results { events(.checkResult(result)) }
        return results
    }

    /// What the run added to the issuance ledger, for the operator.
    public static func ledgerNotes(_ outcome: VerifyRouteRun.Outcome, ledgerPath: String?) -> [String] {
        guard let ledgerPath else { return [] }
        var notes: [String] = []
        if !outcome.recordedIssued.isEmpty {
            notes.append("recorded the certificates served for \(outcome.recordedIssued.joined(separator: ", ")) in the issuance ledger \(ledgerPath)")
        }
        if outcome.recordedFailures > 0 {
            notes.append("recorded \(outcome.recordedFailures) failed certificate order\(outcome.recordedFailures == 1 ? "" : "s") from Traefik's log in the issuance ledger \(ledgerPath)")
        }
        return notes
    }

    public static func results(_ report: RouteVerificationReport, declared: [DeclaredRouter], layer: String) -> [GateCheckResult] {
        let failures = Dictionary(
            zip(report.failures.map(\.router), VerifyRouteRun.failureLines(report, declared: declared)), uniquingKeysWith: { first, _ in first })
        return (report.routers + report.unexpected).map { verdict in
            GateCheckResult(
                layer: layer, check: "route \(verdict.router)", passed: verdict.passed,
                expected: "served by Traefik as the spec declares it", seen: verdict.passed ? "ok" : failures[verdict.router] ?? verdict.summaryLine)
        }
    }
}
