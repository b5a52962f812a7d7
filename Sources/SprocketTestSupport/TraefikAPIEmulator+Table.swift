extension TraefikAPIEmulator {
    /// Which Traefik the emulator pretends to be; it decides the fields a router carries (docs/wire-formats.md §3.6).
    public struct Flavor: Sendable, Equatable {
        /// Major version, 2 or 3.
        public var major: Int
        /// Minor version.
        public var minor: Int

        /// Traefik v2.11: no `priorityStr`, no `observability`, `priority` only when set.
        public static let v2_11 = Flavor(major: 2, minor: 11)
        /// Traefik v3.x.
        public static func v3(_ minor: Int) -> Flavor { Flavor(major: 3, minor: minor) }

        /// v3 fills in `priority` = rule length when none was set.
        var fillsInPriority: Bool { major >= 3 }
        /// `priorityStr` appears from v3.6.
        var hasPriorityText: Bool { major > 3 || (major == 3 && minor >= 6) }
        /// `observability` appears on routers from v3.3.
        var hasObservability: Bool { major > 3 || (major == 3 && minor >= 3) }
        /// The provider name the overview lists for Swarm (`Docker` in v2 Swarm mode).
        var swarmProviderTitle: String { major >= 3 ? "Swarm" : "Docker" }
    }

    /// A router as a provider defined it. `name` is the full name (`web@swarm`).
    public struct Router: Sendable, Equatable {
        /// The full name, e.g. `web@swarm`.
        public var name: String
        /// The rule as the label set it.
        public var rule: String
        /// The service as the label named it (same-provider names may lack the suffix).
        public var service: String
        /// Entry points; ones the emulated Traefik lacks give Traefik's warning.
        public var entryPoints: [String]
        /// Middlewares in order, served as given.
        public var middlewares: [String]
        /// An explicit priority; v3 fills in the rule length when nil.
        public var priority: Int64?
        /// `v2`/`v3` when set per router.
        public var ruleSyntax: String?
        /// The TLS section, nil for plain HTTP.
        public var tls: TLS?
        /// Errors attached on top of the ones the emulator derives (missing service or middleware).
        public var errors: [String]
        /// The status when set explicitly; otherwise derived from the errors (`disabled` when any).
        public var status: String?

        /// Creates a router.
        public init(
            name: String, rule: String, service: String, entryPoints: [String], middlewares: [String] = [],
            priority: Int64? = nil, ruleSyntax: String? = nil, tls: TLS? = nil, errors: [String] = [],
            status: String? = nil
        ) {
            self.name = name
            self.rule = rule
            self.service = service
            self.entryPoints = entryPoints
            self.middlewares = middlewares
            self.priority = priority
            self.ruleSyntax = ruleSyntax
            self.tls = tls
            self.errors = errors
            self.status = status
        }
    }

    /// A router's TLS section; all nil/empty encodes `{}` (TLS with the default certificate).
    public struct TLS: Sendable, Equatable {
        /// The ACME resolver.
        public var certResolver: String?
        /// The TLS options name; served as `default` when nil.
        public var options: String?
        /// `(main, sans)` pairs.
        public var domains: [Domain]

        /// Creates a TLS section.
        public init(certResolver: String? = nil, options: String? = nil, domains: [Domain] = []) {
            self.certResolver = certResolver
            self.options = options
            self.domains = domains
        }

        /// One `{main, sans}` entry.
        public struct Domain: Sendable, Equatable {
            /// The main name.
            public var main: String
            /// Subject alternative names.
            public var sans: [String]

            /// Creates a domain entry.
            public init(main: String, sans: [String] = []) {
                self.main = main
                self.sans = sans
            }
        }
    }

    /// A load-balancer service. `name` is the full name (`web@swarm`).
    public struct Service: Sendable, Equatable {
        /// The full name, e.g. `web@swarm`.
        public var name: String
        /// Server URLs, one per running task.
        public var servers: [String]
        /// Whether the client's `Host` is passed on (Traefik's default: true).
        public var passHostHeader: Bool
        /// Health-check results per server URL (`UP`/`DOWN`); empty without health checks.
        public var serverStatus: [String: String]
        /// Errors Traefik attached to the service.
        public var errors: [String]
        /// The status when set explicitly; otherwise `disabled` with errors, else `enabled`.
        public var status: String?

        /// Creates a service.
        public init(
            name: String, servers: [String], passHostHeader: Bool = true, serverStatus: [String: String] = [:],
            errors: [String] = [], status: String? = nil
        ) {
            self.name = name
            self.servers = servers
            self.passHostHeader = passHostHeader
            self.serverStatus = serverStatus
            self.errors = errors
            self.status = status
        }
    }

    /// A middleware. `type` is the configuration key as Traefik spells it (`redirectScheme`, `forwardAuth`);
    /// `configuration` its JSON object.
    public struct Middleware: Sendable, Equatable {
        /// The full name, e.g. `redirect@swarm`.
        public var name: String
        /// The configuration key, e.g. `redirectScheme`.
        public var type: String
        /// Its configuration as a JSON object.
        public var configuration: String
        /// Errors Traefik attached (the middleware is then `disabled`).
        public var errors: [String]

        /// Creates a middleware.
        public init(name: String, type: String, configuration: String = "{}", errors: [String] = []) {
            self.name = name
            self.type = type
            self.configuration = configuration
            self.errors = errors
        }
    }

    /// Everything the emulated Traefik has read from its providers. Names may repeat: identical definitions merge,
    /// differing router definitions delete the router (as Traefik's provider merge does).
    public struct Table: Sendable, Equatable {
        /// Router definitions, possibly repeated.
        public var routers: [Router]
        /// Service definitions; repeated names concatenate their servers.
        public var services: [Service]
        /// Middleware definitions.
        public var middlewares: [Middleware]
        /// Capitalised provider names for `/api/overview` (`Swarm`, `File`); the flavor's Swarm name when nil.
        public var providers: [String]?
        /// Traefik's own services, present when its API and dashboard are on; routers may use them
        /// (`service=api@internal`) without the table defining them.
        public var internalServices: [String]

        /// The services a Traefik with `api.dashboard` enabled has on its own.
        public static let dashboardServices = ["api@internal", "dashboard@internal", "noop@internal"]

        /// Creates a table.
        public init(
            routers: [Router] = [], services: [Service] = [], middlewares: [Middleware] = [], providers: [String]? = nil,
            internalServices: [String] = dashboardServices
        ) {
            self.routers = routers
            self.services = services
            self.middlewares = middlewares
            self.providers = providers
            self.internalServices = internalServices
        }
    }
}
