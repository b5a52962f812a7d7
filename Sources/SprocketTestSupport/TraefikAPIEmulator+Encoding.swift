extension TraefikAPIEmulator {
    /// A router in the field order of Traefik's `routerRepresentation` (embedded `dynamic.Router`, then
    /// `error`, `status`, `using`, then `name`, `provider`, `priorityStr`).
    static func routerJSON(
        _ router: Router, errors: [String], status: String, using: [String], flavor: Flavor
    ) -> TraefikAPIEmulatorJSON {
        var fields: [(String, TraefikAPIEmulatorJSON)] = []
        if !router.entryPoints.isEmpty { fields.append(("entryPoints", strings(router.entryPoints))) }
        if !router.middlewares.isEmpty { fields.append(("middlewares", strings(router.middlewares))) }
        fields.append(("service", .string(router.service)))
        fields.append(("rule", .string(router.rule)))
        if let syntax = router.ruleSyntax { fields.append(("ruleSyntax", .string(syntax))) }
        let priority = router.priority ?? (flavor.fillsInPriority ? Int64(router.rule.utf8.count) : nil)
        if let priority, priority != 0 { fields.append(("priority", .integer(priority))) }
        if let tls = router.tls { fields.append(("tls", tlsJSON(tls))) }
        if flavor.hasObservability {
            fields.append(("observability", .object([
                ("accessLogs", .bool(true)), ("metrics", .bool(true)), ("tracing", .bool(true)),
                ("traceVerbosity", .string("minimal")),
            ])))
        }
        if !errors.isEmpty { fields.append(("error", strings(errors))) }
        fields.append(("status", .string(status)))
        if !using.isEmpty { fields.append(("using", strings(using))) }
        fields.append(("name", .string(router.name)))
        fields.append(("provider", .string(providerName(of: router.name))))
        if flavor.hasPriorityText { fields.append(("priorityStr", .string(String(priority ?? 0)))) }
        return .object(fields)
    }

    /// `{options, certResolver, domains}`; the routers endpoint fills in `options: "default"` when none is set.
    static func tlsJSON(_ tls: TLS) -> TraefikAPIEmulatorJSON {
        var fields: [(String, TraefikAPIEmulatorJSON)] = [("options", .string(tls.options ?? "default"))]
        if let resolver = tls.certResolver { fields.append(("certResolver", .string(resolver))) }
        if !tls.domains.isEmpty {
            fields.append(("domains", .array(tls.domains.map { domain in
                .object([("main", .string(domain.main))] + (domain.sans.isEmpty ? [] : [("sans", strings(domain.sans))]))
            })))
        }
        return .object(fields)
    }

    /// A service in the order of `serviceRepresentation` (embedded `ServiceInfo`, `serverStatus`, `name`,
    /// `provider`, `type`).
    static func serviceJSON(_ service: Service, status: String, usedBy: [String]) -> TraefikAPIEmulatorJSON {
        var fields: [(String, TraefikAPIEmulatorJSON)] = [
            ("loadBalancer", .object([
                ("servers", .array(service.servers.map { .object([("url", .string($0))]) })),
                ("passHostHeader", .bool(service.passHostHeader)),
            ])),
        ]
        if !service.errors.isEmpty { fields.append(("error", strings(service.errors))) }
        fields.append(("status", .string(status)))
        if !usedBy.isEmpty { fields.append(("usedBy", strings(usedBy))) }
        if !service.serverStatus.isEmpty { fields.append(("serverStatus", .map(service.serverStatus.mapValues { .string($0) }))) }
        fields += [("name", .string(service.name)), ("provider", .string(providerName(of: service.name)))]
        fields.append(("type", .string("loadbalancer")))
        return .object(fields)
    }

    /// `api@internal` and friends: no load balancer, no type.
    static func internalServiceJSON(_ name: String, usedBy: [String]) -> TraefikAPIEmulatorJSON {
        var fields: [(String, TraefikAPIEmulatorJSON)] = [("status", .string("enabled"))]
        if !usedBy.isEmpty { fields.append(("usedBy", strings(usedBy))) }
        return .object(fields + [("name", .string(name)), ("provider", .string("internal"))])
    }

    /// A middleware: its configuration under its type key, then `error`, `status`, `usedBy`, `name`, `provider`,
    /// and `type` in lower case.
    static func middlewareJSON(_ middleware: Middleware, usedBy: [String]) -> TraefikAPIEmulatorJSON {
        var fields: [(String, TraefikAPIEmulatorJSON)] = [(middleware.type, .raw(middleware.configuration))]
        if !middleware.errors.isEmpty { fields.append(("error", strings(middleware.errors))) }
        fields.append(("status", .string(middleware.errors.isEmpty ? "enabled" : "disabled")))
        if !usedBy.isEmpty { fields.append(("usedBy", strings(usedBy))) }
        fields += [("name", .string(middleware.name)), ("provider", .string(providerName(of: middleware.name)))]
        return .object(fields + [("type", .string(middleware.type.lowercased()))])
    }

    /// `/api/overview` for a runtime: counts per kind (`warnings` = status warning, `errors` = disabled).
    static func overviewJSON(_ runtime: Runtime, providers: [String]) -> TraefikAPIEmulatorJSON {
        func counts(_ statuses: [String]) -> TraefikAPIEmulatorJSON {
            .object([
                ("total", .integer(Int64(statuses.count))),
                ("warnings", .integer(Int64(statuses.filter { $0 == "warning" }.count))),
                ("errors", .integer(Int64(statuses.filter { $0 == "disabled" }.count))),
            ])
        }
        let middlewareStatuses = runtime.middlewares.values.map { json -> String in
            if case .object(let fields) = json, case .string(let status)? = fields.first(where: { $0.0 == "status" })?.1 {
                return status
            }
            return "enabled"
        }
        let none = counts([])
        var fields: [(String, TraefikAPIEmulatorJSON)] = [
            ("http", .object([
                ("routers", counts(Array(runtime.routerStatuses.values))),
                ("services", counts(Array(runtime.serviceStatuses.values))),
                ("middlewares", counts(middlewareStatuses)),
            ])),
            ("tcp", .object([("routers", none), ("services", none), ("middlewares", none)])),
            ("udp", .object([("routers", none), ("services", none)])),
            ("features", .object([("tracing", .string("")), ("metrics", .string("")), ("accessLog", .bool(false))])),
        ]
        if !providers.isEmpty { fields.append(("providers", strings(providers))) }
        return .object(fields)
    }

    static func strings(_ items: [String]) -> TraefikAPIEmulatorJSON {
        .array(items.map { .string($0) })
    }
}
