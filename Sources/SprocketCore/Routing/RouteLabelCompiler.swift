/// Compiles the `routes:` of a stack's services into Traefik service labels (Swarm mode: Traefik
/// reads the service's `deploy` labels) and the list of routers `verify routes` expects.
///
/// Every name is derived (``TraefikName``) and every list is written in a fixed order, so the same
/// spec always yields the same labels and replicas never disagree (docs/wire-formats.md §3.4).
public struct RouteLabelCompiler: Sendable {
    public var stack: StackSpec

    public init(stack: StackSpec) {
        self.stack = stack
    }

    /// The labels and expected routers of one service (empty when it has no routes).
    public func compile(_ service: ServiceSpec) -> CompiledRoutes {
        guard !service.routes.isEmpty else { return CompiledRoutes() }
        var output = CompiledRoutes()
        output.labels["traefik.enable"] = "true"
        if let network = stack.ingressNetworkDockerName { output.labels[version.networkLabel] = network }
        for route in service.routes {
            compile(route, of: service, into: &output)
        }
        return output
    }

    /// The expected routers of every service of the stack, in layer and declaration order.
    public func compiledRouters() -> [CompiledRouter] {
        stack.layers.flatMap(\.services).flatMap { compile($0).routers }
    }

    /// The port of the placeholder load balancer a service routing only to Traefik-internal services gets
    /// (the dummy port of Traefik's own Swarm example).
    public static let internalServicePlaceholderPort = 9999

    private var version: TraefikMajorVersion { stack.routing.traefik }
    private var scheme: RouteHostScheme { RouteHostScheme(routing: stack.routing, environment: stack.environment) }

    private func compile(_ route: RouteSpec, of service: ServiceSpec, into output: inout CompiledRoutes) {
        let base = TraefikName.route(stack: stack.name, environment: stack.environment, service: service.name, route: route.name)
        let serviceReference: String
        if let internalService = route.traefikService {
            serviceReference = internalService
            // Traefik's Swarm provider needs a port for every service whose labels define routers, even when
            // each router sends to a Traefik-internal service; without one it logs `port is missing` and drops
            // all of them (docs/traefik.md). The placeholder service is never routed to.
            if !service.routes.contains(where: { $0.port != nil }) {
                output.labels["traefik.http.services.\(base).loadbalancer.server.port"] = String(Self.internalServicePlaceholderPort)
            }
        } else {
            serviceReference = base
            if let port = route.port { output.labels["traefik.http.services.\(base).loadbalancer.server.port"] = String(port) }
        }
        var middlewares: [String] = []
        let repeatedKinds = Set(route.middlewares.map(\.kind).filter { kind in route.middlewares.filter { $0.kind == kind }.count > 1 })
        for (index, middleware) in route.middlewares.enumerated() {
            let name = repeatedKinds.contains(middleware.kind) ? "\(base)-\(middleware.kind)-\(index + 1)" : "\(base)-\(middleware.kind)"
            RouteMiddlewareLabels.add(middleware, named: name, to: &output.labels)
            middlewares.append(version.qualified(name))
        }
        let context = RouterContext(base: base, service: serviceReference, middlewares: middlewares, route: route, specService: service.name)
        let profiles = stack.routing.access.filter { route.access.isEmpty || route.access.contains($0) }
        for profile in profiles {
            switch profile {
            case .public: publicRouters(context, into: &output)
            case .localhost: localhostRouters(context, into: &output)
            case .lan: ipRouters(context, profile: profile, address: stack.routing.lanAddress, into: &output)
            case .tailscale: ipRouters(context, profile: profile, address: stack.routing.tailscaleAddress, into: &output)
            }
        }
    }

    /// What every router of one route shares.
    private struct RouterContext {
        var base: String
        var service: String
        var middlewares: [String]
        var route: RouteSpec
        var specService: String
    }

    private func publicRouters(_ context: RouterContext, into output: inout CompiledRoutes) {
        let hosts = scheme.publicHosts(of: context.route)
        guard !hosts.isEmpty else { return }
        let rule = RouteRuleBuilder(version: version).rule(hosts: hosts, pathPrefixes: context.route.pathPrefixes)
        switch context.route.tls {
        case .acme:
            addRouter(context.base, context, rule: rule, entryPoints: ["websecure"], tls: true,
                      resolver: stack.routing.acme.resolver, into: &output)
        case .default:
            addRouter(context.base, context, rule: rule, entryPoints: ["websecure"], tls: true, resolver: nil, into: &output)
        case .none:
            addRouter(context.base, context, rule: rule, entryPoints: ["web"], tls: false, resolver: nil, into: &output)
        }
        if context.route.tls != .none, !RouteRedirectPolicy.redirectsAtEntryPoint(stack) {
            let redirect = "\(context.base)-https-redirect"
            RouteMiddlewareLabels.add(.redirectScheme(scheme: "https", permanent: true), named: redirect, to: &output.labels)
            var plain = context
            plain.middlewares = [version.qualified(redirect)]
            addRouter("\(context.base)-redirect", plain, rule: rule, entryPoints: ["web"], tls: false, resolver: nil,
                      explicitEntryPoints: false, into: &output)
        }
    }

    private func localhostRouters(_ context: RouterContext, into output: inout CompiledRoutes) {
        let rule = RouteRuleBuilder(version: version).rule(hosts: [scheme.localhostHost(of: context.route)],
                                                           pathPrefixes: context.route.pathPrefixes)
        plainAndDefaultTLS(context, suffix: "localhost", rule: rule, into: &output)
    }

    /// An IP cannot tell services apart: the apex route answers on the bare address, a subdomain route
    /// only under its `ip_prefix` (stripped before the request reaches the service), and other routes
    /// are not offered on the profile.
    private func ipRouters(_ context: RouterContext, profile: AccessProfileKind, address: String?, into output: inout CompiledRoutes) {
        guard let address, !address.isEmpty else { return }
        var context = context
        let route = context.route
        var prefixes = route.pathPrefixes
        if let ipPrefix = route.ipPrefix {
            prefixes = prefixes.isEmpty ? [ipPrefix] : prefixes.map { ipPrefix + $0 }
            let strip = "\(context.base)-\(profile.rawValue)-stripprefix"
            output.labels["traefik.http.middlewares.\(strip).stripprefix.prefixes"] = ipPrefix
            context.middlewares.append(version.qualified(strip))
        } else if route.subdomain != nil || !route.hosts.isEmpty {
            return
        }
        let rule = RouteRuleBuilder(version: version).rule(hosts: [address], pathPrefixes: prefixes)
        plainAndDefaultTLS(context, suffix: profile.rawValue, rule: rule, into: &output)
    }

    /// HTTP on `web`, and HTTPS with Traefik's default certificate on `websecure` unless `tls: none`.
    private func plainAndDefaultTLS(_ context: RouterContext, suffix: String, rule: String, into output: inout CompiledRoutes) {
        addRouter("\(context.base)-\(suffix)", context, rule: rule, entryPoints: ["web"], tls: false, resolver: nil, into: &output)
        if context.route.tls != .none {
            addRouter("\(context.base)-\(suffix)-tls", context, rule: rule, entryPoints: ["websecure"], tls: true, resolver: nil,
                      into: &output)
        }
    }

    private func addRouter(
        _ name: String, _ context: RouterContext, rule: String, entryPoints computed: [String], tls: Bool, resolver: String?,
        explicitEntryPoints: Bool = true, into output: inout CompiledRoutes
    ) {
        let entryPoints = (explicitEntryPoints && !context.route.entrypoints.isEmpty ? context.route.entrypoints : computed).sorted()
        let prefix = "traefik.http.routers.\(name)"
        output.labels["\(prefix).rule"] = rule
        output.labels["\(prefix).entrypoints"] = entryPoints.joined(separator: ",")
        output.labels["\(prefix).service"] = context.service
        if tls { output.labels["\(prefix).tls"] = "true" }
        if let resolver { output.labels["\(prefix).tls.certresolver"] = resolver }
        if !context.middlewares.isEmpty { output.labels["\(prefix).middlewares"] = context.middlewares.joined(separator: ",") }
        let priority = context.route.priority.flatMap { $0 == 0 ? nil : $0 }
        if let priority { output.labels["\(prefix).priority"] = String(priority) }
        output.routers.append(CompiledRouter(
            name: version.qualified(name), rule: rule, entryPoints: entryPoints, tls: tls, certResolver: resolver,
            middlewares: context.middlewares, service: version.qualified(context.service), priority: priority,
            specService: context.specService))
    }
}

/// The output of ``RouteLabelCompiler`` for one service.
public struct CompiledRoutes: Sendable, Hashable {
    /// Service labels, keys in Traefik's lower-case option spelling.
    public var labels: [String: String] = [:]
    public var routers: [CompiledRouter] = []

    public init(labels: [String: String] = [:], routers: [CompiledRouter] = []) {
        self.labels = labels
        self.routers = routers
    }
}
