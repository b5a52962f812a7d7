/// A service's `deploy:` section.
struct DeployParser {
    let context: SpecParseContext

    static let keys = [
        "mode", "replicas", "endpoint_mode", "labels", "resources", "placement", "update_config", "rollback_config",
        "restart_policy",
    ]
    static let policyKeys = ["parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"]

    func deploy(_ node: YAMLNode) -> DeploySpec {
        var deploy = DeploySpec()
        guard let fields = context.fields(node, of: "`deploy`", known: Self.keys) else { return deploy }
        if let node = fields["mode"] {
            deploy.mode = context.choice(node, for: "deploy.mode", as: DeploySpec.Mode.self,
                                         allowed: [.replicated, .global, .replicatedJob, .globalJob]) ?? .replicated
        }
        deploy.replicas = fields["replicas"].flatMap { context.integer($0, for: "deploy.replicas") }
        if let node = fields["endpoint_mode"] {
            deploy.endpointMode = context.choice(node, for: "deploy.endpoint_mode", as: DeploySpec.EndpointMode.self,
                                                 allowed: [.vip, .dnsrr]) ?? .vip
        }
        if let node = fields["labels"] { deploy.labels = KeyValueParser(context: context).dictionary(node, for: "deploy.labels") }
        if let node = fields["resources"] { deploy.resources = resources(node) }
        if let node = fields["placement"] { deploy.placement = placement(node) }
        deploy.updateConfig = fields["update_config"].flatMap { policy($0, for: "deploy.update_config", rollback: false) }
        deploy.rollbackConfig = fields["rollback_config"].flatMap { policy($0, for: "deploy.rollback_config", rollback: true) }
        deploy.restartPolicy = fields["restart_policy"].flatMap(restartPolicy)
        return deploy
    }

    private func resources(_ node: YAMLNode) -> ResourcesSpec {
        var resources = ResourcesSpec()
        guard let fields = context.fields(node, of: "`deploy.resources`", known: ["limits", "reservations"]) else { return resources }
        if let node = fields["limits"] {
            resources.limits = amounts(node, for: "deploy.resources.limits", known: ["cpus", "memory", "pids"], unsupported: [:])
        }
        if let node = fields["reservations"] {
            resources.reservations = amounts(node, for: "deploy.resources.reservations", known: ["cpus", "memory"],
                                             unsupported: ComposeCompatibility.reservationKeys)
        }
        return resources
    }

    private func amounts(_ node: YAMLNode, for key: String, known: [String], unsupported: [String: UnsupportedComposeKey]) -> ResourceAmounts {
        var amounts = ResourceAmounts()
        guard let fields = context.fields(node, of: "`\(key)`", known: known, unsupported: unsupported) else { return amounts }
        amounts.nanoCPUs = fields["cpus"].flatMap { context.value($0, for: "\(key).cpus", expected: "a CPU count", ScalarParsers.nanoCPUs) }
        amounts.memoryBytes = fields["memory"].flatMap {
            context.value($0, for: "\(key).memory", expected: "a memory size", ScalarParsers.memoryBytes)
        }
        amounts.pids = fields["pids"].flatMap { context.int64($0, for: "\(key).pids") }
        return amounts
    }

    private func placement(_ node: YAMLNode) -> PlacementSpec {
        var placement = PlacementSpec()
        guard let fields = context.fields(node, of: "`deploy.placement`", known: ["constraints", "preferences", "max_replicas_per_node"])
        else { return placement }
        if let node = fields["constraints"] { placement.constraints = context.strings(node, for: "deploy.placement.constraints") }
        if let node = fields["preferences"], let items = context.list(node, for: "deploy.placement.preferences") {
            placement.spreadPreferences = items.compactMap { item in
                guard let fields = context.fields(item, of: "a placement preference", known: ["spread"]) else { return nil }
                guard let spread = fields["spread"] else {
                    context.diagnostics.error(item.location, "a placement preference has no `spread`",
                                              hint: "write `- spread: node.labels.zone`")
                    return nil
                }
                return context.string(spread, for: "deploy.placement.preferences.spread")
            }
        }
        placement.maxReplicasPerNode = fields["max_replicas_per_node"].flatMap {
            context.integer($0, for: "deploy.placement.max_replicas_per_node")
        }
        return placement
    }

    private func policy(_ node: YAMLNode, for key: String, rollback: Bool) -> UpdatePolicy? {
        guard let fields = context.fields(node, of: "`\(key)`", known: Self.policyKeys) else { return nil }
        var policy = UpdatePolicy()
        policy.parallelism = fields["parallelism"].flatMap { context.integer($0, for: "\(key).parallelism") }
        policy.delay = fields["delay"].flatMap { context.duration($0, for: "\(key).delay") }
        if let node = fields["failure_action"] {
            // Rolling back a rollback is meaningless, so Docker allows only pause and continue there.
            let allowed: [UpdatePolicy.FailureAction] = rollback ? [.pause, .continue] : [.pause, .continue, .rollback]
            policy.failureAction = context.choice(node, for: "\(key).failure_action", as: UpdatePolicy.FailureAction.self, allowed: allowed)
        }
        policy.monitor = fields["monitor"].flatMap { context.duration($0, for: "\(key).monitor") }
        policy.maxFailureRatio = fields["max_failure_ratio"].flatMap { context.double($0, for: "\(key).max_failure_ratio") }
        if let node = fields["order"] {
            policy.order = context.choice(node, for: "\(key).order", as: UpdatePolicy.Order.self, allowed: [.stopFirst, .startFirst])
        }
        return policy
    }

    private func restartPolicy(_ node: YAMLNode) -> RestartPolicySpec? {
        let key = "deploy.restart_policy"
        guard let fields = context.fields(node, of: "`\(key)`", known: ["condition", "delay", "max_attempts", "window"]) else { return nil }
        var policy = RestartPolicySpec()
        if let node = fields["condition"] {
            policy.condition = context.choice(node, for: "\(key).condition", as: RestartPolicySpec.Condition.self,
                                              allowed: [.none, .onFailure, .any])
        }
        policy.delay = fields["delay"].flatMap { context.duration($0, for: "\(key).delay") }
        policy.maxAttempts = fields["max_attempts"].flatMap { context.integer($0, for: "\(key).max_attempts") }
        policy.window = fields["window"].flatMap { context.duration($0, for: "\(key).window") }
        return policy
    }
}
