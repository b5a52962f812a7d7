import Foundation

/// What `vault init` returns and nobody may lose: the unseal key shares and the initial root token.
///
/// Its `description` never shows a key or the token, so that a stray `print` or log line cannot leak them.
public struct VaultKeyMaterial: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The unseal key shares, base64 as Vault's `keys_base64`.
    public var unsealKeys: [String]
    public var rootToken: String
    /// Shares needed to unseal.
    public var threshold: Int
    /// The Vault these keys belong to (its address when initialised), to catch a key file used on another Vault.
    public var vaultAddress: String
    public var createdAt: Date

    public init(unsealKeys: [String], rootToken: String, threshold: Int, vaultAddress: String, createdAt: Date) {
        self.unsealKeys = unsealKeys
        self.rootToken = rootToken
        self.threshold = threshold
        self.vaultAddress = vaultAddress
        self.createdAt = createdAt
    }

    public var description: String {
        "VaultKeyMaterial(\(unsealKeys.count) unseal keys, threshold \(threshold), root token <redacted>, for \(vaultAddress))"
    }
}
