/// One layer of a stack: resources deployed together, after the layers it `needs`.
public struct LayerSpec: Sendable, Hashable {
    public var name: String
    public var needs: [LayerReference]
    /// How long the layer may take to converge before the run fails.
    public var timeout: Duration
    public var networks: [NetworkSpec]
    public var volumes: [VolumeSpec]
    public var configs: [ConfigSpec]
    public var secrets: [SecretSpec]
    public var services: [ServiceSpec]
    /// Checks (`gate:`) that must pass, after the layer converged, before the next layer starts.
    public var gate: [CheckSpec]
    /// Where the layer is declared (its file, line 1, or its entry in `layers:`).
    public var location: SourceLocation
    /// Where `timeout:` is written in the layer file, if it is, so a bad one is reported there.
    public var timeoutLocation: SourceLocation?

    public static let defaultTimeout: Duration = .seconds(300)

    public init(
        name: String,
        needs: [LayerReference] = [],
        timeout: Duration = LayerSpec.defaultTimeout,
        networks: [NetworkSpec] = [],
        volumes: [VolumeSpec] = [],
        configs: [ConfigSpec] = [],
        secrets: [SecretSpec] = [],
        services: [ServiceSpec] = [],
        gate: [CheckSpec] = [],
        location: SourceLocation
    ) {
        self.name = name
        self.needs = needs
        self.timeout = timeout
        self.networks = networks
        self.volumes = volumes
        self.configs = configs
        self.secrets = secrets
        self.services = services
        self.gate = gate
        self.location = location
    }
}

/// A `needs:` entry, kept with its location so an undefined layer or a cycle can be reported where it is written.
public struct LayerReference: Sendable, Hashable {
    public var name: String
    public var location: SourceLocation

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }
}
