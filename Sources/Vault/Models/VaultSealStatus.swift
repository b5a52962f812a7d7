/// `GET /v1/sys/seal-status` (also the answer to every `sys/unseal` call).
public struct VaultSealStatus: Sendable, Equatable, Decodable {
    /// `shamir`, or the auto-unseal type (`awskms`, `transit`, …).
    public var type: String
    /// Whether `sys/init` has run.
    public var initialized: Bool
    /// Whether Vault is sealed.
    public var sealed: Bool
    /// The threshold: shares needed to unseal.
    public var threshold: Int
    /// The number of shares that exist.
    public var shares: Int
    /// Shares submitted so far in the current unseal attempt.
    public var progress: Int
    /// The id of the current unseal attempt, `""` when none is in progress.
    public var nonce: String
    /// The server version, e.g. `1.15.6`.
    public var version: String
    /// Whether a seal migration is in progress.
    public var migration: Bool
    /// True for auto-unseal seals, whose `t`/`n` describe recovery keys.
    public var recoverySeal: Bool
    /// The storage backend (`raft`, `file`, `s3`…), when the server tells.
    public var storageType: String?
    /// Present only when unsealed.
    public var clusterName: String?
    /// Present only when unsealed.
    public var clusterID: String?

    enum CodingKeys: String, CodingKey {
        case type, initialized, sealed
        case threshold = "t"
        case shares = "n"
        case progress, nonce, version, migration
        case recoverySeal = "recovery_seal"
        case storageType = "storage_type"
        case clusterName = "cluster_name"
        case clusterID = "cluster_id"
    }

    /// Decodes, tolerating the fields older servers leave out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? "shamir"
        initialized = try container.decodeIfPresent(Bool.self, forKey: .initialized) ?? true
        sealed = try container.decode(Bool.self, forKey: .sealed)
        threshold = try container.decodeIfPresent(Int.self, forKey: .threshold) ?? 0
        shares = try container.decodeIfPresent(Int.self, forKey: .shares) ?? 0
        progress = try container.decodeIfPresent(Int.self, forKey: .progress) ?? 0
        nonce = try container.decodeIfPresent(String.self, forKey: .nonce) ?? ""
        version = try container.decodeIfPresent(String.self, forKey: .version) ?? ""
        migration = try container.decodeIfPresent(Bool.self, forKey: .migration) ?? false
        recoverySeal = try container.decodeIfPresent(Bool.self, forKey: .recoverySeal) ?? false
        storageType = try container.decodeIfPresent(String.self, forKey: .storageType)
        clusterName = try container.decodeIfPresent(String.self, forKey: .clusterName)
        clusterID = try container.decodeIfPresent(String.self, forKey: .clusterID)
    }
}
