/// A loaded, interpolated and typed stack for one environment: the input of the desired-state builder.
///
/// Produced by ``SpecLoader``; every element keeps its ``SourceLocation`` so later checks can point at it.
public struct StackSpec: Sendable, Hashable {
    /// The stack's name (`stack:` in `stack.yaml`, or the Compose project name).
    public var name: String
    public var description: String?
    /// The selected environment (`--env`), also the built-in setting `env`.
    public var environment: String
    /// All environments the spec declares (for `--env` validation and listings).
    public var declaredEnvironments: [String]
    /// The resolved settings, after defaults < environment section < `SPROCKET_*` variables.
    public var settings: Settings
    /// Layers in file order; deploy order comes from ``LayerSpec/needs``.
    public var layers: [LayerSpec]
    /// Traefik version, domain, access profiles and ACME settings (`routing:`), for the selected environment.
    public var routing = RoutingSpec()
    /// `vault:`: the Vault `up` unseals after its layer, nil when the stack declares none.
    public var vault: VaultSpec?
    /// `postgres:`: the managed PostgreSQL whose roles, databases and grants the stack provisions, nil when none.
    public var postgres: PostgresSpec?
    /// `s3:`: the S3-compatible storage and the buckets the stack declares, nil when it declares none.
    public var s3: S3Spec?
    /// `secrets:` (and `doppler:`): the secret manifest `secrets sync` and `up` keep in step; empty when none.
    public var secretManifest = SecretManifest()
    /// The folder relative paths in the spec are resolved against.
    public var rootDirectory: String
    /// Where `stack.yaml` (or the Compose file) is.
    public var location: SourceLocation
    /// How the stack was given: a stack folder/file or a plain Compose file.
    public var kind: Kind
    /// Problems that do not stop a deploy (e.g. Compose keys Swarm ignores), set by ``SpecLoader``.
    public var warnings: [SpecDiagnostic]

    public enum Kind: String, Sendable, Hashable, Codable {
        case stack
        case compose
    }

    public init(
        name: String,
        description: String? = nil,
        environment: String,
        declaredEnvironments: [String] = [],
        settings: Settings = Settings(),
        layers: [LayerSpec],
        rootDirectory: String,
        location: SourceLocation,
        kind: Kind = .stack,
        warnings: [SpecDiagnostic] = []
    ) {
        self.name = name
        self.description = description
        self.environment = environment
        self.declaredEnvironments = declaredEnvironments
        self.settings = settings
        self.layers = layers
        self.rootDirectory = rootDirectory
        self.location = location
        self.kind = kind
        self.warnings = warnings
    }

    /// The layer with this name, if any.
    public func layer(named name: String) -> LayerSpec? {
        layers.first { $0.name == name }
    }
}
