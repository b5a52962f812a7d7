/// What a Swarm service should look like, in engine-neutral terms with resolved object names.
///
/// Both sides of a comparison use this type: the desired definition is built from the spec, the observed one
/// is read back from the engine by the driver, which drops the defaults the engine fills in. Equality of the
/// two means "no change"; the JSON form of the difference is the field-level diff shown in `plan`.
/// Environment, labels and lists whose order carries no meaning are kept sorted so that order never makes a diff.
public struct ServiceDefinition: Sendable, Hashable, Codable {
    public var image: String
    /// Docker's `Command` (Compose `entrypoint`).
    public var entrypoint: [String]?
    /// Docker's `Args` (Compose `command`).
    public var args: [String]?
    /// `KEY=VALUE`, sorted by key.
    public var env: [String]
    public var containerLabels: [String: String]
    /// Service labels, including the ownership labels (but not the spec hash, which is derived from this value).
    public var serviceLabels: [String: String]
    public var user: String?
    public var workingDirectory: String?
    public var hostname: String?
    public var stopSignal: String?
    public var stopGracePeriodNanoseconds: Int64?
    public var initProcess: Bool?
    public var readOnly: Bool?
    public var tty: Bool?
    public var capabilitiesAdded: [String]
    public var capabilitiesDropped: [String]
    public var dnsServers: [String]
    public var dnsSearch: [String]
    /// Docker's `Hosts` form: `IP HOSTNAME`.
    public var hosts: [String]
    public var sysctls: [String: String]
    public var ulimits: [Ulimit]
    public var mounts: [MountDefinition]
    /// Sorted by network name.
    public var networks: [NetworkAttachmentDefinition]
    /// Sorted by target path.
    public var secrets: [FileMountDefinition]
    /// Sorted by target path.
    public var configs: [FileMountDefinition]
    public var healthcheck: HealthcheckDefinition?
    public var logDriver: LoggingSpec?
    public var mode: String
    public var replicas: Int?
    public var endpointMode: String
    public var ports: [PortDefinition]
    public var limits: ResourceAmounts?
    public var reservations: ResourceAmounts?
    public var constraints: [String]
    public var spreadPreferences: [String]
    public var maxReplicasPerNode: Int?
    public var updateConfig: UpdatePolicy?
    public var rollbackConfig: UpdatePolicy?
    public var restartPolicy: RestartPolicySpec?

    public init(image: String) {
        self.image = image
        self.entrypoint = nil
        self.args = nil
        self.env = []
        self.containerLabels = [:]
        self.serviceLabels = [:]
        self.capabilitiesAdded = []
        self.capabilitiesDropped = []
        self.dnsServers = []
        self.dnsSearch = []
        self.hosts = []
        self.sysctls = [:]
        self.ulimits = []
        self.mounts = []
        self.networks = []
        self.secrets = []
        self.configs = []
        self.mode = DeploySpec.Mode.replicated.rawValue
        self.replicas = 1
        self.endpointMode = DeploySpec.EndpointMode.vip.rawValue
        self.ports = []
        self.constraints = []
        self.spreadPreferences = []
    }

    /// Puts order-insensitive collections in a canonical order. Both the builder and the driver call it.
    public mutating func normalize() {
        env.sort { $0.split(separator: "=", maxSplits: 1).first ?? "" < $1.split(separator: "=", maxSplits: 1).first ?? "" }
        networks.sort { $0.network < $1.network }
        secrets.sort { $0.target < $1.target }
        configs.sort { $0.target < $1.target }
        mounts.sort { $0.target < $1.target }
        ports.sort { ($0.published ?? 0, $0.target, $0.transportProtocol) < ($1.published ?? 0, $1.target, $1.transportProtocol) }
        ulimits.sort { $0.name < $1.name }
        for index in networks.indices { networks[index].aliases.sort() }
        // Docker reports 0 for unset counters and ratios, and 0 means the same as unset (no limit / the default).
        // Durations count in whole nanoseconds, Docker's unit, on both sides.
        for policy in [\ServiceDefinition.updateConfig, \ServiceDefinition.rollbackConfig] {
            guard var value = self[keyPath: policy] else { continue }
            if value.parallelism == 0 { value.parallelism = nil }
            value.delay = value.delay.flatMap(Self.wholeNanoseconds)
            value.monitor = value.monitor.flatMap(Self.wholeNanoseconds)
            if value.maxFailureRatio == 0 { value.maxFailureRatio = nil }
            // Swarm's documented defaults, which it writes into the spec when any update setting is given.
            if value.failureAction == .pause { value.failureAction = nil }
            if value.order == .stopFirst { value.order = nil }
            self[keyPath: policy] = value == UpdatePolicy() ? nil : value
        }
        if var restart = restartPolicy {
            if restart.maxAttempts == 0 { restart.maxAttempts = nil }
            restart.delay = restart.delay.flatMap(Self.wholeNanoseconds)
            restart.window = restart.window.flatMap(Self.wholeNanoseconds)
            restartPolicy = restart == RestartPolicySpec() ? nil : restart
        }
        if limits == ResourceAmounts() { limits = nil }
        if reservations == ResourceAmounts() { reservations = nil }
    }

    /// A duration as Docker keeps it (whole nanoseconds); zero, which Docker reports for unset, is nil.
    private static func wholeNanoseconds(_ duration: Duration) -> Duration? {
        duration.nanoseconds == 0 ? nil : Duration.fromNanoseconds(duration.nanoseconds)
    }

    /// Names of the Docker secrets and configs this definition mounts (for garbage collection).
    public var referencedObjectNames: Set<String> {
        Set(secrets.map(\.objectName) + configs.map(\.objectName))
    }
}

public struct MountDefinition: Sendable, Hashable, Codable {
    public var type: String
    /// The Docker volume name (volume), host path (bind), or nil.
    public var source: String?
    public var target: String
    public var readOnly: Bool

    public init(type: String, source: String?, target: String, readOnly: Bool) {
        self.type = type
        self.source = source
        self.target = target
        self.readOnly = readOnly
    }
}

public struct NetworkAttachmentDefinition: Sendable, Hashable, Codable {
    /// The Docker network name.
    public var network: String
    public var aliases: [String]

    public init(network: String, aliases: [String]) {
        self.network = network
        self.aliases = aliases
    }
}

/// A secret or config mounted as a file.
public struct FileMountDefinition: Sendable, Hashable, Codable {
    /// The Docker object name (with its content-hash suffix).
    public var objectName: String
    public var target: String
    public var uid: String
    public var gid: String
    public var mode: UInt32

    public init(objectName: String, target: String, uid: String = "0", gid: String = "0", mode: UInt32 = 0o444) {
        self.objectName = objectName
        self.target = target
        self.uid = uid
        self.gid = gid
        self.mode = mode
    }
}

public struct HealthcheckDefinition: Sendable, Hashable, Codable {
    public var test: [String]
    public var intervalNanoseconds: Int64?
    public var timeoutNanoseconds: Int64?
    public var retries: Int?
    public var startPeriodNanoseconds: Int64?

    public init(
        test: [String],
        intervalNanoseconds: Int64? = nil,
        timeoutNanoseconds: Int64? = nil,
        retries: Int? = nil,
        startPeriodNanoseconds: Int64? = nil
    ) {
        self.test = test
        self.intervalNanoseconds = intervalNanoseconds
        self.timeoutNanoseconds = timeoutNanoseconds
        self.retries = retries
        self.startPeriodNanoseconds = startPeriodNanoseconds
    }
}

public struct PortDefinition: Sendable, Hashable, Codable {
    public var target: Int
    public var published: Int?
    public var transportProtocol: String
    public var publishMode: String

    public init(target: Int, published: Int?, transportProtocol: String, publishMode: String) {
        self.target = target
        self.published = published
        self.transportProtocol = transportProtocol
        self.publishMode = publishMode
    }
}
