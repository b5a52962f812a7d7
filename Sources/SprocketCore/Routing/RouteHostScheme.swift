/// Derives a route's host names from the environment's subdomain scheme.
///
/// Like the original `buildHost`, parts are joined with dots and the environment subdomain `main`
/// means "no subdomain": with domain `sprocket.mlesports.gg`, the route `api` is
/// `api.sprocket.mlesports.gg` in `main` and `api.staging.sprocket.mlesports.gg` in `staging`. Unlike
/// the original, every route's host includes the environment subdomain, so two environments with
/// different subdomains can never produce the same host.
public struct RouteHostScheme: Sendable, Hashable {
    /// The environment's subdomain after the `main` rule; nil when there is none.
    public var environmentSubdomain: String?
    public var domain: String?

    /// - Parameters:
    ///   - routing: the stack's routing settings (`subdomain`, `domain`).
    ///   - environment: the selected environment, the subdomain when `routing.subdomain` is not set.
    public init(routing: RoutingSpec, environment: String) {
        let subdomain = routing.subdomain ?? environment
        environmentSubdomain = (subdomain.isEmpty || subdomain == "main") ? nil : subdomain
        domain = routing.domain
    }

    /// The public hosts of `route`: its explicit `hosts:`, else `<subdomain>.<env subdomain>.<domain>`.
    public func publicHosts(of route: RouteSpec) -> [String] {
        if !route.hosts.isEmpty { return route.hosts }
        guard let domain, !domain.isEmpty else { return [] }
        return [join(route.subdomain, domain)]
    }

    /// The `*.localhost` host of `route` (browsers resolve every `*.localhost` name to the loopback address).
    public func localhostHost(of route: RouteSpec) -> String {
        join(route.subdomain, "localhost")
    }

    private func join(_ subdomain: String?, _ base: String) -> String {
        [subdomain, environmentSubdomain, base].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ".")
    }
}
