/// Checks a service's `deploy:` values: replicas versus mode, and counts, sizes and ratios that must
/// be positive or in range.
struct DeployCheck {
    let service: ServiceSpec
    private var diagnostics: [SpecDiagnostic] = []

    init(_ service: ServiceSpec) {
        self.service = service
    }

    private var deploy: DeploySpec { service.deploy }

    mutating func run() -> [SpecDiagnostic] {
        if let replicas = deploy.replicas {
            if deploy.mode == .global || deploy.mode == .globalJob {
                error("deploy.replicas", "`deploy.replicas` is set on the global service `\(service.name)`",
                      hint: "remove `replicas`: a global service runs one task on every node")
            } else if replicas < 0 {
                error("deploy.replicas", "`deploy.replicas` of service `\(service.name)` is negative", hint: "write 0 or more")
            }
        }
        checkAmounts(deploy.resources.limits, "limits")
        checkAmounts(deploy.resources.reservations, "reservations")
        let (limits, reservations) = (deploy.resources.limits, deploy.resources.reservations)
        if let limit = limits.memoryBytes, let reserved = reservations.memoryBytes, reserved > limit {
            error("deploy.resources.reservations.memory",
                  "the memory reservation of service `\(service.name)` is above its limit", hint: "reserve at most the limit")
        }
        if let limit = limits.nanoCPUs, let reserved = reservations.nanoCPUs, reserved > limit {
            error("deploy.resources.reservations.cpus",
                  "the CPU reservation of service `\(service.name)` is above its limit", hint: "reserve at most the limit")
        }
        if let maximum = deploy.placement.maxReplicasPerNode, maximum < 0 {
            error("deploy.placement.max_replicas_per_node",
                  "`deploy.placement.max_replicas_per_node` of service `\(service.name)` is negative", hint: "write 0 (no limit) or more")
        }
        if let policy = deploy.updateConfig { checkPolicy(policy, "update_config") }
        if let policy = deploy.rollbackConfig { checkPolicy(policy, "rollback_config") }
        if let policy = deploy.restartPolicy {
            if let attempts = policy.maxAttempts, attempts < 0 {
                error("deploy.restart_policy.max_attempts",
                      "`deploy.restart_policy.max_attempts` of service `\(service.name)` is negative", hint: "write 0 (no limit) or more")
            }
            checkNotNegative(policy.delay, "restart_policy.delay")
            checkNotNegative(policy.window, "restart_policy.window")
        }
        return diagnostics
    }

    /// Reports at the value of `keyPath` where it is written, else at the service.
    private mutating func error(_ keyPath: String, _ message: String, hint: String) {
        diagnostics.append(SpecDiagnostic(service.location(of: keyPath), message, hint: hint))
    }

    private mutating func checkAmounts(_ amounts: ResourceAmounts, _ kind: String) {
        let values: [(Int64?, String)] = [(amounts.nanoCPUs, "cpus"), (amounts.memoryBytes, "memory"), (amounts.pids, "pids")]
        for (value, key) in values {
            guard let value, value <= 0 else { continue }
            error("deploy.resources.\(kind).\(key)", "`deploy.resources.\(kind).\(key)` of service `\(service.name)` must be positive",
                  hint: "omit it for no \(kind == "limits" ? "limit" : "reservation")")
        }
    }

    private mutating func checkPolicy(_ policy: UpdatePolicy, _ key: String) {
        if let parallelism = policy.parallelism, parallelism < 0 {
            error("deploy.\(key).parallelism",
                  "`deploy.\(key).parallelism` of service `\(service.name)` is negative", hint: "write 0 (all at once) or more")
        }
        if let ratio = policy.maxFailureRatio, !(0...1).contains(ratio) {
            error("deploy.\(key).max_failure_ratio",
                  "`deploy.\(key).max_failure_ratio` of service `\(service.name)` is outside 0...1", hint: "write a fraction, e.g. `0.1`")
        }
        checkNotNegative(policy.delay, "\(key).delay")
        checkNotNegative(policy.monitor, "\(key).monitor")
    }

    private mutating func checkNotNegative(_ duration: Duration?, _ key: String) {
        guard let duration, duration < .zero else { return }
        error("deploy.\(key)", "`deploy.\(key)` of service `\(service.name)` is negative", hint: "write a duration such as `5s`")
    }
}
