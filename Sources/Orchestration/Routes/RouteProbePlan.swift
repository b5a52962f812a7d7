import SprocketCore
import Traefik

/// Turns compiled routers into requests through the node's entry points, and judges what came back.
///
/// The Host (and SNI) is the first `Host` of the router's rule and the path its first `PathPrefix`/`Path`, so
/// the request reaches exactly that router. Routers on `websecure` (or with TLS) are requested over HTTPS on 443,
/// the rest over HTTP on 80 (other ports when the entry points listen elsewhere).
public struct RouteProbePlan {
    public var version: TraefikMajorVersion
    public var nodeAddress: String
    public var httpPort = 80
    public var httpsPort = 443

    public init(version: TraefikMajorVersion, nodeAddress: String, httpPort: Int = 80, httpsPort: Int = 443) {
        self.version = version
        self.nodeAddress = nodeAddress
        self.httpPort = httpPort
        self.httpsPort = httpsPort
    }

    /// The request for `router`, nil when its rule names no host to ask for (e.g. only `HostRegexp`).
    public func target(for router: CompiledRouter) -> RouteProbeTarget? {
        guard let rule = try? TraefikRuleParser(version: version).parse(router.rule) else { return nil }
        let matchers = rule.matchers
        guard let host = matchers.first(where: { $0.name == "Host" })?.arguments.first else { return nil }
        let path = matchers.first { $0.name == "PathPrefix" || $0.name == "Path" }?.arguments.first ?? "/"
        let secure = router.entryPoints.contains("websecure") || (!router.entryPoints.contains("web") && router.tls)
        return RouteProbeTarget(
            scheme: secure ? .https : .http, host: host, address: nodeAddress, port: secure ? httpsPort : httpPort, path: path)
    }

    /// One check per router, in order; `targets` and `results` as ``target(for:)`` and the probe gave them
    /// (`results` holds one entry per non-nil target).
    public func checks(_ routers: [CompiledRouter], targets: [RouteProbeTarget?], results: [RouteProbeResult]) -> [RouteProbeCheck] {
        var remaining = results.makeIterator()
        return zip(routers, targets).map { router, target in
            guard target != nil, let result = remaining.next() else {
                return RouteProbeCheck(router: router.name, result: nil, problem: nil, note: "not probed: the rule names no host")
            }
            return RouteProbeCheck(router: router.name, result: result, problem: Self.problem(result, router: router), note: nil)
        }
    }

    /// What is wrong with a response, nil when the route works. `untrustedAllowed`: a certificate that does not
    /// verify is fine (a staging CA's, which no client trusts, when no CA bundle says otherwise).
    public static func problem(_ result: RouteProbeResult, router: CompiledRouter, untrustedAllowed: Bool = false) -> String? {
        guard let status = result.statusCode else { return "no response: \(result.error ?? "unknown error")" }
        if status == 404 { return "HTTP 404: Traefik matched no router for this Host and path" }
        if status >= 500 { return "HTTP \(status): the router matched but its service did not answer (no healthy servers?)" }
        guard router.certResolver != nil, let certificate = result.certificate else { return nil }
        if certificate.isTraefikDefault {
            return "Traefik's default certificate: resolver \(router.certResolver ?? "") has not issued one for this name"
        }
        if certificate.daysLeft() < 0 { return "certificate \(certificate.subject) by \(certificate.issuer) has expired" }
        if let failure = certificate.verificationFailure, !untrustedAllowed { return "certificate not trusted: \(failure)" }
        return nil
    }
}

/// The outcome of probing one router.
public struct RouteProbeCheck: Encodable {
    public var router: String
    /// What the request saw; nil when the router was not probed.
    public var result: RouteProbeResult?
    /// Why the route fails, nil when it works.
    public var problem: String?
    /// Why it was not probed.
    public var note: String?

    public var passed: Bool { problem == nil }

    public enum CodingKeys: String, CodingKey {
        case router, passed, result, problem, note
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(router, forKey: .router)
        try container.encode(passed, forKey: .passed)
        try container.encodeIfPresent(result, forKey: .result)
        try container.encodeIfPresent(problem, forKey: .problem)
        try container.encodeIfPresent(note, forKey: .note)
    }
}
