/// Checks of `routes:` and `routing:` that need the whole stack: values Traefik would reject, profiles
/// without the address they need, routes Traefik cannot reach, and (through ``RouteConflictDetector``)
/// bad hand-written rules and routers or hosts claimed twice.
struct RouteCheck {
    let stack: StackSpec

    func run(into diagnostics: inout [SpecDiagnostic]) {
        let services = stack.layers.flatMap(\.services)
        let mentionsTraefik = services.contains { service in
            !service.routes.isEmpty || (service.deploy.labels.keys.map { $0 } + service.labels.keys.map { $0 }).contains { $0.lowercased().hasPrefix("traefik.") }
        }
        guard mentionsTraefik else { return }
        checkProfiles(services, into: &diagnostics)
        let secrets = Set(stack.layers.flatMap(\.secrets).map(\.name))
        for service in services {
            RouteFieldCheck(service: service, routing: stack.routing, secrets: secrets).run(into: &diagnostics)
            for key in service.labels.keys.sorted() where key.lowercased().hasPrefix("traefik.http.") {
                diagnostics.append(SpecDiagnostic(
                    service.location, "label `\(key)` of service `\(service.name)` is a container label, which Traefik ignores in Swarm mode",
                    hint: "move it to `deploy.labels`, or declare the route under `routes:`", severity: .warning))
            }
        }
        diagnostics += RouteConflictDetector.diagnostics(for: [stack])
    }

    private func checkProfiles(_ services: [ServiceSpec], into diagnostics: inout [SpecDiagnostic]) {
        let routing = stack.routing
        let routed = services.filter { !$0.routes.isEmpty }
        guard let first = routed.first?.routes.first else { return }
        if routing.access.isEmpty {
            diagnostics.append(SpecDiagnostic(
                first.location, "routes are declared but environment `\(stack.environment)` enables no access profile, so none is served",
                hint: "set `routing.access: [public]` (or `localhost`, `lan`, `tailscale`) in stack.yaml, or `access:` under the environment",
                severity: .warning))
        }
        let needs: [(AccessProfileKind, String?, String)] = [
            (.public, routing.domain, "routing.domain"), (.lan, routing.lanAddress, "routing.lan_ip"),
            (.tailscale, routing.tailscaleAddress, "routing.tailscale_ip"),
        ]
        for (profile, value, key) in needs where routing.enables(profile) && value == nil {
            if profile == .public, routed.allSatisfy({ $0.routes.allSatisfy { !$0.hosts.isEmpty } }) { continue }
            diagnostics.append(SpecDiagnostic(
                routing.location, "access profile `\(profile.rawValue)` is enabled for `\(stack.environment)` but `\(key)` is not set",
                hint: "set `\(key)` (a setting per environment works: `\(key.split(separator: ".").last ?? ""): ${...}`)"))
        }
        if routing.enables(.public), routing.acme.challenge == .dns, routing.acme.dnsProvider == nil {
            diagnostics.append(SpecDiagnostic(routing.location, "`routing.acme.challenge` is `dns` but `routing.acme.dns_provider` is not set",
                                              hint: "name the lego DNS provider, e.g. `dns_provider: digitalocean`, and give Traefik its credentials"))
        }
        if let network = routing.network, !stack.layers.flatMap(\.networks).contains(where: { $0.name == network }) {
            diagnostics.append(SpecDiagnostic(routing.location, "`routing.network` names `\(network)`, which no layer declares",
                                              hint: "declare it under `networks:` of the layer that runs Traefik"))
        }
    }
}
