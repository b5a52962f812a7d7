/// A Swarm service as returned by `GET /services` and `GET /services/{id}`.
public struct Service: Codable, Sendable, Equatable {
    /// The service ID.
    public var id: String
    /// The version to send with the next update.
    public var version: ObjectVersion?
    /// Creation time, RFC 3339 with nanoseconds.
    public var createdAt: String?
    /// Last update time.
    public var updatedAt: String?
    /// The current desired state.
    public var spec: ServiceSpec?
    /// The spec before the last update; what `rollback` returns to.
    public var previousSpec: ServiceSpec?
    /// Resolved endpoint: ports and virtual IPs.
    public var endpoint: Endpoint?
    /// Progress of the last rolling update.
    public var updateStatus: UpdateStatus?
    /// Task counts; only present when listed with `status=true` (API 1.41+).
    public var serviceStatus: ServiceStatus?
    /// Job progress for job-mode services.
    public var jobStatus: JobStatus?

    /// Creates a service value (mostly useful in tests and fakes).
    public init(
        id: String, version: ObjectVersion? = nil, createdAt: String? = nil, updatedAt: String? = nil,
        spec: ServiceSpec? = nil, previousSpec: ServiceSpec? = nil, endpoint: Endpoint? = nil,
        updateStatus: UpdateStatus? = nil, serviceStatus: ServiceStatus? = nil, jobStatus: JobStatus? = nil
    ) {
        self.id = id
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.spec = spec
        self.previousSpec = previousSpec
        self.endpoint = endpoint
        self.updateStatus = updateStatus
        self.serviceStatus = serviceStatus
        self.jobStatus = jobStatus
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID", version = "Version", createdAt = "CreatedAt", updatedAt = "UpdatedAt", spec = "Spec"
        case previousSpec = "PreviousSpec", endpoint = "Endpoint", updateStatus = "UpdateStatus"
        case serviceStatus = "ServiceStatus", jobStatus = "JobStatus"
    }
}

extension Service {
    /// The service's resolved endpoint.
    public struct Endpoint: Codable, Sendable, Equatable {
        /// The endpoint spec in effect.
        public var spec: ServiceSpec.EndpointSpec?
        /// Published ports, with assigned port numbers filled in.
        public var ports: [ServiceSpec.PortConfig]?
        /// One virtual IP per attached network (VIP mode).
        public var virtualIPs: [VirtualIP]?

        /// Creates an endpoint.
        public init(
            spec: ServiceSpec.EndpointSpec? = nil, ports: [ServiceSpec.PortConfig]? = nil,
            virtualIPs: [VirtualIP]? = nil
        ) {
            self.spec = spec
            self.ports = ports
            self.virtualIPs = virtualIPs
        }

        enum CodingKeys: String, CodingKey {
            case spec = "Spec", ports = "Ports", virtualIPs = "VirtualIPs"
        }
    }

    /// A virtual IP on one network.
    public struct VirtualIP: Codable, Sendable, Equatable {
        /// The network's ID.
        public var networkID: String?
        /// The address in CIDR form.
        public var addr: String?

        /// Creates a virtual IP.
        public init(networkID: String? = nil, addr: String? = nil) {
            self.networkID = networkID
            self.addr = addr
        }

        enum CodingKeys: String, CodingKey {
            case networkID = "NetworkID", addr = "Addr"
        }
    }

    /// Progress of a rolling update.
    public struct UpdateStatus: Codable, Sendable, Equatable {
        /// `updating`, `paused`, `completed`, `rollback_started`, `rollback_paused` or `rollback_completed`.
        public var state: String?
        /// When the update started.
        public var startedAt: String?
        /// When it completed.
        public var completedAt: String?
        /// Human-readable progress or failure reason.
        public var message: String?

        /// Creates an update status.
        public init(state: String? = nil, startedAt: String? = nil, completedAt: String? = nil, message: String? = nil)
        {
            self.state = state
            self.startedAt = startedAt
            self.completedAt = completedAt
            self.message = message
        }

        enum CodingKeys: String, CodingKey {
            case state = "State", startedAt = "StartedAt", completedAt = "CompletedAt", message = "Message"
        }
    }

    /// Task counts reported with `GET /services?status=true`.
    public struct ServiceStatus: Codable, Sendable, Equatable {
        /// Tasks in state `running`.
        public var runningTasks: UInt64?
        /// Tasks whose desired state is not `shutdown`.
        public var desiredTasks: UInt64?
        /// Completed tasks (job modes).
        public var completedTasks: UInt64?

        /// Creates task counts.
        public init(runningTasks: UInt64? = nil, desiredTasks: UInt64? = nil, completedTasks: UInt64? = nil) {
            self.runningTasks = runningTasks
            self.desiredTasks = desiredTasks
            self.completedTasks = completedTasks
        }

        enum CodingKeys: String, CodingKey {
            case runningTasks = "RunningTasks", desiredTasks = "DesiredTasks", completedTasks = "CompletedTasks"
        }
    }

    /// Progress of a job-mode service.
    public struct JobStatus: Codable, Sendable, Equatable {
        /// Increases each time the job is run again.
        public var jobIteration: ObjectVersion?
        /// When the job was last started.
        public var lastExecution: String?

        /// Creates a job status.
        public init(jobIteration: ObjectVersion? = nil, lastExecution: String? = nil) {
            self.jobIteration = jobIteration
            self.lastExecution = lastExecution
        }

        enum CodingKeys: String, CodingKey {
            case jobIteration = "JobIteration", lastExecution = "LastExecution"
        }
    }
}

/// The answer of `POST /services/create`.
public struct ServiceCreateResponse: Codable, Sendable, Equatable {
    /// The new service's ID.
    public var id: String
    /// Warnings, e.g. that an image's digest could not be pinned because no registry was reachable.
    public var warnings: [String]?

    /// Creates a response value.
    public init(id: String, warnings: [String]? = nil) {
        self.id = id
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID", warnings = "Warnings"
    }
}
