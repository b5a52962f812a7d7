/// The container a Swarm task runs (`TaskTemplate.ContainerSpec` in the Engine API).
///
/// Every field is optional: nil fields are left out of the JSON, because Docker treats a missing field
/// (keep the default) differently from `null` in places.
public struct ContainerSpec: Codable, Sendable, Equatable {
    /// The image reference, e.g. `sprocket-local/busybox:latest`.
    public var image: String?
    /// Labels on the container (not on the service).
    public var labels: [String: String]?
    /// Replaces the image's entrypoint.
    public var command: [String]?
    /// Arguments for the command.
    public var args: [String]?
    /// The container's hostname.
    public var hostname: String?
    /// Environment as `KEY=value` strings.
    public var env: [String]?
    /// Working directory.
    public var dir: String?
    /// User to run as (`name`, `uid` or `uid:gid`).
    public var user: String?
    /// Additional groups.
    public var groups: [String]?
    /// Allocate a pseudo-TTY; logs are then a raw stream instead of a multiplexed one.
    public var tty: Bool?
    /// Keep stdin open.
    public var openStdin: Bool?
    /// Mount the root filesystem read-only.
    public var readOnly: Bool?
    /// Mounts into the container.
    public var mounts: [Mount]?
    /// Signal that stops the container, e.g. `SIGTERM`.
    public var stopSignal: String?
    /// Time to wait before killing the container, in nanoseconds.
    public var stopGracePeriod: Int64?
    /// Overrides the image's health check.
    public var healthCheck: HealthCheck?
    /// Extra `/etc/hosts` entries, `"IP host [alias…]"`.
    public var hosts: [String]?
    /// Resolver settings.
    public var dnsConfig: DNSConfig?
    /// Swarm secrets to mount as files.
    public var secrets: [SecretReference]?
    /// Swarm configs to mount as files.
    public var configs: [ConfigReference]?
    /// Isolation technology (`default`, `process`, `hyperv`); Docker fills in `default` on read.
    public var isolation: String?
    /// Run an init process inside the container.
    public var `init`: Bool?
    /// Namespaced kernel parameters.
    public var sysctls: [String: String]?
    /// Capabilities to add.
    public var capabilityAdd: [String]?
    /// Capabilities to drop.
    public var capabilityDrop: [String]?
    /// Resource limits such as `nofile`.
    public var ulimits: [Ulimit]?

    /// Creates a container spec; typically only `image` and a few more fields are set.
    public init(
        image: String? = nil, labels: [String: String]? = nil, command: [String]? = nil, args: [String]? = nil,
        hostname: String? = nil, env: [String]? = nil, dir: String? = nil, user: String? = nil,
        groups: [String]? = nil, tty: Bool? = nil, openStdin: Bool? = nil, readOnly: Bool? = nil,
        mounts: [Mount]? = nil, stopSignal: String? = nil, stopGracePeriod: Int64? = nil,
        healthCheck: HealthCheck? = nil, hosts: [String]? = nil, dnsConfig: DNSConfig? = nil,
        secrets: [SecretReference]? = nil, configs: [ConfigReference]? = nil, isolation: String? = nil,
        init: Bool? = nil, sysctls: [String: String]? = nil, capabilityAdd: [String]? = nil,
        capabilityDrop: [String]? = nil, ulimits: [Ulimit]? = nil
    ) {
        self.image = image
        self.labels = labels
        self.command = command
        self.args = args
        self.hostname = hostname
        self.env = env
        self.dir = dir
        self.user = user
        self.groups = groups
        self.tty = tty
        self.openStdin = openStdin
        self.readOnly = readOnly
        self.mounts = mounts
        self.stopSignal = stopSignal
        self.stopGracePeriod = stopGracePeriod
        self.healthCheck = healthCheck
        self.hosts = hosts
        self.dnsConfig = dnsConfig
        self.secrets = secrets
        self.configs = configs
        self.isolation = isolation
        self.`init` = `init`
        self.sysctls = sysctls
        self.capabilityAdd = capabilityAdd
        self.capabilityDrop = capabilityDrop
        self.ulimits = ulimits
    }

    enum CodingKeys: String, CodingKey {
        case image = "Image", labels = "Labels", command = "Command", args = "Args", hostname = "Hostname"
        case env = "Env", dir = "Dir", user = "User", groups = "Groups", tty = "TTY", openStdin = "OpenStdin"
        case readOnly = "ReadOnly", mounts = "Mounts", stopSignal = "StopSignal"
        // The API reference spells it `HealthCheck`, but dockerd returns `Healthcheck` (its Go field name); it
        // accepts either on input because Go matches JSON keys case-insensitively, so use what it returns.
        case stopGracePeriod = "StopGracePeriod", healthCheck = "Healthcheck", hosts = "Hosts"
        case dnsConfig = "DNSConfig", secrets = "Secrets", configs = "Configs", isolation = "Isolation"
        case `init` = "Init", sysctls = "Sysctls", capabilityAdd = "CapabilityAdd"
        case capabilityDrop = "CapabilityDrop", ulimits = "Ulimits"
    }
}

extension ContainerSpec {
    /// A health check; durations are in nanoseconds, as on the wire.
    public struct HealthCheck: Codable, Sendable, Equatable {
        /// `["NONE"]`, `["CMD", …]` or `["CMD-SHELL", "…"]`.
        public var test: [String]?
        /// Time between checks, in nanoseconds.
        public var interval: Int64?
        /// Time a check may take, in nanoseconds.
        public var timeout: Int64?
        /// Consecutive failures before the container is unhealthy.
        public var retries: Int?
        /// Grace period before failures count, in nanoseconds.
        public var startPeriod: Int64?

        /// Creates a health check.
        public init(
            test: [String]? = nil, interval: Int64? = nil, timeout: Int64? = nil, retries: Int? = nil,
            startPeriod: Int64? = nil
        ) {
            self.test = test
            self.interval = interval
            self.timeout = timeout
            self.retries = retries
            self.startPeriod = startPeriod
        }

        enum CodingKeys: String, CodingKey {
            case test = "Test", interval = "Interval", timeout = "Timeout", retries = "Retries"
            case startPeriod = "StartPeriod"
        }
    }

    /// Resolver settings for the container.
    public struct DNSConfig: Codable, Sendable, Equatable {
        /// Name server addresses.
        public var nameservers: [String]?
        /// Search domains.
        public var search: [String]?
        /// resolv.conf options such as `ndots:2`.
        public var options: [String]?

        /// Creates resolver settings.
        public init(nameservers: [String]? = nil, search: [String]? = nil, options: [String]? = nil) {
            self.nameservers = nameservers
            self.search = search
            self.options = options
        }

        enum CodingKeys: String, CodingKey {
            case nameservers = "Nameservers", search = "Search", options = "Options"
        }
    }

    /// Where a secret or config appears inside the container.
    public struct FileTarget: Codable, Sendable, Equatable {
        /// File name under `/run/secrets` (secrets) or an absolute path (configs).
        public var name: String?
        /// Owner user ID, as a string.
        public var uid: String?
        /// Owner group ID, as a string.
        public var gid: String?
        /// File mode, e.g. `0o444` (292).
        public var mode: UInt32?

        /// Creates a file target.
        public init(name: String? = nil, uid: String? = nil, gid: String? = nil, mode: UInt32? = nil) {
            self.name = name
            self.uid = uid
            self.gid = gid
            self.mode = mode
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", uid = "UID", gid = "GID", mode = "Mode"
        }
    }

    /// A Swarm secret given to the container.
    public struct SecretReference: Codable, Sendable, Equatable {
        /// Where the secret appears.
        public var file: FileTarget?
        /// The secret's ID.
        public var secretID: String?
        /// The secret's name.
        public var secretName: String?

        /// Creates a secret reference.
        public init(file: FileTarget? = nil, secretID: String? = nil, secretName: String? = nil) {
            self.file = file
            self.secretID = secretID
            self.secretName = secretName
        }

        enum CodingKeys: String, CodingKey {
            case file = "File", secretID = "SecretID", secretName = "SecretName"
        }
    }

    /// A Swarm config given to the container.
    public struct ConfigReference: Codable, Sendable, Equatable {
        /// Where the config appears.
        public var file: FileTarget?
        /// The config's ID.
        public var configID: String?
        /// The config's name.
        public var configName: String?

        /// Creates a config reference.
        public init(file: FileTarget? = nil, configID: String? = nil, configName: String? = nil) {
            self.file = file
            self.configID = configID
            self.configName = configName
        }

        enum CodingKeys: String, CodingKey {
            case file = "File", configID = "ConfigID", configName = "ConfigName"
        }
    }

    /// A resource limit (`ulimit`).
    public struct Ulimit: Codable, Sendable, Equatable {
        /// Limit name, e.g. `nofile`.
        public var name: String?
        /// Soft limit.
        public var soft: Int64?
        /// Hard limit.
        public var hard: Int64?

        /// Creates a limit.
        public init(name: String? = nil, soft: Int64? = nil, hard: Int64? = nil) {
            self.name = name
            self.soft = soft
            self.hard = hard
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", soft = "Soft", hard = "Hard"
        }
    }
}
