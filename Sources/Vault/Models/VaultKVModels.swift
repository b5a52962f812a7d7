/// The metadata of one version of a KV v2 secret (`data.metadata` of a read, `data` of a write).
public struct VaultKVVersionMetadata: Sendable, Equatable, Decodable {
    /// The version number, from 1.
    public var version: Int
    /// RFC 3339 time the version was written.
    public var createdTime: String
    /// RFC 3339 time the version was soft-deleted, `""` when it was not.
    public var deletionTime: String
    /// Whether the version was destroyed for good.
    public var destroyed: Bool
    /// Custom metadata of the secret, if any.
    public var customMetadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case version
        case createdTime = "created_time"
        case deletionTime = "deletion_time"
        case destroyed
        case customMetadata = "custom_metadata"
    }

    /// True when the version is soft-deleted or destroyed.
    public var isDeleted: Bool { destroyed || !deletionTime.isEmpty }
}

/// One version of a KV v2 secret: its data (never printed) and metadata.
public struct VaultKVSecret: Sendable, Equatable, Decodable {
    /// The key/value pairs.
    public var data: VaultSecretData
    /// The version's metadata.
    public var metadata: VaultKVVersionMetadata
}

/// `GET /:mount/metadata/:path`: every version of a secret and its settings.
public struct VaultKVMetadata: Sendable, Equatable, Decodable {
    /// The state of one version.
    public struct VersionState: Sendable, Equatable, Decodable {
        public var createdTime: String
        public var deletionTime: String
        public var destroyed: Bool

        enum CodingKeys: String, CodingKey {
            case createdTime = "created_time"
            case deletionTime = "deletion_time"
            case destroyed
        }
    }

    public var casRequired: Bool
    public var createdTime: String
    public var currentVersion: Int
    public var oldestVersion: Int
    /// 0 means the engine's setting (default 10).
    public var maxVersions: Int
    public var updatedTime: String
    /// A Go duration, `"0s"` when unset.
    public var deleteVersionAfter: String?
    public var customMetadata: [String: String]?
    /// Keyed by version number.
    public var versions: [Int: VersionState]

    enum CodingKeys: String, CodingKey {
        case casRequired = "cas_required"
        case createdTime = "created_time"
        case currentVersion = "current_version"
        case oldestVersion = "oldest_version"
        case maxVersions = "max_versions"
        case updatedTime = "updated_time"
        case deleteVersionAfter = "delete_version_after"
        case customMetadata = "custom_metadata"
        case versions
    }

    /// Decodes; the `versions` object has string keys ("1", "2", …).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        casRequired = try container.decodeIfPresent(Bool.self, forKey: .casRequired) ?? false
        createdTime = try container.decodeIfPresent(String.self, forKey: .createdTime) ?? ""
        currentVersion = try container.decode(Int.self, forKey: .currentVersion)
        oldestVersion = try container.decodeIfPresent(Int.self, forKey: .oldestVersion) ?? 0
        maxVersions = try container.decodeIfPresent(Int.self, forKey: .maxVersions) ?? 0
        updatedTime = try container.decodeIfPresent(String.self, forKey: .updatedTime) ?? ""
        deleteVersionAfter = try container.decodeIfPresent(String.self, forKey: .deleteVersionAfter)
        customMetadata = try container.decodeIfPresent([String: String].self, forKey: .customMetadata)
        let raw = try container.decodeIfPresent([String: VersionState].self, forKey: .versions) ?? [:]
        versions = Dictionary(uniqueKeysWithValues: raw.compactMap { key, value in Int(key).map { ($0, value) } })
    }
}

/// `GET /:mount/config` of a KV v2 engine.
public struct VaultKVConfig: Sendable, Equatable, Decodable {
    /// 0 means the default, 10.
    public var maxVersions: Int
    public var casRequired: Bool
    public var deleteVersionAfter: String?

    enum CodingKeys: String, CodingKey {
        case maxVersions = "max_versions"
        case casRequired = "cas_required"
        case deleteVersionAfter = "delete_version_after"
    }
}
