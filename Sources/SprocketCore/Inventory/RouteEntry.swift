/// One way a route is reached: a service's route on one access profile, with the URLs a user types.
///
/// Derived from the spec the same way ``RouteLabelCompiler`` derives routers (hosts from ``RouteHostScheme``,
/// IP profiles only for the apex route or one with `ip_prefix`), but kept in the operator's terms: URLs, not rules.
public struct RouteEntry: Sendable, Hashable, Codable {
    public var layer: String
    public var service: String
    public var route: String
    public var profile: AccessProfileKind
    /// Every URL the route answers on for this profile, sorted (`https://api.example.org/graphql`).
    public var urls: [String]
    /// The container port, or the Traefik-internal service (`api@internal`).
    public var target: String
    /// `acme (letsencrypt)`, `default certificate` or `none`.
    public var tls: String
    /// Middleware kinds in the order Traefik applies them (`forwardauth`, `basicauth`, ...).
    public var middlewares: [String]

    public init(
        layer: String, service: String, route: String, profile: AccessProfileKind, urls: [String], target: String, tls: String,
        middlewares: [String]
    ) {
        self.layer = layer
        self.service = service
        self.route = route
        self.profile = profile
        self.urls = urls
        self.target = target
        self.tls = tls
        self.middlewares = middlewares
    }

    /// Every route entry of `stack`, sorted by service, route and profile, so output never depends on file order.
    public static func entries(of stack: StackSpec) -> [RouteEntry] {
        let scheme = RouteHostScheme(routing: stack.routing, environment: stack.environment)
        var entries: [RouteEntry] = []
        for layer in stack.layers {
            for service in layer.services {
                for route in service.routes {
                    let profiles = stack.routing.access.filter { route.access.isEmpty || route.access.contains($0) }
                    for profile in profiles {
                        guard let urls = urls(of: route, profile: profile, stack: stack, scheme: scheme), !urls.isEmpty else { continue }
                        entries.append(RouteEntry(
                            layer: layer.name, service: service.name, route: route.name, profile: profile, urls: urls.sorted(),
                            target: route.traefikService ?? route.port.map { "port \($0)" } ?? "default port",
                            tls: tlsDescription(route, profile: profile, resolver: stack.routing.acme.resolver),
                            middlewares: route.middlewares.map(\.kind)))
                    }
                }
            }
        }
        return entries.sorted { ($0.service, $0.route, $0.profile.order) < ($1.service, $1.route, $1.profile.order) }
    }

    private static func urls(of route: RouteSpec, profile: AccessProfileKind, stack: StackSpec, scheme: RouteHostScheme) -> [String]? {
        let paths = route.pathPrefixes.isEmpty ? ["/"] : route.pathPrefixes
        switch profile {
        case .public:
            let protocolName = route.tls == .none ? "http" : "https"
            return scheme.publicHosts(of: route).flatMap { host in paths.map { "\(protocolName)://\(host)\($0)" } }
        case .localhost:
            return urls(hosts: [scheme.localhostHost(of: route)], paths: paths, tls: route.tls)
        case .lan, .tailscale:
            let address = profile == .lan ? stack.routing.lanAddress : stack.routing.tailscaleAddress
            guard let address, !address.isEmpty else { return nil }
            if let prefix = route.ipPrefix {
                let prefixed = route.pathPrefixes.isEmpty ? [prefix] : route.pathPrefixes.map { prefix + $0 }
                return urls(hosts: [address], paths: prefixed, tls: route.tls)
            }
            guard route.subdomain == nil, route.hosts.isEmpty else { return nil }
            return urls(hosts: [address], paths: paths, tls: route.tls)
        }
    }

    /// Plain HTTP always, HTTPS with Traefik's default certificate unless `tls: none` (localhost and IP profiles).
    private static func urls(hosts: [String], paths: [String], tls: RouteTLSMode) -> [String] {
        let schemes = tls == .none ? ["http"] : ["http", "https"]
        return hosts.flatMap { host in schemes.flatMap { scheme in paths.map { "\(scheme)://\(host)\($0)" } } }
    }

    private static func tlsDescription(_ route: RouteSpec, profile: AccessProfileKind, resolver: String) -> String {
        switch (route.tls, profile) {
        case (.none, _): "none"
        case (.acme, .public): "acme (\(resolver))"
        default: "default certificate"
        }
    }
}

extension AccessProfileKind {
    /// The order profiles are listed in (declaration order of the enum).
    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
