/// The one namespace of the sealed secret store: every value the store keeps, and the entry it is kept under.
/// The raw keys are those written by earlier versions, so stores written before keep working.
public enum SealedStoreKey: Sendable, Hashable, CustomStringConvertible {
    /// A layer secret's `generate:` value, under the secret's own name (names never contain `/`).
    case generated(String)
    /// A value set by hand with `sprocketctl secrets set NAME`.
    case local(String)
    /// The value a manifest secret's Docker secret is created from, kept by `secrets sync`.
    case manifest(String)
    /// A Vault token of `vault.tokens`, minted by `up`.
    case vaultToken(String)
    /// What is known about that token (accessor, policies, lifetime) as JSON, never the token.
    case vaultTokenRecord(String)
    /// The tokens `up` replaced and revokes once their consumers run with the new one (accessors, as JSON).
    case vaultTokenRetired(String)
    /// Half of the unattended unsealer's custody.
    case vaultUnsealer(VaultUnsealerSecret)
    /// Which key shares the unsealer's key file holds (a digest, never a share).
    case vaultUnsealerRecord
    /// The key that fingerprints each Docker secret's value in its name (``SecretNamingKey``).
    case dockerSecretNamingKey

    /// The entry's name in the store.
    public var rawValue: String {
        switch self {
        case .generated(let name): name
        case .local(let name): "local/\(name)"
        case .manifest(let name): "manifest-secret/\(name)"
        case .vaultToken(let name): "vault-token/\(name)"
        case .vaultTokenRecord(let name): "vault-token-record/\(name)"
        case .vaultTokenRetired(let name): "vault-token-retired/\(name)"
        case .vaultUnsealer(let part): "vault-unsealer/\(part.rawValue)"
        case .vaultUnsealerRecord: "vault-unsealer-record"
        case .dockerSecretNamingKey: "naming-key/docker-secrets"
        }
    }

    public var description: String { rawValue }
}
