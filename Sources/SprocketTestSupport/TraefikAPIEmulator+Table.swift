extension TraefikAPIEmulator {
    /// Which Traefik the emulator pretends to be; it decides the fields a router carries (wire-contracts §3.6).
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
        public var name: String
        public var rule: String
        public var service: String
        public var entryPoints: [String]
        public var middlewares: [String]
        public var priority: Int64?
        public var ruleSyntax: String?
        public var tls: TLS?
        /// Errors attached on top of the ones the emulator derives (missing service or middleware).
        public var errors: [String]
        /// The status when set explicitly; otherwise derived from the errors (`disabled` when any).
        public var status: String?

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
        public var certResolver: String?
        public var options: String?
        /// `(main, sans)` pairs.
        public var domains: [Domain]

        public init(certResolver: String? = nil, options: String? = nil, domains: [Domain] = []) {
            self.certResolver = certResolver
            self.options = options
            self.domains = domains
        }

        /// One `{main, sans}` entry.
        public struct Domain: Sendable, Equatable {
            public var main: String
            public var sans: [String]

            public init(main: String, sans: [String] = []) {
                self.main = main
                self.sans = sans
            }
        }
    }

    /// A load-balancer service. `name` is the full name (`web@swarm`).
    public struct Service: Sendable, Equatable {
        public var name: String
        /// Server URLs, one per running task.
        public var servers: [String]
        public var passHostHeader: Bool
        /// Health-check results per server URL (`UP`/`DOWN`); empty without health checks.
        public var serverStatus: [String: String]
        public var errors: [String]
        public var status: String?

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
        public var name: String
        public var type: String
        public var configuration: String
        public var errors: [String]

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
        public var routers: [Router]
        public var services: [Service]
        public var middlewares: [Middleware]
        /// Capitalised provider names for `/api/overview` (`Swarm`, `File`); the flavor's Swarm name when nil.
        public var providers: [String]?
        /// Traefik's own services, present when its API and dashboard are on; routers may use them
        /// (`service=api@internal`) without the table defining them.
        public var internalServices: [String]

        /// The services a Traefik with `api.dashboard` enabled has on its own.
        public static let dashboardServices = ["api@internal", "dashboard@internal", "noop@internal"]

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
