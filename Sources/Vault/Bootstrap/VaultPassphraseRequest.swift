/// Which passphrase the bootstrap needs, so a prompt can say what it is for (and ask twice for a new one).
public enum VaultPassphraseRequest: Sendable, Equatable {
    /// The passphrase of the key file (the root token, and every share unless they are kept separately).
    case keyFile(path: String, isNew: Bool)
    /// The passphrase of one custodian's share file, `index` counted from 1.
    case share(path: String, index: Int, count: Int)
}

/// Supplies passphrases when the bootstrap needs them; the CLI prompts on a terminal or reads
/// `SPROCKET_VAULT_PASSPHRASE`. Throw ``VaultCustodyError/noPassphrase`` when there is none.
public typealias VaultPassphraseProvider = @Sendable (VaultPassphraseRequest) throws -> String
