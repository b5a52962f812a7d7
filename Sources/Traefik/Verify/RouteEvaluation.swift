import Foundation

/// Judges expected routers against one snapshot of Traefik's API. Pure: no I/O, no clock.
public struct RouteEvaluation: Sendable {
    /// The provider names without a suffix resolve in (`swarm` for Traefik v3, `docker` for v2).
    public var provider: String
    /// When set, routers of `provider` whose name starts with it and that nothing expects are reported as
    /// unexpected.
    public var unexpectedNamePrefix: String?

    /// Creates an evaluation.
    public init(provider: String, unexpectedNamePrefix: String? = nil) {
        self.provider = provider
        self.unexpectedNamePrefix = unexpectedNamePrefix
    }

    /// One verdict per expectation (in order), plus the unexpected routers (sorted by name).
    public func judge(
        _ expected: [ExpectedRouter], against snapshot: TraefikRoutingSnapshot
    ) -> (routers: [RouterVerdict], unexpected: [RouterVerdict]) {
        let routers = Dictionary(snapshot.routers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let services = Dictionary(snapshot.services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let verdicts = expected.map { expectation in
            let name = expectation.qualifiedName(in: provider)
            var found = findings(for: expectation, seen: routers[name], services: services)
            if found.isEmpty, let probe = snapshot.probes[name], let problem = Self.probeProblem(probe) { found.append(problem) }
            return RouterVerdict(router: name, findings: found)
        }
        return (verdicts, unexpectedRouters(expected, in: snapshot.routers))
    }

    /// Everything wrong with one router, in a fixed order: existence, status, errors, rule, entry points, TLS,
    /// middlewares, service.
    func findings(
        for expected: ExpectedRouter, seen: TraefikRouter?, services: [String: TraefikService]
    ) -> [RouteFinding] {
        guard let seen else { return [.missing] }
        let routerProvider = seen.providerName ?? expected.provider(defaultingTo: provider)
        var findings: [RouteFinding] = []
        if let status = seen.status, status != .enabled { findings.append(.disabled(status: status.rawValue)) }
        if !seen.errors.isEmpty { findings.append(.inError(messages: seen.errors)) }
        let seenRule = seen.rule ?? ""
        if Self.normalisedRule(seenRule) != Self.normalisedRule(expected.rule) {
            findings.append(.ruleMismatch(expected: expected.rule, seen: seenRule))
        }
        if Set(seen.entryPoints) != Set(expected.entryPoints) {
            findings.append(.entryPointsMismatch(expected: expected.entryPoints, seen: seen.entryPoints))
        }
        if let wantsTLS = expected.tls, wantsTLS != (seen.tls != nil) {
            findings.append(.tlsMismatch(expected: wantsTLS, seen: seen.tls != nil))
        }
        let acceptedInstead = seen.tls?.certResolver.map { expected.alsoAcceptedCertResolvers.contains($0) } ?? false
        if seen.tls?.certResolver != expected.certResolver, !acceptedInstead {
            findings.append(.tlsResolverMismatch(expected: expected.certResolver, seen: seen.tls?.certResolver))
        }
        let wanted = expected.middlewares.map { TraefikResourceName.qualify($0, in: routerProvider) }
        let got = seen.middlewares.map { TraefikResourceName.qualify($0, in: routerProvider) }
        if wanted != got {
            let orderOnly = wanted.sorted() == got.sorted()
            findings.append(.middlewareMismatch(expected: wanted, seen: got, orderOnly: orderOnly))
        }
        let wantedService = TraefikResourceName.qualify(expected.service, in: routerProvider)
        let gotService = seen.service.map { TraefikResourceName.qualify($0, in: routerProvider) }
        guard gotService == wantedService else {
            findings.append(.serviceMismatch(expected: wantedService, seen: gotService))
            return findings
        }
        return findings + serviceFindings(wantedService, services: services)
    }

    /// Whether the service exists and, for a load balancer of a non-internal provider, has a server not all DOWN.
    func serviceFindings(_ name: String, services: [String: TraefikService]) -> [RouteFinding] {
        guard let service = services[name] else { return [.serviceMissing(service: name)] }
        let isInternal = (service.provider ?? TraefikResourceName(parsing: name).provider) == Traefik.internalProvider
        guard !isInternal, service.type == nil || service.type == "loadbalancer" else { return [] }
        let servers = service.serverURLs
        guard !servers.isEmpty else { return [.noServers(service: name)] }
        let down = servers.filter { service.serverStatus[$0]?.uppercased() == "DOWN" }
        return down.count == servers.count ? [.serversDown(service: name, servers: down)] : []
    }

    /// A failed request through the `web` entry point: no answer, Traefik's own 404 (no router matched), or the
    /// gateway errors Traefik answers when no server of the service responds. Any other answer, a backend's 404
    /// or 500 included, came from the service through the router: the route works.
    static func probeProblem(_ answer: RouteRequestAnswer) -> RouteFinding? {
        guard let status = answer.status else { return .probeFailed(status: nil, detail: "nothing answered on Traefik's web entry point") }
        if status == 404, answer.isTraefikNotFound { return .probeFailed(status: 404, detail: "Traefik matched no router for this Host and path") }
        if [502, 503, 504].contains(status) {
            return .probeFailed(status: status, detail: "the router matched but no server of its service answered")
        }
        return nil
    }

    /// Routers that the spec declares by hand-written labels only existence and Traefik's own verdict are judged:
    /// missing, not enabled, or with errors.
    public func judgePresence(_ names: [String], against snapshot: TraefikRoutingSnapshot) -> [RouterVerdict] {
        let routers = Dictionary(snapshot.routers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return names.map { raw in
            let name = TraefikResourceName.qualify(raw, in: provider)
            guard let seen = routers[name] else { return RouterVerdict(router: name, findings: [.missing]) }
            var findings: [RouteFinding] = []
            if let status = seen.status, status != .enabled { findings.append(.disabled(status: status.rawValue)) }
            if !seen.errors.isEmpty { findings.append(.inError(messages: seen.errors)) }
            return RouterVerdict(router: name, findings: findings)
        }
    }

    /// Routers of our provider with our prefix that no expectation names.
    private func unexpectedRouters(_ expected: [ExpectedRouter], in routers: [TraefikRouter]) -> [RouterVerdict] {
        guard let prefix = unexpectedNamePrefix, !prefix.isEmpty else { return [] }
        let expectedNames = Set(expected.map { $0.qualifiedName(in: provider) })
        return routers
            .filter { router in
                let name = TraefikResourceName(parsing: router.name)
                return (router.providerName ?? name.provider) == provider && name.name.hasPrefix(prefix)
                    && !expectedNames.contains(router.name)
            }
            .map(\.name).sorted()
            .map { RouterVerdict(router: $0, findings: [.unexpected]) }
    }

    /// The rule with runs of whitespace outside quoted strings collapsed, and removed next to parentheses,
    /// commas and operators, so `Host(`a`)&&Path(`/`)` equals `Host(`a`) && Path(`/`)`.
    public static func normalisedRule(_ rule: String) -> String {
        var output = ""
        var quote: Character?
        var pendingSpace = false
        let tight: Set<Character> = ["(", ")", ",", "&", "|", "!"]
        for character in rule {
            if let open = quote {
                output.append(character)
                if character == open { quote = nil }
                continue
            }
            if character.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingSpace, let last = output.last, !tight.contains(last), !tight.contains(character) {
                output.append(" ")
            }
            pendingSpace = false
            output.append(character)
            if character == "`" || character == "\"" { quote = character }
        }
        return output
    }
}
