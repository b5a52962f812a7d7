/// Finds routing conflicts before Traefik does: invalid hand-written rules, one router name defined by
/// two services, two routers claiming the same host and path at equal priority, a middleware defined
/// twice with different options, and hand-written labels that contradict the compiled ones.
///
/// Each environment's Traefik reads only that environment's services (the provider constraint of
/// ``TraefikStaticConfiguration``), so within one environment names and hosts must be unique; across
/// environments (`validate --all-environments`) hosts must still differ, because the environments share DNS
/// and often one public address, which is how two environments are kept from sharing a host.
public enum RouteConflictDetector {
    /// Every routing problem of `stacks`, reported at the later definition and naming the earlier one.
    public static func diagnostics(for stacks: [StackSpec]) -> [SpecDiagnostic] {
        var diagnostics: [SpecDiagnostic] = []
        var routers: [DefinedRouter] = []
        var middlewares: [(name: String, options: [String: String], owner: RouteOwner, location: SourceLocation)] = []
        for stack in stacks {
            let compiler = RouteLabelCompiler(stack: stack)
            for service in stack.layers.flatMap(\.services) {
                let owner = RouteOwner(stack: stack.name, environment: stack.environment, service: service.name)
                let compiled = compiler.compile(service).labels
                diagnostics += contradictions(service, compiled: compiled)
                let labels = compiled.merging(service.deploy.labels) { compiled, _ in compiled }
                let reader = TraefikLabelReader(labels: labels)
                for resource in reader.routers.values.sorted(by: { $0.name < $1.name }) {
                    let (router, problem) = definedRouter(resource, of: service, owner: owner, stack: stack, compiled: compiled)
                    if let problem { diagnostics.append(problem) }
                    routers.append(router)
                }
                for resource in reader.middlewares.values.sorted(by: { $0.name < $1.name }) {
                    let key = resource.labelKeys.values.sorted().first ?? ""
                    let location = service.labelPositions[key]?.entry ?? routeLocation(resource.name, of: service, stack: stack)
                    middlewares.append((resource.name, resource.options, owner, location))
                }
            }
        }
        let qualified = Set(stacks.map { "\($0.name)/\($0.environment)" }).count > 1
        diagnostics += duplicateNames(routers, qualified: qualified)
        diagnostics += overlappingClaims(routers, qualified: qualified)
        for (middleware, first) in SpecRepeats.find(in: middlewares, key: { $0.name })
        where middleware.owner != first.owner && middleware.options != first.options {
            diagnostics.append(SpecDiagnostic(
                middleware.location,
                "middleware `\(middleware.name)` is defined by \(first.owner.described(qualified: qualified)) and \(middleware.owner.described(qualified: qualified)) with different options",
                hint: "Traefik drops a middleware defined twice with different options; rename one (the other is at \(first.location))"))
        }
        return diagnostics
    }

    /// Hand-written `deploy.labels` that the compiler also writes, with another value.
    private static func contradictions(_ service: ServiceSpec, compiled: [String: String]) -> [SpecDiagnostic] {
        service.deploy.labels.keys.sorted().compactMap { key in
            guard let generated = compiled[key], generated != service.deploy.labels[key] else { return nil }
            return SpecDiagnostic(
                service.labelPositions[key]?.entry ?? service.location,
                "label `\(key)` of service `\(service.name)` contradicts the label compiled from its `routes:` (`\(generated)`)",
                hint: "remove the hand-written label and express it in `routes:`, or give the hand-written router another name")
        }
    }

    private static func definedRouter(
        _ resource: TraefikLabelReader.Resource, of service: ServiceSpec, owner: RouteOwner, stack: StackSpec, compiled: [String: String]
    ) -> (DefinedRouter, SpecDiagnostic?) {
        let ruleKey = resource.labelKeys["rule"]
        let isCompiled = ruleKey.map { compiled[$0] != nil } ?? false
        let position = ruleKey.flatMap { service.labelPositions[$0] }
        let location = isCompiled ? routeLocation(resource.name, of: service, stack: stack) : (position?.entry ?? service.location)
        var version = stack.routing.traefik
        if version == .v3, resource.options["rulesyntax"]?.lowercased() == "v2" { version = .v2 }
        var router = DefinedRouter(name: resource.name, options: resource.options, owner: owner, location: location, version: version)
        guard let text = resource.options["rule"] else {
            return (router, SpecDiagnostic(location, "router `\(resource.name)` of service `\(service.name)` has no `rule` label",
                                           hint: "add `traefik.http.routers.\(resource.name).rule=Host(`example.com`)`"))
        }
        do {
            router.rule = try TraefikRuleParser(version: version).parse(text)
            return (router, nil)
        } catch {
            let at = isCompiled ? location : (position?.location(ofValueColumn: error.column) ?? location)
            return (router, SpecDiagnostic(
                at, "invalid rule of router `\(resource.name)` (service `\(service.name)`), column \(error.column): \(error.message)",
                hint: error.hint ?? "see Traefik \(version.rawValue)'s rule syntax"))
        }
    }

    /// The route a compiled resource comes from (the longest route base name that prefixes it).
    static func routeLocation(_ name: String, of service: ServiceSpec, stack: StackSpec) -> SourceLocation {
        let matches = service.routes.filter { route in
            let base = TraefikName.route(stack: stack.name, environment: stack.environment, service: service.name, route: route.name)
            return name == base || name.hasPrefix(base + "-")
        }
        return matches.max { $0.name.count < $1.name.count }?.location ?? service.location
    }

    private static func duplicateNames(_ routers: [DefinedRouter], qualified: Bool) -> [SpecDiagnostic] {
        SpecRepeats.find(in: routers, key: \.name).map { router, first in
            let same = router.options == first.options
            let consequence = same
                ? "Traefik merges them into one router that sends requests to both services' tasks"
                : "Traefik drops it: \"Router defined multiple times with different configurations\""
            return SpecDiagnostic(
                router.location,
                "router `\(router.name)` is defined by \(first.owner.described(qualified: qualified)) and \(router.owner.described(qualified: qualified)); \(consequence)",
                hint: "router names are unique across every stack that shares a Traefik; rename one (the other is at \(first.location)), or use `routes:`, whose names are derived")
        }
    }

    private static func overlappingClaims(_ routers: [DefinedRouter], qualified: Bool) -> [SpecDiagnostic] {
        var diagnostics: [SpecDiagnostic] = []
        let claimed = routers.compactMap { router in router.rule.flatMap(RouteClaim.claims).map { (router, $0) } }
        for (index, (router, claims)) in claimed.enumerated() {
            for (earlier, earlierClaims) in claimed[..<index]
            where earlier.name != router.name && earlier.sharesEntryPoint(with: router)
                && earlier.effectivePriority == router.effectivePriority
            {
                guard let clash = claims.first(where: { claim in earlierClaims.contains { $0.overlaps(claim) } }) else { continue }
                let host = clash.host.map { "host `\($0)`" } ?? "every host"
                let path = clash.pathPrefix.map { "path `\($0)`" } ?? "every path"
                diagnostics.append(SpecDiagnostic(
                    router.location,
                    "\(router.owner.described(qualified: qualified)) and \(earlier.owner.described(qualified: qualified)) both claim \(host) and \(path) at priority \(router.effectivePriority) (routers `\(earlier.name)` and `\(router.name)`)",
                    hint: "give one route another host or path, or an explicit `priority` (the other is at \(earlier.location))"))
                break
            }
        }
        return diagnostics
    }
}
