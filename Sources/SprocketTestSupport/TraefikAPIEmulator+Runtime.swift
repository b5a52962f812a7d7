extension TraefikAPIEmulator {
    /// What Traefik's runtime makes of a table: merged definitions, derived errors and statuses, `usedBy` lists,
    /// and the log lines a real Traefik would write while doing so.
    struct Runtime: Sendable {
        var routers: [String: TraefikAPIEmulatorJSON] = [:]
        var routerStatuses: [String: String] = [:]
        var services: [String: TraefikAPIEmulatorJSON] = [:]
        var serviceStatuses: [String: String] = [:]
        var middlewares: [String: TraefikAPIEmulatorJSON] = [:]
        var log: [String] = []
    }

    /// The entry points the emulated Traefik listens on (its static configuration).
    static let defaultEntryPoints: Set<String> = ["traefik", "web", "websecure"]

    static func runtime(for table: Table, flavor: Flavor) -> Runtime {
        var runtime = Runtime()
        let routers = merged(table.routers, kind: "Router", flavor: flavor, log: &runtime.log)
        let services = merged(table.services, kind: "Service", flavor: flavor, log: &runtime.log, combine: combine)
        let middlewares = merged(table.middlewares, kind: "Middleware", flavor: flavor, log: &runtime.log)
        var serviceUsers: [String: [String]] = [:]
        var middlewareUsers: [String: [String]] = [:]
        for router in routers {
            let provider = providerName(of: router.name)
            let service = qualify(router.service, in: provider)
            let chain = router.middlewares.map { qualify($0, in: provider) }
            var errors = router.errors
            let validEntryPoints = router.entryPoints.filter(defaultEntryPoints.contains)
            for entryPoint in router.entryPoints where !defaultEntryPoints.contains(entryPoint) {
                errors.append("entryPoint \"\(entryPoint)\" doesn't exist")
            }
            var critical = validEntryPoints.isEmpty
            if critical { errors.append("no valid entryPoint for this router") }
            if !services.contains(where: { $0.name == service }) && !table.internalServices.contains(service) {
                errors.append("the service \"\(service)\" does not exist")
                critical = true
            }
            for middleware in chain where !middlewares.contains(where: { $0.name == middleware }) {
                errors.append("middleware \"\(middleware)\" does not exist")
                critical = true
            }
            let status = router.status ?? (errors.isEmpty ? "enabled" : (critical ? "disabled" : "warning"))
            runtime.routerStatuses[router.name] = status
            runtime.routers[router.name] = routerJSON(
                router, errors: errors, status: status, using: validEntryPoints.sorted(),
                flavor: flavor)
            serviceUsers[service, default: []].append(router.name)
            for middleware in chain { middlewareUsers[middleware, default: []].append(router.name) }
        }
        for service in services {
            let status = service.status ?? (service.errors.isEmpty ? "enabled" : "disabled")
            runtime.serviceStatuses[service.name] = status
            runtime.services[service.name] = serviceJSON(
                service, status: status, usedBy: (serviceUsers[service.name] ?? []).sorted())
        }
        for name in table.internalServices {
            runtime.serviceStatuses[name] = "enabled"
            runtime.services[name] = internalServiceJSON(name, usedBy: (serviceUsers[name] ?? []).sorted())
        }
        for middleware in middlewares {
            runtime.middlewares[middleware.name] = middlewareJSON(
                middleware, usedBy: (middlewareUsers[middleware.name] ?? []).sorted())
        }
        return runtime
    }

    /// Keeps one definition per name when all definitions of it agree (or `combine` can merge them); deletes the
    /// name and logs Traefik's message otherwise.
    private static func merged<T: Equatable & Named>(
        _ items: [T], kind: String, flavor: Flavor, log: inout [String], combine: (T, T) -> T? = { $0 == $1 ? $0 : nil }
    ) -> [T] {
        var order: [String] = []
        var kept: [String: T?] = [:]
        for item in items {
            guard let existing = kept[item.name] else {
                order.append(item.name)
                kept[item.name] = item
                continue
            }
            guard let current = existing else { continue }
            let combined = combine(current, item)
            kept[item.name] = .some(combined)
            if combined == nil { log.append(conflictMessage(kind: kind, name: item.name, flavor: flavor)) }
        }
        return order.compactMap { kept[$0] ?? nil }
    }

    /// Services merge by concatenating servers when the rest of the load balancer agrees.
    private static func combine(_ first: Service, _ second: Service) -> Service? {
        guard first.passHostHeader == second.passHostHeader else { return nil }
        var merged = first
        merged.servers += second.servers
        merged.serverStatus.merge(second.serverStatus) { current, _ in current }
        return merged
    }

    /// docs/wire-formats.md §3.4: the message differs per version.
    static func conflictMessage(kind: String, name: String, flavor: Flavor) -> String {
        if flavor.major == 2 { return "\(kind) defined multiple times with different configurations in [\(name)]" }
        if flavor.minor >= 7 { return "HTTP \(kind.lowercased()) defined multiple times with different configurations" }
        return "\(kind) defined multiple times with different configurations"
    }

    static func providerName(of name: String) -> String {
        name.lastIndex(of: "@").map { String(name[name.index(after: $0)...]) } ?? ""
    }

    static func qualify(_ name: String, in provider: String) -> String {
        name.contains("@") || provider.isEmpty ? name : "\(name)@\(provider)"
    }
}

/// Anything the emulator merges by name.
protocol Named {
    var name: String { get }
}

extension TraefikAPIEmulator.Router: Named {}
extension TraefikAPIEmulator.Service: Named {}
extension TraefikAPIEmulator.Middleware: Named {}
