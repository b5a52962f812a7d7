/// `GET /api/overview`: counts of routers, services and middlewares per protocol, the enabled features and the
/// configured providers.
public struct TraefikOverview: Sendable, Equatable, Codable {
    /// HTTP counts.
    public var http: Section
    /// TCP counts.
    public var tcp: Section?
    /// UDP counts (no middlewares).
    public var udp: Section?
    /// Access log, metrics and tracing settings.
    public var features: Features?
    /// Capitalised provider names, e.g. `["Docker", "Swarm", "File"]`; absent when none is configured.
    public var providers: [String]

    /// The counts of one protocol.
    public struct Section: Sendable, Equatable, Codable {
        /// Router counts.
        public var routers: Counts?
        /// Service counts.
        public var services: Counts?
        /// Middleware counts (HTTP and TCP only).
        public var middlewares: Counts?
    }

    /// `{total, warnings, errors}`.
    public struct Counts: Sendable, Equatable, Codable {
        /// All of this kind.
        public var total: Int
        /// Those with status `warning`.
        public var warnings: Int
        /// Those with status `disabled`.
        public var errors: Int
    }

    /// `features`: `accessLog` is a Boolean; `metrics` and `tracing` name the backend or are empty.
    public struct Features: Sendable, Equatable, Codable {
        /// Whether access logging is on.
        public var accessLog: Bool?
        /// The metrics backend, e.g. `Prometheus`, or empty.
        public var metrics: String?
        /// The tracing backend, or empty.
        public var tracing: String?
    }

    enum CodingKeys: String, CodingKey {
        case http, tcp, udp, features, providers
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        http = try container.decode(Section.self, forKey: .http)
        tcp = try container.decodeIfPresent(Section.self, forKey: .tcp)
        udp = try container.decodeIfPresent(Section.self, forKey: .udp)
        features = try container.decodeIfPresent(Features.self, forKey: .features)
        providers = try container.decodeIfPresent([String].self, forKey: .providers) ?? []
    }
}
