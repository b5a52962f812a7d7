/// The desired state of a Swarm service: the body of `POST /services/create` and `POST /services/{id}/update`.
///
/// Nil fields are omitted from the JSON. Note that an update replaces the whole spec: fields left nil fall back
/// to Docker's defaults rather than keeping their previous values.
public struct ServiceSpec: Codable, Sendable, Equatable {
    /// The service name.
    public var name: String?
    /// Labels on the service.
    public var labels: [String: String]?
    /// What each task runs.
    public var taskTemplate: TaskSpec?
    /// Replicated, global, or a job mode.
    public var mode: Mode?
    /// How updates roll out.
    public var updateConfig: UpdateConfig?
    /// How rollbacks roll out.
    public var rollbackConfig: UpdateConfig?
    /// Endpoint mode and published ports.
    public var endpointSpec: EndpointSpec?

    /// Creates a service spec.
    public init(
        name: String? = nil, labels: [String: String]? = nil, taskTemplate: TaskSpec? = nil, mode: Mode? = nil,
        updateConfig: UpdateConfig? = nil, rollbackConfig: UpdateConfig? = nil, endpointSpec: EndpointSpec? = nil
    ) {
        self.name = name
        self.labels = labels
        self.taskTemplate = taskTemplate
        self.mode = mode
        self.updateConfig = updateConfig
        self.rollbackConfig = rollbackConfig
        self.endpointSpec = endpointSpec
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", labels = "Labels", taskTemplate = "TaskTemplate", mode = "Mode"
        case updateConfig = "UpdateConfig", rollbackConfig = "RollbackConfig", endpointSpec = "EndpointSpec"
    }
}

extension ServiceSpec {
    /// The scheduling mode. Exactly one field is set; Docker marks `Global` and `GlobalJob` with an empty object.
    public struct Mode: Codable, Sendable, Equatable {
        /// A fixed number of replicas.
        public var replicated: Replicated?
        /// One task per node.
        public var global: EmptyObject?
        /// Run-to-completion tasks, a fixed number of completions.
        public var replicatedJob: ReplicatedJob?
        /// Run-to-completion, one task per node.
        public var globalJob: EmptyObject?

        /// Creates a mode; prefer ``replicated(_:)``, ``global`` and the job helpers.
        public init(
            replicated: Replicated? = nil, global: EmptyObject? = nil, replicatedJob: ReplicatedJob? = nil,
            globalJob: EmptyObject? = nil
        ) {
            self.replicated = replicated
            self.global = global
            self.replicatedJob = replicatedJob
            self.globalJob = globalJob
        }

        /// `{"Replicated": {"Replicas": n}}`.
        public static func replicated(_ replicas: UInt64) -> Mode {
            Mode(replicated: Replicated(replicas: replicas))
        }

        /// `{"Global": {}}`.
        public static let global = Mode(global: EmptyObject())

        /// `{"GlobalJob": {}}`.
        public static let globalJob = Mode(globalJob: EmptyObject())

        /// `{"ReplicatedJob": {…}}`.
        public static func replicatedJob(maxConcurrent: UInt64? = nil, totalCompletions: UInt64? = nil) -> Mode {
            Mode(replicatedJob: ReplicatedJob(maxConcurrent: maxConcurrent, totalCompletions: totalCompletions))
        }

        /// Replicated mode settings.
        public struct Replicated: Codable, Sendable, Equatable {
            /// Number of tasks.
            public var replicas: UInt64?

            /// Creates replicated mode settings.
            public init(replicas: UInt64? = nil) {
                self.replicas = replicas
            }

            enum CodingKeys: String, CodingKey {
                case replicas = "Replicas"
            }
        }

        /// Replicated job settings.
        public struct ReplicatedJob: Codable, Sendable, Equatable {
            /// Tasks that may run at once.
            public var maxConcurrent: UInt64?
            /// Successful completions needed.
            public var totalCompletions: UInt64?

            /// Creates replicated job settings.
            public init(maxConcurrent: UInt64? = nil, totalCompletions: UInt64? = nil) {
                self.maxConcurrent = maxConcurrent
                self.totalCompletions = totalCompletions
            }

            enum CodingKeys: String, CodingKey {
                case maxConcurrent = "MaxConcurrent", totalCompletions = "TotalCompletions"
            }
        }

        enum CodingKeys: String, CodingKey {
            case replicated = "Replicated", global = "Global", replicatedJob = "ReplicatedJob"
            case globalJob = "GlobalJob"
        }
    }

    /// Rolling update (or rollback) settings.
    public struct UpdateConfig: Codable, Sendable, Equatable {
        /// Tasks updated at once (0 = all).
        public var parallelism: UInt64?
        /// Pause between batches, in nanoseconds.
        public var delay: Int64?
        /// `continue`, `pause` or `rollback`.
        public var failureAction: String?
        /// How long to watch each task for failure, in nanoseconds.
        public var monitor: Int64?
        /// Fraction of tasks that may fail before `failureAction` applies.
        public var maxFailureRatio: Double?
        /// `stop-first` or `start-first`.
        public var order: String?

        /// Creates update settings.
        public init(
            parallelism: UInt64? = nil, delay: Int64? = nil, failureAction: String? = nil, monitor: Int64? = nil,
            maxFailureRatio: Double? = nil, order: String? = nil
        ) {
            self.parallelism = parallelism
            self.delay = delay
            self.failureAction = failureAction
            self.monitor = monitor
            self.maxFailureRatio = maxFailureRatio
            self.order = order
        }

        enum CodingKeys: String, CodingKey {
            case parallelism = "Parallelism", delay = "Delay", failureAction = "FailureAction"
            case monitor = "Monitor", maxFailureRatio = "MaxFailureRatio", order = "Order"
        }
    }

    /// How clients reach the service.
    public struct EndpointSpec: Codable, Sendable, Equatable {
        /// `vip` (Swarm's default) or `dnsrr`.
        public var mode: String?
        /// Published ports.
        public var ports: [PortConfig]?

        /// Creates an endpoint spec.
        public init(mode: String? = nil, ports: [PortConfig]? = nil) {
            self.mode = mode
            self.ports = ports
        }

        enum CodingKeys: String, CodingKey {
            case mode = "Mode", ports = "Ports"
        }
    }

    /// A published port.
    public struct PortConfig: Codable, Sendable, Equatable {
        /// Optional port name.
        public var name: String?
        /// `tcp`, `udp` or `sctp`.
        public var `protocol`: String?
        /// Port inside the container.
        public var targetPort: UInt32?
        /// Port on the swarm (ingress) or the node (host mode).
        public var publishedPort: UInt32?
        /// `ingress` (routing mesh, Swarm's default) or `host`.
        public var publishMode: String?

        /// Creates a port.
        public init(
            name: String? = nil, protocol: String? = nil, targetPort: UInt32? = nil, publishedPort: UInt32? = nil,
            publishMode: String? = nil
        ) {
            self.name = name
            self.protocol = `protocol`
            self.targetPort = targetPort
            self.publishedPort = publishedPort
            self.publishMode = publishMode
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", `protocol` = "Protocol", targetPort = "TargetPort"
            case publishedPort = "PublishedPort", publishMode = "PublishMode"
        }
    }
}
