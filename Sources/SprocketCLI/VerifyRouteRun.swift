import DockerEngine
import Logging
import SprocketCore
import Traefik

/// One check of a stack's routes against the real Traefik it runs: every router the spec declares (compiled from
/// `routes:`, and hand-written in labels) present and enabled in Traefik's API without errors, compiled ones as
/// compiled, and each plain-HTTP route answering through the `web` entry point. Routers the API does not list
/// are explained by the matching line of Traefik's log. Shared by `verify`, `verify routes` and `up`'s route gate.
struct VerifyRouteRun {
    let stack: StackSpec
    let traefik: TraefikDeployment
    let client: DockerClient
    var budget: Duration = RouteVerifier.defaultBudget
    var logger: Logger

    /// The routers of the given layers (all when nil), judged within the budget.
    func run(layers: Set<String>? = nil) async throws -> (report: RouteVerificationReport, declared: [DeclaredRouter]) {
        let declared = DeclaredRouter.all(in: stack).filter { layers?.contains($0.layer) ?? true }
        let services = Set(declared.map(\.specService))
        let compiled = RouteLabelCompiler(stack: stack).compiledRouters().filter { services.contains($0.specService) }
        let plan = RouteProbePlan(version: stack.routing.traefik, nodeAddress: traefik.service.name)
        let probes = compiled.compactMap { router -> TraefikOverlaySource.Probe? in
            guard let target = plan.target(for: router), target.scheme == .http, let host = target.host else { return nil }
            return TraefikOverlaySource.Probe(router: router.name, host: host, path: target.path)
        }
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        let source = TraefikOverlaySource(
            client: client, traefik: traefik, image: CheckDefaults.probeImage(of: stack),
            labels: [OwnershipLabel.stack: identity.stack, OwnershipLabel.environment: identity.environment, CheckResolver.probeLabel: "true"],
            probes: probes)
        var verifier = RouteVerifier(
            source: source, provider: stack.routing.traefik.swarmProvider,
            unexpectedNamePrefix: TraefikName.sanitize("\(stack.name)-\(stack.environment)") + "-", budget: budget, logger: logger)
        verifier.logSource = source
        var report = try await verifier.verify(
            compiled.map(ExpectedRouter.init), presenceOnly: declared.filter { !$0.isCompiled }.map(\.name),
            providerServices: Dictionary(declared.map { ($0.name, $0.providerServiceName) }, uniquingKeysWith: { first, _ in first }))
        // A router of a later layer is not judged yet, but it is the spec's, not an orphan: the gate after an earlier
        // layer sees the routers the previous run left in later layers.
        let everyDeclared = Set(DeclaredRouter.all(in: stack).map(\.name))
        report.unexpected.removeAll { VerifyRoutesCommand.belongsToAnotherEnvironment($0.router, of: stack) || everyDeclared.contains($0.router) }
        return (report, declared)
    }

    /// One line per failed router: its name, the spec service and file:line that declare it, Traefik's own words,
    /// and what to do.
    static func failureLines(_ report: RouteVerificationReport, declared: [DeclaredRouter]) -> [String] {
        let byName = Dictionary(declared.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return report.failures.map { verdict in
            let origin = byName[verdict.router].map { " (service `\($0.specService)`, \($0.location))" } ?? ""
            let findings = verdict.findings.map(\.description).joined(separator: "; ")
            return "router \(verdict.router)\(origin): \(findings)\n    hint: \(hint(for: verdict.findings, router: byName[verdict.router]))"
        }
    }

    static func hint(for findings: [RouteFinding], router: DeclaredRouter?) -> String {
        let place = router.map { "at \($0.location)" } ?? "in the spec"
        for finding in findings {
            switch finding {
            case .inError, .disabled:
                return "Traefik rejected the router: fix its rule, service or middlewares \(place) as Traefik's message says, then run `sprocketctl up` again"
            case .dropped(let line) where line.contains("defined multiple times"):
                return "two services define this router name with different labels: rename one \(place) (names must be unique across every stack this Traefik reads)"
            case .dropped(let line) where line.contains("port is missing"):
                return "Traefik needs a port for every service whose labels define routers: give the route a `port:` \(place) (routes to api@internal get a placeholder port from sprocketctl)"
            case .dropped:
                return "Traefik dropped the router: see its log line above, fix the labels \(place), then run `sprocketctl up` again"
            case .missing:
                return "Traefik does not list it: check that the service's tasks run and are on the ingress network, and that its labels are \(place); the generated configuration has Traefik read Swarm every 5 s"
            case .probeFailed:
                return "Traefik has the router but requests through it fail: check that the container listens on the route's `port:` \(place) and that its tasks are healthy (`sprocketctl verify`)"
            default:
                continue
            }
        }
        return "compare the router in Traefik's API with the spec \(place); `sprocketctl plan` shows label drift"
    }
}
