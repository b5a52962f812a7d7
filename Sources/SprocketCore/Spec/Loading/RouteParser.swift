/// Reads a service's `routes:` into ``RouteSpec`` values.
///
/// Each entry is a mapping (`- {subdomain: api, port: 3001}`); values are interpolated like every
/// other key, and problems are reported where they are written.
struct RouteParser {
    let context: SpecParseContext

    static let keys = [
        "name", "subdomain", "hosts", "paths", "port", "service", "tls", "middlewares", "priority", "entrypoints", "access",
        "ip_prefix",
    ]

    func routes(_ node: YAMLNode, service: String) -> [RouteSpec] {
        guard let items = context.list(node, for: "routes") else { return [] }
        return items.enumerated().compactMap { index, item in route(item, index: index, service: service) }
    }

    private func route(_ item: YAMLNode, index: Int, service: String) -> RouteSpec? {
        guard item.mapping != nil else {
            context.typeError(item, expected: "a route such as `{subdomain: api, port: 3000}`", for: "routes")
            return nil
        }
        guard let fields = context.fields(item, of: "route \(index + 1) of service `\(service)`", known: Self.keys) else { return nil }
        let name = fields["name"].flatMap { context.string($0, for: "routes.name") } ?? String(index + 1)
        var route = RouteSpec(name: name, location: item.location)
        route.subdomain = fields["subdomain"].flatMap { context.string($0, for: "routes.subdomain") }.flatMap { $0.isEmpty ? nil : $0 }
        if let node = fields["hosts"] { route.hosts = context.strings(node, for: "routes.hosts", acceptsSingle: true) }
        if let node = fields["paths"] { route.pathPrefixes = context.strings(node, for: "routes.paths", acceptsSingle: true) }
        route.port = fields["port"].flatMap { context.integer($0, for: "routes.port") }
        route.traefikService = fields["service"].flatMap { context.string($0, for: "routes.service") }
        if let node = fields["tls"] {
            route.tls = context.choice(node, for: "routes.tls", as: RouteTLSMode.self, allowed: RouteTLSMode.allCases) ?? .acme
        }
        if let node = fields["middlewares"] { route.middlewares = RouteMiddlewareParser(context: context).middlewares(node) }
        route.priority = fields["priority"].flatMap { context.integer($0, for: "routes.priority") }
        if let node = fields["entrypoints"] { route.entrypoints = context.strings(node, for: "routes.entrypoints", acceptsSingle: true) }
        if let node = fields["access"] { route.access = AccessListParser(context: context).profiles(node, for: "routes.access") }
        route.ipPrefix = fields["ip_prefix"].flatMap { context.string($0, for: "routes.ip_prefix") }
        return route
    }
}
