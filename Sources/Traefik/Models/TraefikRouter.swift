/// An HTTP router as `GET /api/http/routers` reports it (docs/wire-formats.md §3.6).
///
/// Every list field is optional on the wire (Go's `omitempty`); absent lists decode as empty. `priority` is an
/// `Int64` because Traefik's internal routers carry values above 2^53 (`9223372036854775806`).
public struct TraefikRouter: Sendable, Equatable, Codable {
    /// The full name with provider, e.g. `web@swarm`.
    public var name: String
    /// The provider, e.g. `swarm`.
    public var provider: String?
    /// The rule, e.g. ``Host(`app.example.com`) && PathPrefix(`/api`)``.
    public var rule: String?
    /// `v2` or `v3` when set per router (v3 only).
    public var ruleSyntax: String?
    /// The service, usually qualified (`web@swarm`).
    public var service: String?
    /// The entry points the router was declared on.
    public var entryPoints: [String]
    /// The entry points it is actually attached to (sorted by Traefik).
    public var using: [String]
    /// Middlewares in the order they run; same-provider ones may lack the suffix.
    public var middlewares: [String]
    /// The TLS section, nil when the router is plain HTTP.
    public var tls: TLS?
    /// `enabled`, `disabled` or `warning`; nil when the field was absent.
    public var status: TraefikStatus?
    /// Errors attached by Traefik (JSON field `error`).
    public var errors: [String]
    /// The priority (v3 fills in the rule length when none was set).
    public var priority: Int64?
    /// The priority as text (v3.6+), there because JSON numbers above 2^53 lose precision in browsers.
    public var priorityText: String?

    /// A router's `tls` object: `{certResolver, options, domains}`; `{}` means TLS with the default certificate.
    public struct TLS: Sendable, Equatable, Codable {
        /// The ACME resolver that obtains the certificate, e.g. `letsencrypt`.
        public var certResolver: String?
        /// The TLS options name (`default` when none was set).
        public var options: String?
        /// Explicit certificate domains.
        public var domains: [Domain]

        /// Creates a TLS section.
        public init(certResolver: String? = nil, options: String? = nil, domains: [Domain] = []) {
            self.certResolver = certResolver
            self.options = options
            self.domains = domains
        }

        /// One `{main, sans}` domain entry.
        public struct Domain: Sendable, Equatable, Codable {
            /// The main name.
            public var main: String?
            /// Subject alternative names.
            public var sans: [String]

            /// Creates a domain entry.
            public init(main: String?, sans: [String] = []) {
                self.main = main
                self.sans = sans
            }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                main = try container.decodeIfPresent(String.self, forKey: .main)
                sans = try container.decodeIfPresent([String].self, forKey: .sans) ?? []
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            certResolver = try container.decodeIfPresent(String.self, forKey: .certResolver)
            options = try container.decodeIfPresent(String.self, forKey: .options)
            domains = try container.decodeIfPresent([Domain].self, forKey: .domains) ?? []
        }
    }

    /// Creates a router (for tests and reports; the API decodes its own).
    public init(
        name: String, provider: String? = nil, rule: String? = nil, service: String? = nil, entryPoints: [String] = [],
        middlewares: [String] = [], tls: TLS? = nil, status: TraefikStatus? = .enabled, errors: [String] = [],
        priority: Int64? = nil, using: [String] = []
    ) {
        self.name = name
        self.provider = provider ?? TraefikResourceName(parsing: name).provider
        self.rule = rule
        self.ruleSyntax = nil
        self.service = service
        self.entryPoints = entryPoints
        self.using = using
        self.middlewares = middlewares
        self.tls = tls
        self.status = status
        self.errors = errors
        self.priority = priority
        self.priorityText = nil
    }

    enum CodingKeys: String, CodingKey {
        case name, provider, rule, ruleSyntax, service, entryPoints, using, middlewares, tls, status, priority
        case errors = "error"
        case priorityText = "priorityStr"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        provider = try container.decodeIfPresent(String.self, forKey: .provider)
        rule = try container.decodeIfPresent(String.self, forKey: .rule)
        ruleSyntax = try container.decodeIfPresent(String.self, forKey: .ruleSyntax)
        service = try container.decodeIfPresent(String.self, forKey: .service)
        entryPoints = try container.decodeIfPresent([String].self, forKey: .entryPoints) ?? []
        using = try container.decodeIfPresent([String].self, forKey: .using) ?? []
        middlewares = try container.decodeIfPresent([String].self, forKey: .middlewares) ?? []
        tls = try container.decodeIfPresent(TLS.self, forKey: .tls)
        status = try container.decodeIfPresent(TraefikStatus.self, forKey: .status)
        errors = try container.decodeIfPresent([String].self, forKey: .errors) ?? []
        priority = try container.decodeIfPresent(Int64.self, forKey: .priority)
        priorityText = try container.decodeIfPresent(String.self, forKey: .priorityText)
    }

    /// The provider this router came from: the `provider` field, else the suffix of its name.
    public var providerName: String? { provider ?? TraefikResourceName(parsing: name).provider }
}
