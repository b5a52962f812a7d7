/// An HTTP middleware as `GET /api/http/middlewares` reports it. Only the fields a verification needs are decoded;
/// the middleware's own configuration (`forwardAuth`, `redirectScheme`, …) is left out.
public struct TraefikMiddleware: Sendable, Equatable, Codable {
    /// The full name with provider, e.g. `redirect@swarm`.
    public var name: String
    /// The provider, e.g. `swarm`.
    public var provider: String?
    /// The kind in lower case, e.g. `redirectscheme`, `forwardauth`.
    public var type: String?
    /// `enabled`, `disabled` or `warning`; nil when the field was absent.
    public var status: TraefikStatus?
    /// Routers using this middleware.
    public var usedBy: [String]
    /// Errors attached by Traefik (JSON field `error`).
    public var errors: [String]

    enum CodingKeys: String, CodingKey {
        case name, provider, type, status, usedBy
        case errors = "error"
    }

    /// Creates a middleware (for tests and reports; the API decodes its own).
    public init(
        name: String, provider: String? = nil, type: String? = nil, status: TraefikStatus? = .enabled,
        usedBy: [String] = [], errors: [String] = []
    ) {
        self.name = name
        self.provider = provider ?? TraefikResourceName(parsing: name).provider
        self.type = type
        self.status = status
        self.usedBy = usedBy
        self.errors = errors
    }

    public init(from decoder: any Decoder) throws {
        let fields = try TraefikResourceFields(from: decoder)
        (name, provider, type, status) = (fields.name, fields.provider, fields.type, fields.status)
        (usedBy, errors) = (fields.usedBy, fields.errors)
    }
}
