/// `secrets:` in stack.yaml: the secrets whose values come from outside the stack (Doppler, the environment, a
/// file, or generated once), optionally provisioned to a Vault KV v2 path, and mounted in their consumers.
///
/// `secrets sync` (and `up`, before the consuming layers) reads every source, writes Vault when a value changed,
/// and keeps the value a Docker secret is created from in the sealed store under ``SealedStoreKey/manifest(_:)``.
public struct SecretManifest: Sendable, Hashable {
    /// Where the values of `doppler:` entries are read in this environment.
    public enum DopplerSource: String, Sendable, Hashable, CaseIterable {
        /// Doppler itself (`DOPPLER_TOKEN`): the source of truth in production and staging.
        case doppler
        /// The stack environment's local encrypted store, each entry under its Doppler name (`secrets set NAME`,
        /// `secrets import-env`): a laptop or CI environment runs with development values and no Doppler account.
        case local
    }

    /// `doppler: {project, config}` at the top of stack.yaml: the defaults of every `doppler:` source.
    public var dopplerProject: String?
    public var dopplerConfig: String?
    /// `doppler: {source: local}`: the Doppler names are read from the local store instead (usually set per
    /// environment through a setting); the parser then gives those entries the source ``SecretSpec/Source/local(name:)``.
    public var dopplerSource: DopplerSource
    /// The entries in file order.
    public var entries: [SecretManifestEntry]

    public init(
        dopplerProject: String? = nil, dopplerConfig: String? = nil, dopplerSource: DopplerSource = .doppler,
        entries: [SecretManifestEntry] = []
    ) {
        self.dopplerProject = dopplerProject
        self.dopplerConfig = dopplerConfig
        self.dopplerSource = dopplerSource
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }
}

/// One secret of ``SecretManifest``.
public struct SecretManifestEntry: Sendable, Hashable {
    /// A field of a KV v2 secret: `platform/prod/oauth/google#client_secret` is the secret `platform/prod/oauth/google`
    /// (mount `platform`, path `prod/oauth/google`), field `client_secret` (default field: `value`).
    public struct VaultLocation: Sendable, Hashable, CustomStringConvertible {
        public var secret: VaultKVPath
        public var field: String

        public init(secret: VaultKVPath, field: String) {
            self.secret = secret
            self.field = field
        }

        public var mount: String { secret.mount }
        public var path: String { secret.path }

        /// `mount/path#field`.
        public var description: String { "\(secret)#\(field)" }
    }

    /// A service that mounts the secret, and where.
    public struct Consumer: Sendable, Hashable {
        public var service: String
        public var target: String
        public var location: SourceLocation

        public init(service: String, target: String, location: SourceLocation) {
            self.service = service
            self.target = target
            self.location = location
        }
    }

    public var name: String
    /// Where the value comes from (`doppler`, `environment`, `file`, `generate` or `local`).
    public var source: SecretSpec.Source
    public var vault: VaultLocation?
    public var consumers: [Consumer]
    public var location: SourceLocation

    public init(name: String, source: SecretSpec.Source, vault: VaultLocation? = nil, consumers: [Consumer], location: SourceLocation) {
        self.name = name
        self.source = source
        self.vault = vault
        self.consumers = consumers
        self.location = location
    }

    /// The sealed-store entry that holds the value the Docker secret is created from.
    public var storeKey: String { SealedStoreKey.manifest(name).rawValue }
}
