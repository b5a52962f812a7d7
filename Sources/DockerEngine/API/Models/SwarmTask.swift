/// A Swarm task (one scheduled instance of a service), as returned by `GET /tasks`.
public struct SwarmTask: Codable, Sendable, Equatable {
    /// The task ID.
    public var id: String
    /// The task's object version.
    public var version: ObjectVersion?
    /// Creation time.
    public var createdAt: String?
    /// Last update time.
    public var updatedAt: String?
    /// The task's name, when Docker sets one.
    public var name: String?
    /// Task labels.
    public var labels: [String: String]?
    /// The task template the task was created from.
    public var spec: TaskSpec?
    /// The service the task belongs to.
    public var serviceID: String?
    /// Replica slot number (replicated services).
    public var slot: Int?
    /// The node the task is assigned to.
    public var nodeID: String?
    /// Observed state.
    public var status: Status?
    /// The state Swarm wants: `running`, `shutdown`, `ready`, …
    public var desiredState: String?

    /// Creates a task value (mostly useful in tests and fakes).
    public init(
        id: String, version: ObjectVersion? = nil, createdAt: String? = nil, updatedAt: String? = nil,
        name: String? = nil, labels: [String: String]? = nil, spec: TaskSpec? = nil, serviceID: String? = nil,
        slot: Int? = nil, nodeID: String? = nil, status: Status? = nil, desiredState: String? = nil
    ) {
        self.id = id
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.name = name
        self.labels = labels
        self.spec = spec
        self.serviceID = serviceID
        self.slot = slot
        self.nodeID = nodeID
        self.status = status
        self.desiredState = desiredState
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID", version = "Version", createdAt = "CreatedAt", updatedAt = "UpdatedAt", name = "Name"
        case labels = "Labels", spec = "Spec", serviceID = "ServiceID", slot = "Slot", nodeID = "NodeID"
        case status = "Status", desiredState = "DesiredState"
    }
}

extension SwarmTask {
    /// The observed state of a task.
    public struct Status: Codable, Sendable, Equatable {
        /// When the state was observed.
        public var timestamp: String?
        /// `new`, `pending`, `assigned`, `accepted`, `preparing`, `starting`, `running`, `complete`, `failed`,
        /// `shutdown`, `rejected`, `orphaned`, `remove`, …
        public var state: String?
        /// Human-readable state message.
        public var message: String?
        /// Error text when the task failed.
        public var err: String?
        /// The container backing the task.
        public var containerStatus: ContainerStatus?

        /// Creates a status.
        public init(
            timestamp: String? = nil, state: String? = nil, message: String? = nil, err: String? = nil,
            containerStatus: ContainerStatus? = nil
        ) {
            self.timestamp = timestamp
            self.state = state
            self.message = message
            self.err = err
            self.containerStatus = containerStatus
        }

        enum CodingKeys: String, CodingKey {
            case timestamp = "Timestamp", state = "State", message = "Message", err = "Err"
            case containerStatus = "ContainerStatus"
        }
    }

    /// The container behind a task.
    public struct ContainerStatus: Codable, Sendable, Equatable {
        /// Container ID.
        public var containerID: String?
        /// Main process ID on the node.
        public var pid: Int?
        /// Exit code once stopped.
        public var exitCode: Int?

        /// Creates a container status.
        public init(containerID: String? = nil, pid: Int? = nil, exitCode: Int? = nil) {
            self.containerID = containerID
            self.pid = pid
            self.exitCode = exitCode
        }

        enum CodingKeys: String, CodingKey {
            case containerID = "ContainerID", pid = "PID", exitCode = "ExitCode"
        }
    }
}
