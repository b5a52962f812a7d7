/// `verify`: runs every check derived from the spec against the cluster, with nothing extra to write, and
/// reports per layer. Optionally forces an update of services whose superseded tasks linger.
public struct Verifier: Sendable {
    public var runner: CheckRunner
    /// Used by `fix`; nil refuses to fix.
    public var redeployer: (any ServiceRedeployer)?

    public init(runner: CheckRunner, redeployer: (any ServiceRedeployer)? = nil) {
        self.runner = runner
        self.redeployer = redeployer
    }

    /// Checks `stack` as deployed: every service at its desired replicas (healthy where it has a health check),
    /// no restart loops, every declared check and gate, every published TCP port answering, no lingering tasks.
    ///
    /// - Parameter fix: force an update of every service with lingering tasks of an older version.
    /// - Returns: the report; ``VerifyReport/passed`` only when every check passed.
    public func verify(_ stack: StackSpec, fix: Bool = false) async throws -> VerifyReport {
        let resolver = CheckResolver(stack: stack)
        let order = LayerOrder.sorted(stack.layers.map { ($0.name, $0.needs.map(\.name)) })
        let layers = order.compactMap { stack.layer(named: $0) }
        let checks = layers.flatMap(resolver.verifyChecks(for:))
        let outcomes = try await runner.run(checks)
        var fixed: [String] = []
        if fix, let redeployer {
            let lingering = zip(checks, outcomes).filter { check, outcome in
                !outcome.passed && check.kind == .noLingeringTasks
            }
            for (check, _) in lingering {
                guard let service = check.service else { continue }
                try await redeployer.forceUpdate(serviceNamed: service.dockerName)
                fixed.append(service.name)
            }
        }
        let reports = layers.map { layer in
            let own = outcomes.filter { $0.layer == layer.name }
            return VerifyReport.Layer(name: layer.name, passed: own.allSatisfy(\.passed), checks: own)
        }
        return VerifyReport(stack: stack.name, environment: stack.environment, layers: reports, fixed: fixed)
    }
}

/// What `verify` found, per layer in deploy order.
public struct VerifyReport: Sendable, Hashable, Codable {
    public struct Layer: Sendable, Hashable, Codable {
        public var name: String
        public var passed: Bool
        public var checks: [CheckOutcome]

        public init(name: String, passed: Bool, checks: [CheckOutcome]) {
            self.name = name
            self.passed = passed
            self.checks = checks
        }
    }

    public var stack: String
    public var environment: String
    /// True only when every check of every layer passed.
    public var passed: Bool
    public var layers: [Layer]
    /// Services force-updated by `--fix` (their lingering tasks are replaced; the checks above were made before).
    public var fixed: [String]

    public init(stack: String, environment: String, layers: [Layer], fixed: [String] = []) {
        self.stack = stack
        self.environment = environment
        self.passed = layers.allSatisfy(\.passed)
        self.layers = layers
        self.fixed = fixed
    }

    public var failures: [CheckOutcome] { layers.flatMap(\.checks).filter { !$0.passed } }
}
