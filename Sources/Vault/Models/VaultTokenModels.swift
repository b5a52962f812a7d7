import Foundation

/// What to ask for in `POST /v1/auth/token/create` (or `create-orphan`).
public struct VaultTokenRequest: Sendable, Equatable {
    /// Policy names; Vault adds `default` unless ``noDefaultPolicy`` is set.
    public var policies: [String]
    /// Lifetime; nil means the mount's default (768 h unless tuned), which is how the original tokens expired.
    public var ttl: Duration?
    /// A periodic token: renewable forever, each renewal for this long.
    public var period: Duration?
    /// A hard cap on the lifetime, renewals included.
    public var explicitMaxTTL: Duration?
    /// Whether the token may be renewed (Vault's default: true).
    public var renewable: Bool
    /// An orphan token survives the revocation of its parent. Uses `auth/token/create-orphan`.
    public var orphan: Bool
    /// Shown in lookups and audit logs (Vault prefixes it with `token-`).
    public var displayName: String?
    /// Free-form metadata, e.g. the consumer's name.
    public var metadata: [String: String]
    /// Leave out the `default` policy.
    public var noDefaultPolicy: Bool
    /// Uses before the token is revoked; 0 means unlimited.
    public var numUses: Int

    /// Creates a request.
    public init(
        policies: [String], ttl: Duration? = nil, period: Duration? = nil, explicitMaxTTL: Duration? = nil,
        renewable: Bool = true, orphan: Bool = false, displayName: String? = nil, metadata: [String: String] = [:],
        noDefaultPolicy: Bool = false, numUses: Int = 0
    ) {
        self.policies = policies
        self.ttl = ttl
        self.period = period
        self.explicitMaxTTL = explicitMaxTTL
        self.renewable = renewable
        self.orphan = orphan
        self.displayName = displayName
        self.metadata = metadata
        self.noDefaultPolicy = noDefaultPolicy
        self.numUses = numUses
    }
}

/// A token as create and renew answer it (`auth`). The token itself is a ``VaultSecretString``.
public struct VaultTokenAuth: Sendable, Equatable {
    /// The token. Secret.
    public var clientToken: VaultSecretString
    /// The accessor: looks up and revokes the token without being able to use it.
    public var accessor: String
    /// All policies, `default` included.
    public var policies: [String]
    public var metadata: [String: String]
    /// Time to live from now (zero for tokens that never expire, such as root).
    public var leaseDuration: Duration
    public var renewable: Bool
    public var orphan: Bool
    /// `service` or `batch`.
    public var tokenType: String
    /// Vault's warnings, e.g. `Policy "web" does not exist` or a TTL capped by max TTL.
    public var warnings: [String]

    init(_ body: VaultAuthBody, warnings: [String]?) {
        clientToken = body.clientToken
        accessor = body.accessor ?? ""
        policies = body.policies ?? body.tokenPolicies ?? []
        metadata = body.metadata ?? [:]
        leaseDuration = .seconds(body.leaseDuration)
        renewable = body.renewable
        orphan = body.orphan ?? false
        tokenType = body.tokenType ?? "service"
        self.warnings = warnings ?? []
    }
}

/// `data` of `auth/token/lookup-self`, `lookup` and `lookup-accessor`.
public struct VaultTokenInfo: Sendable, Equatable, Decodable {
    public var accessor: String
    /// Unix seconds.
    public var creationTime: Int
    /// The TTL the token was created with, in seconds.
    public var creationTTL: Int
    public var displayName: String
    /// RFC 3339; nil for tokens that never expire.
    public var expireTime: String?
    /// Seconds; 0 when none.
    public var explicitMaxTTL: Int
    /// The token itself (empty in lookup-accessor answers). Secret.
    public var id: VaultSecretString
    public var meta: [String: String]?
    public var numUses: Int
    public var orphan: Bool
    /// The creation path, e.g. `auth/token/create`.
    public var path: String
    public var policies: [String]
    public var renewable: Bool
    /// Seconds left; 0 for tokens that never expire.
    public var ttl: Int
    /// Seconds, for periodic tokens.
    public var period: Int?
    /// `service` or `batch`.
    public var type: String?

    enum CodingKeys: String, CodingKey {
        case accessor
        case creationTime = "creation_time"
        case creationTTL = "creation_ttl"
        case displayName = "display_name"
        case expireTime = "expire_time"
        case explicitMaxTTL = "explicit_max_ttl"
        case id, meta
        case numUses = "num_uses"
        case orphan, path, policies, renewable, ttl, period, type
    }

    /// Decodes, tolerating fields that some token kinds leave out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessor = try container.decodeIfPresent(String.self, forKey: .accessor) ?? ""
        creationTime = try container.decodeIfPresent(Int.self, forKey: .creationTime) ?? 0
        creationTTL = try container.decodeIfPresent(Int.self, forKey: .creationTTL) ?? 0
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName) ?? ""
        expireTime = try container.decodeIfPresent(String.self, forKey: .expireTime)
        explicitMaxTTL = try container.decodeIfPresent(Int.self, forKey: .explicitMaxTTL) ?? 0
        id = try container.decodeIfPresent(VaultSecretString.self, forKey: .id) ?? VaultSecretString("")
        meta = try container.decodeIfPresent([String: String].self, forKey: .meta)
        numUses = try container.decodeIfPresent(Int.self, forKey: .numUses) ?? 0
        orphan = try container.decodeIfPresent(Bool.self, forKey: .orphan) ?? false
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
        policies = try container.decodeIfPresent([String].self, forKey: .policies) ?? []
        renewable = try container.decodeIfPresent(Bool.self, forKey: .renewable) ?? false
        ttl = try container.decodeIfPresent(Int.self, forKey: .ttl) ?? 0
        period = try container.decodeIfPresent(Int.self, forKey: .period)
        type = try container.decodeIfPresent(String.self, forKey: .type)
    }

    /// When the token expires, nil when it never does.
    public var expiresAt: Date? {
        guard ttl > 0 || expireTime != nil else { return nil }
        if let expireTime, let parsed = VaultTime.parse(expireTime) { return parsed }
        return nil
    }
}

/// RFC 3339 timestamps as Vault writes them (with or without fractional seconds, any offset).
public enum VaultTime {
    /// Parses `2018-05-19T11:35:54.466476215-04:00` or `2025-01-03T23:37:19Z`.
    public static func parse(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // ISO8601DateFormatter takes at most millisecond fractions reliably: trim longer ones.
        var trimmed = text
        if let dot = text.firstIndex(of: "."),
            let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" })
        {
            let fraction = text[text.index(after: dot)..<zone].prefix(3)
            trimmed = String(text[..<dot]) + "." + fraction + String(text[zone...])
        }
        if let date = withFraction.date(from: trimmed) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        return plain.date(from: text)
    }
}

extension Duration {
    /// Whole seconds as Vault's duration text, e.g. `3600s`.
    var vaultSeconds: String { "\(components.seconds)s" }
}
