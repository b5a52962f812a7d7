/// An HTTP service as `GET /api/http/services` reports it (docs/wire-formats.md §3.6).
public struct TraefikService: Sendable, Equatable, Codable {
    /// The full name with provider, e.g. `web@swarm`.
    public var name: String
    /// The provider, e.g. `swarm`.
    public var provider: String?
    /// `loadbalancer`, `weighted`, `mirroring` or `failover`.
    public var type: String?
    /// `enabled`, `disabled` or `warning`; nil when the field was absent.
    public var status: TraefikStatus?
    /// Routers using this service.
    public var usedBy: [String]
    /// Health-check state per server URL (`UP`/`DOWN`); empty when no health check is configured.
    public var serverStatus: [String: String]
    /// The load balancer, for `loadbalancer` services.
    public var loadBalancer: LoadBalancer?
    /// Errors attached by Traefik (JSON field `error`).
    public var errors: [String]

    /// A service's `loadBalancer` object.
    public struct LoadBalancer: Sendable, Equatable, Codable {
        /// The servers requests are balanced over: one per running Swarm task.
        public var servers: [Server]
        /// Whether the client's `Host` header is passed on.
        public var passHostHeader: Bool?

        /// Creates a load balancer.
        public init(servers: [Server], passHostHeader: Bool? = nil) {
            self.servers = servers
            self.passHostHeader = passHostHeader
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            servers = try container.decodeIfPresent([Server].self, forKey: .servers) ?? []
            passHostHeader = try container.decodeIfPresent(Bool.self, forKey: .passHostHeader)
        }
    }

    /// One `{url}` server entry.
    public struct Server: Sendable, Equatable, Codable {
        /// The server's URL, e.g. `http://10.0.1.7:8080`.
        public var url: String?

        /// Creates a server entry.
        public init(url: String?) { self.url = url }
    }

    /// Creates a service (for tests and reports; the API decodes its own).
    public init(
        name: String, provider: String? = nil, type: String? = "loadbalancer", status: TraefikStatus? = .enabled,
        usedBy: [String] = [], serverStatus: [String: String] = [:], loadBalancer: LoadBalancer? = nil,
        errors: [String] = []
    ) {
        self.name = name
        self.provider = provider ?? TraefikResourceName(parsing: name).provider
        self.type = type
        self.status = status
        self.usedBy = usedBy
        self.serverStatus = serverStatus
        self.loadBalancer = loadBalancer
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case name, provider, type, status, usedBy, serverStatus, loadBalancer
        case errors = "error"
    }

    public init(from decoder: any Decoder) throws {
        let fields = try TraefikResourceFields(from: decoder)
        (name, provider, type, status) = (fields.name, fields.provider, fields.type, fields.status)
        (usedBy, errors) = (fields.usedBy, fields.errors)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        serverStatus = try container.decodeIfPresent([String: String].self, forKey: .serverStatus) ?? [:]
        loadBalancer = try container.decodeIfPresent(LoadBalancer.self, forKey: .loadBalancer)
    }

    /// The server URLs of the load balancer (empty for other service types).
    public var serverURLs: [String] { loadBalancer?.servers.compactMap(\.url) ?? [] }
}
