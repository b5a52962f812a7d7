/// The checks of one service's routes on their own: ports, paths, names, middlewares, network.
struct RouteFieldCheck {
    let service: ServiceSpec
    let routing: RoutingSpec
    let secrets: Set<String>

    func run(into diagnostics: inout [SpecDiagnostic]) {
        for (route, first) in SpecRepeats.find(in: service.routes, key: \.name) {
            diagnostics.append(SpecDiagnostic(route.location, "service `\(service.name)` has two routes named `\(route.name)`",
                                              hint: "route names are unique per service (the other is at \(first.location))"))
        }
        if !service.routes.isEmpty, let network = routing.network, !service.networks.contains(where: { $0.name == network }),
            service.routes.contains(where: { $0.traefikService == nil })
        {
            diagnostics.append(SpecDiagnostic(
                service.routes[0].location, "service `\(service.name)` has routes but is not on the ingress network `\(network)`",
                hint: "add `\(network)` to its `networks:`: Traefik reaches tasks only on that network"))
        }
        for route in service.routes { check(route, into: &diagnostics) }
    }

    private func check(_ route: RouteSpec, into diagnostics: inout [SpecDiagnostic]) {
        let at = route.location
        let what = "route `\(route.name)` of service `\(service.name)`"
        switch (route.port, route.traefikService) {
        case (nil, nil):
            diagnostics.append(SpecDiagnostic(at, "\(what) has no `port`", hint: "write the container port Traefik forwards to, e.g. `port: 3000`"))
        case (let port?, nil) where !(1...65535).contains(port):
            diagnostics.append(SpecDiagnostic(at, "\(what) has port \(port), outside 1-65535", hint: "write the container port"))
        case (_?, _?):
            diagnostics.append(SpecDiagnostic(at, "\(what) sets both `port` and `service`",
                                              hint: "`service` (e.g. `api@internal`) replaces the container port; keep one"))
        case (nil, let internalService?) where !internalService.contains("@"):
            diagnostics.append(SpecDiagnostic(at, "\(what) names service `\(internalService)` without a provider",
                                              hint: "name a Traefik service with its provider, e.g. `api@internal`"))
        default:
            break
        }
        for path in route.pathPrefixes + (route.ipPrefix.map { [$0] } ?? []) where !path.hasPrefix("/") {
            diagnostics.append(SpecDiagnostic(at, "path `\(path)` of \(what) does not start with `/`", hint: "write e.g. `/\(path)`"))
        }
        for label in (route.subdomain.map { [$0] } ?? []) + route.hosts where !Self.isHostName(label) {
            diagnostics.append(SpecDiagnostic(at, "`\(label)` of \(what) is not a valid host name",
                                              hint: "use letters, digits, `-` and dots (punycode for other scripts)"))
        }
        if let priority = route.priority, priority < 0 {
            diagnostics.append(SpecDiagnostic(at, "\(what) has a negative priority", hint: "use 0 for Traefik's default, or a positive number"))
        }
        if route.ipPrefix != nil, route.subdomain == nil, route.hosts.isEmpty {
            diagnostics.append(SpecDiagnostic(at, "\(what) sets `ip_prefix` but is the apex route, which IP profiles serve at `/`",
                                              hint: "remove `ip_prefix`", severity: .warning))
        }
        for middleware in route.middlewares {
            switch middleware {
            case .basicAuth(let secret, _) where !secrets.contains(secret):
                diagnostics.append(SpecDiagnostic(at, "the basic_auth of \(what) names secret `\(secret)`, which no layer declares",
                                                  hint: "declare the htpasswd file as a secret and mount it on the Traefik service"))
            case .forwardAuth(let address, _, _) where !(address.hasPrefix("http://") || address.hasPrefix("https://")):
                diagnostics.append(SpecDiagnostic(at, "the forward_auth address `\(address)` of \(what) is not an http(s) URL",
                                                  hint: "write e.g. `https://fa.${hostname}/login`"))
            default:
                break
            }
        }
    }

    private static func isHostName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "*") }
        }
    }
}
