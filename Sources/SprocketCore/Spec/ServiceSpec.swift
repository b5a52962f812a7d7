/// A service declared by a layer (`services:`), with the Compose keys the tool supports.
public struct ServiceSpec: Sendable, Hashable {
    public var name: String
    public var image: String
    public var command: [String]?
    public var entrypoint: [String]?
    /// In declaration order; duplicates are a validation error.
    public var environment: [EnvironmentVariable]
    /// Container labels (`labels:`); service labels are ``DeploySpec/labels``.
    public var labels: [String: String]
    public var user: String?
    public var workingDirectory: String?
    public var hostname: String?
    public var stopSignal: String?
    public var stopGracePeriod: Duration?
    public var initProcess: Bool?
    public var readOnlyRootFilesystem: Bool?
    public var tty: Bool?
    public var capabilitiesAdded: [String]
    public var capabilitiesDropped: [String]
    public var dnsServers: [String]
    public var dnsSearch: [String]
    /// `extra_hosts` as `host:ip` (Compose form); converted to Docker's `ip host` form by the engine adapter.
    public var extraHosts: [String]
    public var sysctls: [String: String]
    public var ulimits: [Ulimit]
    public var networks: [NetworkAttachment]
    public var mounts: [MountSpec]
    public var ports: [PortSpec]
    public var secrets: [FileReference]
    public var configs: [FileReference]
    public var healthcheck: HealthcheckSpec?
    /// Typed checks (`checks:`) run after the layer converged and by `verify`.
    public var checks: [CheckSpec]
    public var logging: LoggingSpec?
    public var deploy: DeploySpec
    /// Routes (`routes:`), compiled to Traefik labels by ``RouteLabelCompiler``.
    public var routes: [RouteSpec] = []
    /// `not_secret:` environment variable names and label keys whose values only look like secrets (validate's
    /// leak guard skips them).
    public var notSecret: Set<String> = []
    /// Where each label of `labels:` and `deploy.labels` is written, for checks of hand-written Traefik labels.
    public var labelPositions: [String: LabelPosition] = [:]
    /// Where each value under `deploy`, `healthcheck`, `ulimits` and `stop_grace_period` is written, by its key path
    /// (`deploy.replicas`, `deploy.update_config.parallelism`), so a value out of range is reported on its own line.
    public var keyLocations: [String: SourceLocation] = [:]
    public var location: SourceLocation

    public init(name: String, image: String, location: SourceLocation) {
        self.name = name
        self.image = image
        self.command = nil
        self.entrypoint = nil
        self.environment = []
        self.labels = [:]
        self.user = nil
        self.workingDirectory = nil
        self.hostname = nil
        self.stopSignal = nil
        self.stopGracePeriod = nil
        self.initProcess = nil
        self.readOnlyRootFilesystem = nil
        self.tty = nil
        self.capabilitiesAdded = []
        self.capabilitiesDropped = []
        self.dnsServers = []
        self.dnsSearch = []
        self.extraHosts = []
        self.sysctls = [:]
        self.ulimits = []
        self.networks = []
        self.mounts = []
        self.ports = []
        self.secrets = []
        self.configs = []
        self.healthcheck = nil
        self.checks = []
        self.logging = nil
        self.deploy = DeploySpec()
        self.location = location
    }

    /// The location of the value at `keyPath` (`deploy.replicas`) if it is written, else the service's.
    public func location(of keyPath: String) -> SourceLocation {
        keyLocations[keyPath] ?? location
    }
}

public struct EnvironmentVariable: Sendable, Hashable {
    public var name: String
    public var value: String
    public var location: SourceLocation

    public init(name: String, value: String, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

/// A `ulimits:` entry, in the spec and in a ``ServiceDefinition``.
public struct Ulimit: Sendable, Hashable, Codable {
    public var name: String
    public var soft: Int64
    public var hard: Int64

    public init(name: String, soft: Int64, hard: Int64) {
        self.name = name
        self.soft = soft
        self.hard = hard
    }
}

/// A service's use of a network (`networks:`).
public struct NetworkAttachment: Sendable, Hashable {
    /// The logical network name as declared in a layer.
    public var name: String
    public var aliases: [String]
    public var location: SourceLocation

    public init(name: String, aliases: [String] = [], location: SourceLocation) {
        self.name = name
        self.aliases = aliases
        self.location = location
    }
}

/// A service mount (`volumes:`).
public struct MountSpec: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case volume
        case bind
        case tmpfs
    }

    public var kind: Kind
    /// A declared volume's logical name (volume), an absolute host path (bind), nil (tmpfs, anonymous volume).
    public var source: String?
    public var target: String
    public var readOnly: Bool
    public var location: SourceLocation

    public init(kind: Kind, source: String?, target: String, readOnly: Bool = false, location: SourceLocation) {
        self.kind = kind
        self.source = source
        self.target = target
        self.readOnly = readOnly
        self.location = location
    }
}

/// A published port (`ports:`).
public struct PortSpec: Sendable, Hashable {
    public enum TransportProtocol: String, Sendable, Hashable {
        case tcp
        case udp
        case sctp
    }

    public enum PublishMode: String, Sendable, Hashable {
        /// Swarm's routing mesh (needs IPVS in the kernel).
        case ingress
        /// Bound on the node that runs the task.
        case host
    }

    public var target: Int
    public var published: Int?
    public var transportProtocol: TransportProtocol
    public var mode: PublishMode
    public var location: SourceLocation

    public init(
        target: Int,
        published: Int? = nil,
        transportProtocol: TransportProtocol = .tcp,
        mode: PublishMode = .ingress,
        location: SourceLocation
    ) {
        self.target = target
        self.published = published
        self.transportProtocol = transportProtocol
        self.mode = mode
        self.location = location
    }
}

/// A secret or config mounted as a file (`secrets:`/`configs:` of a service).
public struct FileReference: Sendable, Hashable {
    /// The logical secret or config name.
    public var source: String
    /// The path in the container; nil means the default (`/run/secrets/<name>` or `/<name>`).
    public var target: String?
    public var uid: String?
    public var gid: String?
    /// File mode, e.g. 0o444 (Compose writes it as octal `0444` or decimal).
    public var mode: UInt32?
    public var location: SourceLocation

    public init(
        source: String,
        target: String? = nil,
        uid: String? = nil,
        gid: String? = nil,
        mode: UInt32? = nil,
        location: SourceLocation
    ) {
        self.source = source
        self.target = target
        self.uid = uid
        self.gid = gid
        self.mode = mode
        self.location = location
    }
}

public struct HealthcheckSpec: Sendable, Hashable {
    /// `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]` (Docker's form; a string becomes CMD-SHELL).
    public var test: [String]
    public var interval: Duration?
    public var timeout: Duration?
    public var retries: Int?
    public var startPeriod: Duration?
    public var location: SourceLocation

    public init(
        test: [String],
        interval: Duration? = nil,
        timeout: Duration? = nil,
        retries: Int? = nil,
        startPeriod: Duration? = nil,
        location: SourceLocation
    ) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
        self.startPeriod = startPeriod
        self.location = location
    }
}

/// `logging:`, in the spec and in a ``ServiceDefinition`` (where it was always encoded as `name` and `options`).
public struct LoggingSpec: Sendable, Hashable, Codable {
    /// Empty: the daemon's default driver, with these options.
    public var driver: String
    public var options: [String: String]

    private enum CodingKeys: String, CodingKey {
        case driver = "name"
        case options
    }

    public init(driver: String, options: [String: String] = [:]) {
        self.driver = driver
        self.options = options
    }
}
