/// `vault:` in stack.yaml: the Vault the stack runs or uses, and the layer after which it must be unsealed.
///
/// `up` unseals it (from the passphrase-sealed key file that `vault init` wrote) as part of that layer's gate, so
/// a later layer never starts against a sealed Vault; one that cannot be unsealed is a named gate failure.
public struct VaultSpec: Sendable, Hashable {
    /// `https://vault.example.org:8200`, or whatever reaches it from where `up` runs.
    public var address: String
    /// The key file (default: the `vault` commands' default, `~/.config/sprocketctl/vault/keys`).
    public var keyFile: String?
    /// The layer that runs Vault (or, for an external Vault, the first layer that needs it unsealed).
    public var layer: String
    public var location: SourceLocation

    public init(address: String, keyFile: String? = nil, layer: String, location: SourceLocation) {
        self.address = address
        self.keyFile = keyFile
        self.layer = layer
        self.location = location
    }
}
