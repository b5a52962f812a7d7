/// A Swarm node, as returned by `GET /nodes` and `GET /nodes/{id}`.
public struct SwarmNode: Codable, Sendable, Equatable {
    /// The node ID.
    public var id: String
    /// The version to send with the next update.
    public var version: ObjectVersion?
    /// Creation time.
    public var createdAt: String?
    /// Last update time.
    public var updatedAt: String?
    /// User-settable attributes.
    public var spec: Spec?
    /// What the node reports about itself.
    public var description: Description?
    /// Reachability as seen by the managers.
    public var status: Status?
    /// Present on manager nodes only.
    public var managerStatus: ManagerStatus?

    /// Creates a node value (mostly useful in tests and fakes).
    public init(
        id: String, version: ObjectVersion? = nil, createdAt: String? = nil, updatedAt: String? = nil,
        spec: Spec? = nil, description: Description? = nil, status: Status? = nil,
        managerStatus: ManagerStatus? = nil
    ) {
        self.id = id
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.spec = spec
        self.description = description
        self.status = status
        self.managerStatus = managerStatus
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID", version = "Version", createdAt = "CreatedAt", updatedAt = "UpdatedAt", spec = "Spec"
        case description = "Description", status = "Status", managerStatus = "ManagerStatus"
    }
}

extension SwarmNode {
    /// The user-settable part of a node: the body of `POST /nodes/{id}/update`.
    public struct Spec: Codable, Sendable, Equatable {
        /// Optional name.
        public var name: String?
        /// Node labels, used in placement constraints (`node.labels.x==y`).
        public var labels: [String: String]?
        /// `worker` or `manager`.
        public var role: String?
        /// `active`, `pause` or `drain`.
        public var availability: String?

        /// Creates a node spec.
        public init(
            name: String? = nil, labels: [String: String]? = nil, role: String? = nil, availability: String? = nil
        ) {
            self.name = name
            self.labels = labels
            self.role = role
            self.availability = availability
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", labels = "Labels", role = "Role", availability = "Availability"
        }
    }

    /// What a node reports about itself.
    public struct Description: Codable, Sendable, Equatable {
        /// The node's hostname.
        public var hostname: String?
        /// OS and architecture.
        public var platform: TaskSpec.Platform?
        /// Engine details.
        public var engine: Engine?

        /// Creates a description.
        public init(hostname: String? = nil, platform: TaskSpec.Platform? = nil, engine: Engine? = nil) {
            self.hostname = hostname
            self.platform = platform
            self.engine = engine
        }

        enum CodingKeys: String, CodingKey {
            case hostname = "Hostname", platform = "Platform", engine = "Engine"
        }
    }

    /// The Docker Engine running on a node.
    public struct Engine: Codable, Sendable, Equatable {
        /// e.g. `20.10.24+dfsg1`.
        public var engineVersion: String?

        /// Creates engine details.
        public init(engineVersion: String? = nil) {
            self.engineVersion = engineVersion
        }

        enum CodingKeys: String, CodingKey {
            case engineVersion = "EngineVersion"
        }
    }

    /// A node's state as seen by the managers.
    public struct Status: Codable, Sendable, Equatable {
        /// `unknown`, `down`, `ready` or `disconnected`.
        public var state: String?
        /// Details for the state.
        public var message: String?
        /// The node's IP address.
        public var addr: String?

        /// Creates a status.
        public init(state: String? = nil, message: String? = nil, addr: String? = nil) {
            self.state = state
            self.message = message
            self.addr = addr
        }

        enum CodingKeys: String, CodingKey {
            case state = "State", message = "Message", addr = "Addr"
        }
    }

    /// Raft membership of a manager node.
    public struct ManagerStatus: Codable, Sendable, Equatable {
        /// True on the current Raft leader.
        public var leader: Bool?
        /// `unknown`, `unreachable` or `reachable`.
        public var reachability: String?
        /// The manager's listen address.
        public var addr: String?

        /// Creates a manager status.
        public init(leader: Bool? = nil, reachability: String? = nil, addr: String? = nil) {
            self.leader = leader
            self.reachability = reachability
            self.addr = addr
        }

        enum CodingKeys: String, CodingKey {
            case leader = "Leader", reachability = "Reachability", addr = "Addr"
        }
    }
}
