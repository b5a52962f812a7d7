/// One secrets engine mount, as `GET /v1/sys/mounts` lists it.
public struct VaultMount: Sendable, Equatable, Decodable {
    /// `kv`, `cubbyhole`, `system`, `identity`, …
    public var type: String
    public var description: String?
    public var accessor: String?
    /// Engine options; KV v2 has `version: "2"`.
    public var options: [String: String]?
    public var local: Bool?
    public var sealWrap: Bool?

    enum CodingKeys: String, CodingKey {
        case type, description, accessor, options, local
        case sealWrap = "seal_wrap"
    }

    /// True for a KV version 2 engine.
    public var isKVVersion2: Bool { type == "kv" && options?["version"] == "2" }

    /// Creates a value (for tests and callers that build expectations).
    public init(type: String, description: String? = nil, options: [String: String]? = nil) {
        self.type = type
        self.description = description
        self.options = options
    }

    /// Decodes, reading option values that are not strings as absent (Vault's options are strings).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        accessor = try container.decodeIfPresent(String.self, forKey: .accessor)
        let rawOptions = try? container.decodeIfPresent([String: VaultJSONValue].self, forKey: .options)
        options = rawOptions?.compactMapValues(\.stringValue)
        local = try container.decodeIfPresent(Bool.self, forKey: .local)
        sealWrap = try container.decodeIfPresent(Bool.self, forKey: .sealWrap)
    }
}

/// `GET /v1/sys/mounts/:path/tune`: a mount's tunable settings.
public struct VaultMountTune: Sendable, Equatable, Decodable {
    /// Seconds; 0 means the system default.
    public var defaultLeaseTTL: Int
    /// Seconds; 0 means the system default.
    public var maxLeaseTTL: Int
    public var forceNoCache: Bool?
    public var description: String?
    /// Engine options; KV v2 has `version: "2"`.
    public var options: [String: String]?

    enum CodingKeys: String, CodingKey {
        case defaultLeaseTTL = "default_lease_ttl"
        case maxLeaseTTL = "max_lease_ttl"
        case forceNoCache = "force_no_cache"
        case description, options
    }

    /// Decodes, reading option values that are not strings as absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        defaultLeaseTTL = try container.decodeIfPresent(Int.self, forKey: .defaultLeaseTTL) ?? 0
        maxLeaseTTL = try container.decodeIfPresent(Int.self, forKey: .maxLeaseTTL) ?? 0
        forceNoCache = try container.decodeIfPresent(Bool.self, forKey: .forceNoCache)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        let rawOptions = try? container.decodeIfPresent([String: VaultJSONValue].self, forKey: .options)
        options = rawOptions?.compactMapValues(\.stringValue)
    }
}
