/// Everything one run wants to exist, per layer in deploy order, with Docker names and spec hashes resolved.
public struct DesiredState: Sendable {
    public var identity: StackIdentity
    /// In deploy order (every layer after the layers it needs).
    public var layers: [DesiredLayer]

    public init(identity: StackIdentity, layers: [DesiredLayer]) {
        self.identity = identity
        self.layers = layers
    }

    public func layer(named name: String) -> DesiredLayer? { layers.first { $0.name == name } }
}

public struct DesiredLayer: Sendable {
    public var name: String
    public var needs: [String]
    public var timeout: Duration
    public var networks: [DesiredNetwork]
    public var volumes: [DesiredVolume]
    public var configs: [DesiredObject]
    public var secrets: [DesiredObject]
    public var services: [DesiredService]
    /// What must pass once the layer converged (implicit per-service checks, `checks:` and `gate:`).
    public var checks: [DesiredCheck]

    public init(
        name: String,
        needs: [String] = [],
        timeout: Duration = LayerSpec.defaultTimeout,
        networks: [DesiredNetwork] = [],
        volumes: [DesiredVolume] = [],
        configs: [DesiredObject] = [],
        secrets: [DesiredObject] = [],
        services: [DesiredService] = [],
        checks: [DesiredCheck] = []
    ) {
        self.name = name
        self.needs = needs
        self.timeout = timeout
        self.networks = networks
        self.volumes = volumes
        self.configs = configs
        self.secrets = secrets
        self.services = services
        self.checks = checks
    }
}

/// A network or volume (both are created once and never updated in place).
public struct DesiredNetwork: Sendable, Hashable, Codable {
    public var name: String
    public var dockerName: String
    public var isExternal: Bool
    public var driver: String
    public var attachable: Bool
    public var isInternal: Bool
    public var options: [String: String]
    /// User labels plus ownership labels (without the spec hash).
    public var labels: [String: String]

    public init(
        name: String, dockerName: String, isExternal: Bool, driver: String, attachable: Bool, isInternal: Bool,
        options: [String: String], labels: [String: String]
    ) {
        self.name = name
        self.dockerName = dockerName
        self.isExternal = isExternal
        self.driver = driver
        self.attachable = attachable
        self.isInternal = isInternal
        self.options = options
        self.labels = labels
    }

    public var specHash: String { ContentHash.of(self) }
}

public struct DesiredVolume: Sendable, Hashable, Codable {
    public var name: String
    public var dockerName: String
    public var isExternal: Bool
    public var driver: String
    public var options: [String: String]
    public var labels: [String: String]

    public init(name: String, dockerName: String, isExternal: Bool, driver: String, options: [String: String], labels: [String: String]) {
        self.name = name
        self.dockerName = dockerName
        self.isExternal = isExternal
        self.driver = driver
        self.options = options
        self.labels = labels
    }

    public var specHash: String { ContentHash.of(self) }
}

/// One version of a config or secret. Its Docker name carries a fingerprint of the content (a plain hash for a
/// config, a keyed one for a secret), so "exists" means "up to date".
public struct DesiredObject: Sendable, Hashable {
    public var kind: ResourceKind
    public var name: String
    public var dockerName: String
    public var isExternal: Bool
    public var labels: [String: String]
    /// The content; nil for external objects, and for secrets whose value is unavailable offline.
    public var content: SensitiveBytes?
    /// The content-hash suffix (also stored as the spec-hash label).
    public var contentSuffix: String
    /// How a secret's name was derived (``DockerSecretNaming``); nil for configs, external and unresolved secrets.
    public var secretNaming: DockerSecretNaming.Scheme?

    public init(
        kind: ResourceKind, name: String, dockerName: String, isExternal: Bool, labels: [String: String],
        content: SensitiveBytes?, contentSuffix: String, secretNaming: DockerSecretNaming.Scheme? = nil
    ) {
        self.secretNaming = secretNaming
        self.kind = kind
        self.name = name
        self.dockerName = dockerName
        self.isExternal = isExternal
        self.labels = labels
        self.content = content
        self.contentSuffix = contentSuffix
    }
}

public struct DesiredService: Sendable, Hashable {
    public var name: String
    public var dockerName: String
    public var definition: ServiceDefinition

    public init(name: String, dockerName: String, definition: ServiceDefinition) {
        self.name = name
        self.dockerName = dockerName
        self.definition = definition
    }

    public var specHash: String { ContentHash.of(definition) }
}

/// Bytes that must never be printed: descriptions and dumps show a placeholder.
public struct SensitiveBytes: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var description: String { "<\(bytes.count) bytes redacted>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
