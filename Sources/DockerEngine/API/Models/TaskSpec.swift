/// What each task of a service runs, and where (`ServiceSpec.TaskTemplate` in the Engine API).
public struct TaskSpec: Codable, Sendable, Equatable {
    /// The container to run.
    public var containerSpec: ContainerSpec?
    /// CPU, memory and PID limits and reservations.
    public var resources: Resources?
    /// When Swarm restarts tasks.
    public var restartPolicy: RestartPolicy?
    /// Where tasks may run.
    public var placement: Placement?
    /// Bump this counter to force a redeploy even when nothing else changed.
    public var forceUpdate: UInt64?
    /// `container` (default) or `plugin`.
    public var runtime: String?
    /// Networks to attach tasks to.
    public var networks: [NetworkAttachment]?
    /// Log driver for the tasks' containers.
    public var logDriver: DriverConfig?

    /// Creates a task spec.
    public init(
        containerSpec: ContainerSpec? = nil, resources: Resources? = nil, restartPolicy: RestartPolicy? = nil,
        placement: Placement? = nil, forceUpdate: UInt64? = nil, runtime: String? = nil,
        networks: [NetworkAttachment]? = nil, logDriver: DriverConfig? = nil
    ) {
        self.containerSpec = containerSpec
        self.resources = resources
        self.restartPolicy = restartPolicy
        self.placement = placement
        self.forceUpdate = forceUpdate
        self.runtime = runtime
        self.networks = networks
        self.logDriver = logDriver
    }

    enum CodingKeys: String, CodingKey {
        case containerSpec = "ContainerSpec", resources = "Resources", restartPolicy = "RestartPolicy"
        case placement = "Placement", forceUpdate = "ForceUpdate", runtime = "Runtime", networks = "Networks"
        case logDriver = "LogDriver"
    }
}

extension TaskSpec {
    /// Limits and reservations for a task.
    public struct Resources: Codable, Sendable, Equatable {
        /// Upper bounds.
        public var limits: Limits?
        /// Amounts the scheduler reserves on a node.
        public var reservations: Reservations?

        /// Creates resources.
        public init(limits: Limits? = nil, reservations: Reservations? = nil) {
            self.limits = limits
            self.reservations = reservations
        }

        enum CodingKeys: String, CodingKey {
            case limits = "Limits", reservations = "Reservations"
        }
    }

    /// Resource upper bounds.
    public struct Limits: Codable, Sendable, Equatable {
        /// CPU in units of 10⁻⁹ CPUs (1.5 CPUs = 1_500_000_000).
        public var nanoCPUs: Int64?
        /// Memory in bytes.
        public var memoryBytes: Int64?
        /// Maximum number of processes (0 = unlimited).
        public var pids: Int64?

        /// Creates limits.
        public init(nanoCPUs: Int64? = nil, memoryBytes: Int64? = nil, pids: Int64? = nil) {
            self.nanoCPUs = nanoCPUs
            self.memoryBytes = memoryBytes
            self.pids = pids
        }

        enum CodingKeys: String, CodingKey {
            case nanoCPUs = "NanoCPUs", memoryBytes = "MemoryBytes", pids = "Pids"
        }
    }

    /// Resource reservations.
    public struct Reservations: Codable, Sendable, Equatable {
        /// CPU in units of 10⁻⁹ CPUs.
        public var nanoCPUs: Int64?
        /// Memory in bytes.
        public var memoryBytes: Int64?

        /// Creates reservations.
        public init(nanoCPUs: Int64? = nil, memoryBytes: Int64? = nil) {
            self.nanoCPUs = nanoCPUs
            self.memoryBytes = memoryBytes
        }

        enum CodingKeys: String, CodingKey {
            case nanoCPUs = "NanoCPUs", memoryBytes = "MemoryBytes"
        }
    }

    /// When and how often Swarm restarts a task's container.
    public struct RestartPolicy: Codable, Sendable, Equatable {
        /// `none`, `on-failure` or `any`.
        public var condition: String?
        /// Delay between restarts, in nanoseconds.
        public var delay: Int64?
        /// Restarts before giving up (0 = unlimited).
        public var maxAttempts: UInt64?
        /// Window used to evaluate the restart policy, in nanoseconds.
        public var window: Int64?

        /// Creates a restart policy.
        public init(condition: String? = nil, delay: Int64? = nil, maxAttempts: UInt64? = nil, window: Int64? = nil) {
            self.condition = condition
            self.delay = delay
            self.maxAttempts = maxAttempts
            self.window = window
        }

        enum CodingKeys: String, CodingKey {
            case condition = "Condition", delay = "Delay", maxAttempts = "MaxAttempts", window = "Window"
        }
    }

    /// Scheduling constraints for a task.
    public struct Placement: Codable, Sendable, Equatable {
        /// Constraints such as `node.role==manager`.
        public var constraints: [String]?
        /// Spread preferences.
        public var preferences: [Preference]?
        /// Most replicas per node (0 = unlimited).
        public var maxReplicas: UInt64?
        /// Platforms the image supports.
        public var platforms: [Platform]?

        /// Creates placement rules.
        public init(
            constraints: [String]? = nil, preferences: [Preference]? = nil, maxReplicas: UInt64? = nil,
            platforms: [Platform]? = nil
        ) {
            self.constraints = constraints
            self.preferences = preferences
            self.maxReplicas = maxReplicas
            self.platforms = platforms
        }

        enum CodingKeys: String, CodingKey {
            case constraints = "Constraints", preferences = "Preferences", maxReplicas = "MaxReplicas"
            case platforms = "Platforms"
        }
    }

    /// A placement preference: `{"Spread": {"SpreadDescriptor": "node.labels.zone"}}`.
    public struct Preference: Codable, Sendable, Equatable {
        /// Spread tasks evenly over the values of a node attribute.
        public var spread: Spread?

        /// Creates a preference.
        public init(spread: Spread? = nil) {
            self.spread = spread
        }

        /// The spread rule.
        public struct Spread: Codable, Sendable, Equatable {
            /// The attribute to spread over, e.g. `node.labels.zone`.
            public var spreadDescriptor: String?

            /// Creates a spread rule.
            public init(spreadDescriptor: String? = nil) {
                self.spreadDescriptor = spreadDescriptor
            }

            enum CodingKeys: String, CodingKey {
                case spreadDescriptor = "SpreadDescriptor"
            }
        }

        enum CodingKeys: String, CodingKey {
            case spread = "Spread"
        }
    }

    /// An OS and CPU architecture pair.
    public struct Platform: Codable, Sendable, Equatable {
        /// CPU architecture, e.g. `x86_64` or `amd64`.
        public var architecture: String?
        /// Operating system, e.g. `linux`.
        public var os: String?

        /// Creates a platform.
        public init(architecture: String? = nil, os: String? = nil) {
            self.architecture = architecture
            self.os = os
        }

        enum CodingKeys: String, CodingKey {
            case architecture = "Architecture", os = "OS"
        }
    }

    /// A network the task joins.
    public struct NetworkAttachment: Codable, Sendable, Equatable {
        /// Network name or ID.
        public var target: String?
        /// Extra DNS names for the task on this network.
        public var aliases: [String]?
        /// Driver options for the endpoint.
        public var driverOpts: [String: String]?

        /// Creates an attachment.
        public init(target: String? = nil, aliases: [String]? = nil, driverOpts: [String: String]? = nil) {
            self.target = target
            self.aliases = aliases
            self.driverOpts = driverOpts
        }

        enum CodingKeys: String, CodingKey {
            case target = "Target", aliases = "Aliases", driverOpts = "DriverOpts"
        }
    }
}
