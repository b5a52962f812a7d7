/// The `deploy:` section of a service.
public struct DeploySpec: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable {
        case replicated
        case global
        case replicatedJob = "replicated-job"
        case globalJob = "global-job"

        public var isJob: Bool { self == .replicatedJob || self == .globalJob }
    }

    public enum EndpointMode: String, Sendable, Hashable {
        /// A virtual IP per service, load-balanced by IPVS (Swarm's default).
        case vip
        /// DNS round robin over task IPs (works without IPVS).
        case dnsrr
    }

    public var mode: Mode
    /// Replicas for `replicated` (default 1), total completions for `replicated-job`.
    public var replicas: Int?
    public var endpointMode: EndpointMode
    /// Service labels (`deploy.labels`), where Traefik reads its routers.
    public var labels: [String: String]
    public var resources: ResourcesSpec
    public var placement: PlacementSpec
    public var updateConfig: UpdatePolicy?
    public var rollbackConfig: UpdatePolicy?
    public var restartPolicy: RestartPolicySpec?

    public init(
        mode: Mode = .replicated,
        replicas: Int? = nil,
        endpointMode: EndpointMode = .vip,
        labels: [String: String] = [:],
        resources: ResourcesSpec = ResourcesSpec(),
        placement: PlacementSpec = PlacementSpec(),
        updateConfig: UpdatePolicy? = nil,
        rollbackConfig: UpdatePolicy? = nil,
        restartPolicy: RestartPolicySpec? = nil
    ) {
        self.mode = mode
        self.replicas = replicas
        self.endpointMode = endpointMode
        self.labels = labels
        self.resources = resources
        self.placement = placement
        self.updateConfig = updateConfig
        self.rollbackConfig = rollbackConfig
        self.restartPolicy = restartPolicy
    }
}

public struct ResourcesSpec: Sendable, Hashable {
    public var limits: ResourceAmounts
    public var reservations: ResourceAmounts

    public init(limits: ResourceAmounts = ResourceAmounts(), reservations: ResourceAmounts = ResourceAmounts()) {
        self.limits = limits
        self.reservations = reservations
    }
}

/// CPU, memory and pid amounts: a spec's `resources.limits`/`reservations`, and the same in a ``ServiceDefinition``.
public struct ResourceAmounts: Sendable, Hashable, Codable {
    /// CPUs in billionths (Docker's NanoCPUs), so `0.5` is 500_000_000 and equality is exact.
    public var nanoCPUs: Int64?
    public var memoryBytes: Int64?
    /// Limits only.
    public var pids: Int64?

    public init(nanoCPUs: Int64? = nil, memoryBytes: Int64? = nil, pids: Int64? = nil) {
        self.nanoCPUs = nanoCPUs
        self.memoryBytes = memoryBytes
        self.pids = pids
    }
}

public struct PlacementSpec: Sendable, Hashable {
    public var constraints: [String]
    /// `preferences: [{spread: node.labels.zone}]` as the spread descriptors.
    public var spreadPreferences: [String]
    public var maxReplicasPerNode: Int?

    public init(constraints: [String] = [], spreadPreferences: [String] = [], maxReplicasPerNode: Int? = nil) {
        self.constraints = constraints
        self.spreadPreferences = spreadPreferences
        self.maxReplicasPerNode = maxReplicasPerNode
    }
}

/// `update_config` / `rollback_config`, in the spec and in a ``ServiceDefinition`` (encoded as the definition
/// always was: durations in whole nanoseconds under `…Nanoseconds` keys, so spec hashes of deployed services hold).
public struct UpdatePolicy: Sendable, Hashable {
    public enum FailureAction: String, Sendable, Hashable, Codable {
        case pause
        case `continue`
        case rollback
    }

    public enum Order: String, Sendable, Hashable, Codable {
        case stopFirst = "stop-first"
        case startFirst = "start-first"
    }

    public var parallelism: Int?
    public var delay: Duration?
    public var failureAction: FailureAction?
    public var monitor: Duration?
    public var maxFailureRatio: Double?
    public var order: Order?

    public init(
        parallelism: Int? = nil,
        delay: Duration? = nil,
        failureAction: FailureAction? = nil,
        monitor: Duration? = nil,
        maxFailureRatio: Double? = nil,
        order: Order? = nil
    ) {
        self.parallelism = parallelism
        self.delay = delay
        self.failureAction = failureAction
        self.monitor = monitor
        self.maxFailureRatio = maxFailureRatio
        self.order = order
    }
}

/// `restart_policy`, in the spec and in a ``ServiceDefinition`` (durations encoded in whole nanoseconds).
public struct RestartPolicySpec: Sendable, Hashable {
    public enum Condition: String, Sendable, Hashable, Codable {
        case none
        case onFailure = "on-failure"
        case any
    }

    public var condition: Condition?
    public var delay: Duration?
    public var maxAttempts: Int?
    public var window: Duration?

    public init(condition: Condition? = nil, delay: Duration? = nil, maxAttempts: Int? = nil, window: Duration? = nil) {
        self.condition = condition
        self.delay = delay
        self.maxAttempts = maxAttempts
        self.window = window
    }
}

extension UpdatePolicy: Codable {
    private enum CodingKeys: String, CodingKey {
        case parallelism, delayNanoseconds, failureAction, monitorNanoseconds, maxFailureRatio, order
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            parallelism: try container.decodeIfPresent(Int.self, forKey: .parallelism),
            delay: try container.decodeIfPresent(Int64.self, forKey: .delayNanoseconds).map(Duration.fromNanoseconds),
            failureAction: try container.decodeIfPresent(FailureAction.self, forKey: .failureAction),
            monitor: try container.decodeIfPresent(Int64.self, forKey: .monitorNanoseconds).map(Duration.fromNanoseconds),
            maxFailureRatio: try container.decodeIfPresent(Double.self, forKey: .maxFailureRatio),
            order: try container.decodeIfPresent(Order.self, forKey: .order))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(parallelism, forKey: .parallelism)
        try container.encodeIfPresent(delay?.nanoseconds, forKey: .delayNanoseconds)
        try container.encodeIfPresent(failureAction, forKey: .failureAction)
        try container.encodeIfPresent(monitor?.nanoseconds, forKey: .monitorNanoseconds)
        try container.encodeIfPresent(maxFailureRatio, forKey: .maxFailureRatio)
        try container.encodeIfPresent(order, forKey: .order)
    }
}

extension RestartPolicySpec: Codable {
    private enum CodingKeys: String, CodingKey {
        case condition, delayNanoseconds, maxAttempts, windowNanoseconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            condition: try container.decodeIfPresent(Condition.self, forKey: .condition),
            delay: try container.decodeIfPresent(Int64.self, forKey: .delayNanoseconds).map(Duration.fromNanoseconds),
            maxAttempts: try container.decodeIfPresent(Int.self, forKey: .maxAttempts),
            window: try container.decodeIfPresent(Int64.self, forKey: .windowNanoseconds).map(Duration.fromNanoseconds))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(condition, forKey: .condition)
        try container.encodeIfPresent(delay?.nanoseconds, forKey: .delayNanoseconds)
        try container.encodeIfPresent(maxAttempts, forKey: .maxAttempts)
        try container.encodeIfPresent(window?.nanoseconds, forKey: .windowNanoseconds)
    }
}
