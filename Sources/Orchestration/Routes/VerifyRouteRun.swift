import DockerEngine
import Logging
import SprocketCore
import Traefik

/// One check of a stack's routes against the real Traefik it runs: every router the spec declares (compiled from
/// `routes:`, and hand-written in labels) present and enabled in Traefik's API without errors, compiled ones as
/// compiled, and each plain-HTTP route answering through the `web` entry point. Routers the API does not list
/// are explained by the matching line of Traefik's log. Shared by `verify`, `verify routes` and `up`'s route gate.
public struct VerifyRouteRun {
    public let stack: StackSpec
    public let traefik: TraefikDeployment
    public let client: DockerClient
    public var budget: Duration = RouteVerifier.defaultBudget
    public var logger: Logger
    /// The certificates HTTPS routes must chain to (`--ca-bundle`); nil: the system's bundle of this machine.
    public var caBundle: String?
    /// The issuance ledger the served certificates and Traefik's failed orders are recorded in; nil: not recorded.
    public var ledgerPath: String?

    public init(
        stack: StackSpec, traefik: TraefikDeployment, client: DockerClient, budget: Duration = RouteVerifier.defaultBudget, logger: Logger,
        caBundle: String? = nil, ledgerPath: String? = nil
    ) {
        self.stack = stack
        self.traefik = traefik
        self.client = client
        self.budget = budget
        self.logger = logger
        self.caBundle = caBundle
        self.ledgerPath = ledgerPath
    }

    /// What one run found.
    public struct Outcome {
        public var report: RouteVerificationReport
        public var declared: [DeclaredRouter]
        /// The HTTPS probes from inside the swarm, one per router requested over HTTPS.
        public var tlsChecks: [RouteProbeCheck] = []
        /// Hosts whose certificates were newly recorded in the ledger, and how many failed orders were.
        public var recordedIssued: [String] = []
        public var recordedFailures = 0
    }

    /// The routers of the given layers (all when nil), judged within the budget.
    public func run(layers: Set<String>? = nil) async throws -> Outcome {
        let declared = DeclaredRouter.all(in: stack).filter { layers?.contains($0.layer) ?? true }
        let services = Set(declared.map(\.specService))
        let compiled = RouteLabelCompiler(stack: stack).compiledRouters().filter { services.contains($0.specService) }
        let plan = RouteProbePlan(version: stack.routing.traefik, nodeAddress: traefik.service.name)
        let probes = compiled.compactMap { router -> TraefikOverlaySource.Probe? in
            guard let target = plan.target(for: router), target.scheme == .http, let host = target.host else { return nil }
            return TraefikOverlaySource.Probe(router: router.name, host: host, path: target.path)
        }
        let source = TraefikOverlaySource(
            client: client, traefik: traefik, image: CheckDefaults.probeImage(of: stack), labels: jobLabels, probes: probes)
        let recording = RecordingRoutingSource(source)
        var verifier = RouteVerifier(
            source: recording, provider: stack.routing.traefik.swarmProvider,
            unexpectedNamePrefix: TraefikName.sanitize("\(stack.name)-\(stack.environment)") + "-", budget: budget, logger: logger)
        verifier.logSource = source
        let started = ContinuousClock.now
        var report = try await verifier.verify(
            compiled.map(expectation), presenceOnly: declared.filter { !$0.isCompiled }.map(\.name),
            providerServices: Dictionary(declared.map { ($0.name, $0.providerServiceName) }, uniquingKeysWith: { first, _ in first }))
        // A router of a later layer is not judged yet, but it is the spec's, not an orphan: the gate after an earlier
        // layer sees the routers the previous run left in later layers.
        let everyDeclared = Set(DeclaredRouter.all(in: stack).map(\.name))
        report.unexpected.removeAll { Self.belongsToAnotherEnvironment($0.router, of: stack) || everyDeclared.contains($0.router) }
        var outcome = Outcome(report: report, declared: declared)
        try await checkTLS(compiled, outcome: &outcome, snapshot: recording.last, remaining: budget - (ContinuousClock.now - started), source: source)
        return outcome
    }

    /// Labels of the jobs: the stack environment's, and the probe label, so the deployment never takes them for its own.
    private var jobLabels: [String: String] {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        return [OwnershipLabel.stack: identity.stack, OwnershipLabel.environment: identity.environment, CheckResolver.probeLabel: "true"]
    }

    /// A compiled router's expectation; a router of the spec's ACME resolver may carry the staging resolver a
    /// staging-first `up` deployed instead.
    private func expectation(_ router: CompiledRouter) -> ExpectedRouter {
        var expected = ExpectedRouter(router)
        if let resolver = router.certResolver, resolver == stack.routing.acme.resolver {
            expected.alsoAcceptedCertResolvers = [stack.routing.acme.stagingResolverName]
        }
        return expected
    }

    /// Probes the HTTPS routers that passed the API checks from inside the swarm (``TLSRouteCheck``), adds a finding
    /// to each that failed, and records what was served, and Traefik's failed orders, in the ledger.
    private func checkTLS(
        _ compiled: [CompiledRouter], outcome: inout Outcome, snapshot: TraefikRoutingSnapshot?, remaining: Duration,
        source: TraefikOverlaySource
    ) async throws {
        let passed = Set(outcome.report.routers.filter(\.passed).map(\.router))
        let candidates = compiled.filter { passed.contains($0.name) }
        let resolvers = Dictionary(
            (snapshot?.routers ?? []).compactMap { router in router.tls?.certResolver.map { (router.name, $0) } },
            uniquingKeysWith: { first, _ in first })
        let prober = SwarmRouteProbe(client: client, traefik: traefik, labels: jobLabels, caBundle: caBundle)
        let check = TLSRouteCheck(
            stack: stack, prober: { try await prober.probe($0) }, logSource: source,
            budget: max(remaining, .seconds(20)), strictTrust: caBundle != nil)
        let tls = try await check.run(candidates, address: traefik.service.name, resolvers: resolvers)
        outcome.tlsChecks = tls.checks
        for index in outcome.report.routers.indices {
            if let finding = tls.findings[outcome.report.routers[index].router] { outcome.report.routers[index].findings.append(finding) }
        }
        guard let ledgerPath else { return }
        var hostResolvers: [String: String] = [:]
        for check in tls.checks {
            if let host = check.result?.target.host, let resolver = resolvers[check.router] { hostResolvers[host] = resolver }
        }
        outcome.recordedIssued = try AcmeLedgerUpdates.record(
            tls.results, ledgerPath: ledgerPath, customCA: AcmeLedgerUpdates.customCAEnvironments(hostResolvers, stack: stack))
        outcome.recordedFailures = try AcmeLedgerUpdates.recordFailures(tls.acmeFailures, stack: stack, ledgerPath: ledgerPath).count
    }
    /// Whether an unexpected router is really another environment's whose name starts like ours
    /// (`sprocket-prod-eu-web` when verifying `prod`).
    public static func belongsToAnotherEnvironment(_ router: String, of stack: StackSpec) -> Bool {
        let own = TraefikName.sanitize("\(stack.name)-\(stack.environment)") + "-"
        return stack.declaredEnvironments.contains { other in
            let prefix = TraefikName.sanitize("\(stack.name)-\(other)") + "-"
            return prefix.count > own.count && prefix.hasPrefix(own) && router.hasPrefix(prefix)
        }
    }


    /// One line per failed router: its name, the spec service and file:line that declare it, Traefik's own words,
    /// and what to do.
    public static func failureLines(_ report: RouteVerificationReport, declared: [DeclaredRouter]) -> [String] {
        let byName = Dictionary(declared.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return report.failures.map { verdict in
            let origin = byName[verdict.router].map { " (service `\($0.specService)`, \($0.location))" } ?? ""
            let findings = verdict.findings.map(\.description).joined(separator: "; ")
            return "router \(verdict.router)\(origin): \(findings)\n    hint: \(hint(for: verdict.findings, router: byName[verdict.router]))"
        }
    }

    public static func hint(for findings: [RouteFinding], router: DeclaredRouter?) -> String {
        let place = router.map { "at \($0.location)" } ?? "in the spec"
        for finding in findings {
            switch finding {
            case .inError, .disabled:
                return "Traefik rejected the router: fix its rule, service or middlewares \(place) as Traefik's message says, then run `sprocketctl up` again"
            case .dropped(let line) where line.contains("defined multiple times"):
                return "two services define this router name with different labels: rename one \(place) (names must be unique across every stack this Traefik reads)"
            case .dropped(let line) where line.contains("Provider error") || line.contains("docker client"):
                return "Traefik cannot read Swarm, so it sees no new or changed router: check that its provider endpoint answers "
                    + "(`routing.socket_proxy`: the socket proxy runs on a network Traefik shares and allows VERSION, PING, SERVICES, "
                    + "TASKS, NETWORKS, NODES and EVENTS; docs/traefik.md), then run `sprocketctl up` again"
            case .dropped(let line) where line.contains("port is missing"):
                return "Traefik needs a port for every service whose labels define routers: give the route a `port:` \(place) (routes to api@internal get a placeholder port from sprocketctl)"
            case .dropped:
                return "Traefik dropped the router: see its log line above, fix the labels \(place), then run `sprocketctl up` again"
            case .missing:
                return "Traefik does not list it: check that the service's tasks run and are on the ingress network, and that its labels are \(place); the generated configuration has Traefik read Swarm every 5 s"
            case .tlsProbeFailed(_, _, let remedy?):
                return remedy
            case .tlsProbeFailed:
                return "Traefik has the router but HTTPS requests through it fail: check the route's certificate (`tls:` \(place)) and that its tasks are healthy (`sprocketctl verify`); `sprocketctl verify routes` shows what was served"
            case .probeFailed:
                return "Traefik has the router but requests through it fail: check that the container listens on the route's `port:` \(place) and that its tasks are healthy (`sprocketctl verify`)"
            default:
                continue
            }
        }
        return "compare the router in Traefik's API with the spec \(place); `sprocketctl plan` shows label drift"
    }
}
