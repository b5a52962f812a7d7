/// What the engine reports for one stack environment: the objects carrying its ownership labels.
///
/// This, not the local state file, is what plans are made against, so a lost state file cannot cause
/// duplicates or orphans.
public struct ObservedState: Sendable {
    public var identity: StackIdentity
    public var networks: [ObservedObject]
    public var volumes: [ObservedObject]
    public var configs: [ObservedObject]
    public var secrets: [ObservedObject]
    public var services: [ObservedService]

    public init(
        identity: StackIdentity,
        networks: [ObservedObject] = [],
        volumes: [ObservedObject] = [],
        configs: [ObservedObject] = [],
        secrets: [ObservedObject] = [],
        services: [ObservedService] = []
    ) {
        self.identity = identity
        self.networks = networks
        self.volumes = volumes
        self.configs = configs
        self.secrets = secrets
        self.services = services
    }

    /// An empty observation, for `plan --offline`.
    public static func empty(_ identity: StackIdentity) -> ObservedState { ObservedState(identity: identity) }

    public func objects(of kind: ResourceKind) -> [ObservedObject] {
        switch kind {
        case .network: networks
        case .volume: volumes
        case .config: configs
        case .secret: secrets
        case .service: []
        }
    }
}

/// A network, volume, config or secret found on the engine.
public struct ObservedObject: Sendable, Hashable {
    public var kind: ResourceKind
    /// The engine's ID (volumes: their name).
    public var id: String
    public var dockerName: String
    /// `io.sprocket.layer`, `io.sprocket.name` and `io.sprocket.spec-hash`.
    public var layer: String
    public var name: String
    public var specHash: String?
    /// Comparable attributes for the field-level diff of networks and volumes (driver, attachable, ...).
    public var attributes: [String: String]

    public init(
        kind: ResourceKind, id: String, dockerName: String, layer: String, name: String, specHash: String?,
        attributes: [String: String] = [:]
    ) {
        self.kind = kind
        self.id = id
        self.dockerName = dockerName
        self.layer = layer
        self.name = name
        self.specHash = specHash
        self.attributes = attributes
    }
}

/// A service found on the engine, read back into a ``ServiceDefinition`` with engine defaults removed.
public struct ObservedService: Sendable, Hashable {
    public var id: String
    public var dockerName: String
    public var layer: String
    public var name: String
    public var specHash: String?
    /// The engine's version index, required to update the service.
    public var version: UInt64
    public var definition: ServiceDefinition
    /// Docker names of the secrets and configs its previous spec mounts (kept for Swarm's own rollback).
    public var previousReferences: Set<String>
    /// `UpdateStatus.State` (`updating`, `completed`, `paused`, `rollback_completed`, ...), if an update ran.
    public var updateState: String?
    public var updateMessage: String?
    /// The engine's own full spec of the service, as it reported it (JSON), so that a rollback can restore
    /// exactly what ran before, including fields the tool does not manage.
    public var engineSpec: [UInt8]?
    /// Why the orchestrator will never start this service's tasks again although the spec wants them running
    /// (its restart policy's `max_attempts` used up); nil when it still runs or retries them. `up` restarts it.
    public var restartsExhausted: String?

    public init(
        id: String, dockerName: String, layer: String, name: String, specHash: String?, version: UInt64,
        definition: ServiceDefinition, previousReferences: Set<String> = [], updateState: String? = nil,
        updateMessage: String? = nil, engineSpec: [UInt8]? = nil, restartsExhausted: String? = nil
    ) {
        self.engineSpec = engineSpec
        self.restartsExhausted = restartsExhausted
        self.id = id
        self.dockerName = dockerName
        self.layer = layer
        self.name = name
        self.specHash = specHash
        self.version = version
        self.definition = definition
        self.previousReferences = previousReferences
        self.updateState = updateState
        self.updateMessage = updateMessage
    }
}
