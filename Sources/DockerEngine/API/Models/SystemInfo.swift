/// The answer of `GET /info` (the fields this tool uses).
public struct SystemInfo: Codable, Sendable, Equatable {
    /// Daemon ID.
    public var id: String?
    /// Host name.
    public var name: String?
    /// Engine version.
    public var serverVersion: String?
    /// Swarm membership of this node.
    public var swarm: SwarmInfo?
    /// Number of CPUs.
    public var ncpu: Int?
    /// Total memory in bytes.
    public var memTotal: Int64?
    /// Storage driver, e.g. `overlay2`.
    public var driver: String?
    /// Docker's data directory.
    public var dockerRootDir: String?
    /// Host OS description, e.g. `Debian GNU/Linux 12 (bookworm)`.
    public var operatingSystem: String?
    /// `linux` or `windows`.
    public var osType: String?
    /// Host architecture, e.g. `x86_64`.
    public var architecture: String?
    /// Host kernel version.
    public var kernelVersion: String?
    /// Warnings about the daemon's configuration.
    public var warnings: [String]?

    /// Creates an info value (mostly useful in tests and fakes).
    public init(
        id: String? = nil, name: String? = nil, serverVersion: String? = nil, swarm: SwarmInfo? = nil,
        ncpu: Int? = nil, memTotal: Int64? = nil, driver: String? = nil, dockerRootDir: String? = nil,
        operatingSystem: String? = nil, osType: String? = nil, architecture: String? = nil,
        kernelVersion: String? = nil, warnings: [String]? = nil
    ) {
        self.id = id
        self.name = name
        self.serverVersion = serverVersion
        self.swarm = swarm
        self.ncpu = ncpu
        self.memTotal = memTotal
        self.driver = driver
        self.dockerRootDir = dockerRootDir
        self.operatingSystem = operatingSystem
        self.osType = osType
        self.architecture = architecture
        self.kernelVersion = kernelVersion
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID", name = "Name", serverVersion = "ServerVersion", swarm = "Swarm", ncpu = "NCPU"
        case memTotal = "MemTotal", driver = "Driver", dockerRootDir = "DockerRootDir"
        case operatingSystem = "OperatingSystem", osType = "OSType", architecture = "Architecture"
        case kernelVersion = "KernelVersion", warnings = "Warnings"
    }

    /// This node's swarm membership.
    public struct SwarmInfo: Codable, Sendable, Equatable {
        /// This node's ID in the swarm.
        public var nodeID: String?
        /// This node's address in the swarm.
        public var nodeAddr: String?
        /// `inactive`, `pending`, `active`, `error` or `locked`.
        public var localNodeState: String?
        /// True when this node is a manager (can take service and secret requests).
        public var controlAvailable: Bool?
        /// Error text when `localNodeState` is `error`.
        public var error: String?
        /// The cluster; present on managers only.
        public var cluster: Cluster?

        /// Creates swarm info.
        public init(
            nodeID: String? = nil, nodeAddr: String? = nil, localNodeState: String? = nil,
            controlAvailable: Bool? = nil, error: String? = nil, cluster: Cluster? = nil
        ) {
            self.nodeID = nodeID
            self.nodeAddr = nodeAddr
            self.localNodeState = localNodeState
            self.controlAvailable = controlAvailable
            self.error = error
            self.cluster = cluster
        }

        /// True when the node is part of an active swarm.
        public var isActive: Bool { localNodeState == "active" }

        enum CodingKeys: String, CodingKey {
            case nodeID = "NodeID", nodeAddr = "NodeAddr", localNodeState = "LocalNodeState"
            case controlAvailable = "ControlAvailable", error = "Error", cluster = "Cluster"
        }
    }

    /// The swarm cluster, as far as this tool needs it.
    public struct Cluster: Codable, Sendable, Equatable {
        /// The cluster ID.
        public var id: String?

        /// Creates cluster info.
        public init(id: String? = nil) {
            self.id = id
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
        }
    }
}
