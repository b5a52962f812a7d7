/// The answer to `PUT /v1/sys/init`: the unseal key shares and the initial root token. All of it is secret.
public struct VaultInitResult: Sendable, Equatable, Decodable, CustomStringConvertible {
    /// The shares, hex-encoded (`keys`).
    public var keys: [VaultSecretString]
    /// The same shares, standard base64 (`keys_base64`).
    public var keysBase64: [VaultSecretString]
    /// Recovery keys (auto-unseal only; they cannot unseal).
    public var recoveryKeys: [VaultSecretString]
    /// The initial root token.
    public var rootToken: VaultSecretString

    enum CodingKeys: String, CodingKey {
        case keys
        case keysBase64 = "keys_base64"
        case recoveryKeys = "recovery_keys"
        case rootToken = "root_token"
    }

    /// Creates a result (e.g. from a key file read back by key custody).
    public init(
        keys: [VaultSecretString], keysBase64: [VaultSecretString], recoveryKeys: [VaultSecretString] = [],
        rootToken: VaultSecretString
    ) {
        self.keys = keys
        self.keysBase64 = keysBase64
        self.recoveryKeys = recoveryKeys
        self.rootToken = rootToken
    }

    /// Decodes; `keys` are empty for auto-unseal seals.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        keys = try container.decodeIfPresent([VaultSecretString].self, forKey: .keys) ?? []
        keysBase64 = try container.decodeIfPresent([VaultSecretString].self, forKey: .keysBase64) ?? []
        recoveryKeys = try container.decodeIfPresent([VaultSecretString].self, forKey: .recoveryKeys) ?? []
        rootToken = try container.decode(VaultSecretString.self, forKey: .rootToken)
    }

    /// Counts only, e.g. `VaultInitResult(5 keys, root token redacted)`.
    public var description: String { "VaultInitResult(\(keys.count) keys, root token redacted)" }
}
