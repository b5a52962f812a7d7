/// One token of `vault.tokens`: the policies it carries, how long it lives, and the services that mount it.
///
/// The original created tokens with no TTL from the root token, handed the root token to services, and broke
/// a month later when the tokens expired. Here every consumer gets its own token, limited to its policies, with
/// a TTL or a period; `up` renews it (or replaces it when it can no longer be renewed) once it is within
/// ``renewWithin`` of expiring, and `vault status` shows when each one expires.
public struct VaultTokenSpec: Sendable, Hashable {
    public var name: String
    /// ACL policy names (declared under `vault.policies` or existing in Vault); never `root`.
    public var policies: [String]
    /// A periodic token's period: renewable forever, each renewal resets its TTL to the period.
    public var period: Duration?
    /// A non-periodic token's TTL (Vault's default max TTL still caps renewals).
    public var ttl: Duration?
    /// `up` renews the token when less than this remains; default one third of the period or TTL.
    public var renewWithin: Duration?
    /// The services that mount the token (as `/run/secrets/<secretName>`).
    public var consumers: [String]
    public var location: SourceLocation

    public init(
        name: String, policies: [String], period: Duration? = nil, ttl: Duration? = nil, renewWithin: Duration? = nil,
        consumers: [String], location: SourceLocation
    ) {
        self.name = name
        self.policies = policies
        self.period = period
        self.ttl = ttl
        self.renewWithin = renewWithin
        self.consumers = consumers
        self.location = location
    }

    /// The stack secret that carries the token: `vault-token-<name>`.
    public var secretName: String { "vault-token-\(name)" }

    /// The lifetime the token is created with.
    public var lifetime: Duration { period ?? ttl ?? Self.defaultLifetime }

    /// The lifetime of a token with neither `period` nor `ttl`: Vault's default max TTL, 768 h.
    public static let defaultLifetime = Duration.seconds(768 * 3600)

    /// When `up` renews it.
    public var renewalThreshold: Duration { renewWithin ?? lifetime / 3 }
}
