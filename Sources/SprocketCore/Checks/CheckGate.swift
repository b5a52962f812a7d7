/// The ``LayerGate`` that runs a layer's checks (``DesiredLayer/checks``) once it converged.
///
/// The probe is built on first use, so commands that never reach a gate never open an engine connection
/// for it.
public struct CheckGate: LayerGate {
    public var makeRunner: @Sendable () async throws -> CheckRunner

    /// - Parameter makeRunner: builds the runner (and its probe) when the first layer is checked.
    public init(makeRunner: @escaping @Sendable () async throws -> CheckRunner) {
        self.makeRunner = makeRunner
    }

    /// A gate over a fixed runner.
    public init(runner: CheckRunner) {
        self.makeRunner = { runner }
    }

    public func evaluate(layer: DesiredLayer, events: ApplyEventHandler) async throws -> [GateCheckResult] {
        guard !layer.checks.isEmpty else { return [] }
        let outcomes = try await makeRunner().run(layer.checks)
        let results = outcomes.map(\.gateResult)
        for result in results { events(.checkResult(result)) }
        let passed = results.filter(\.passed).count
        events(.note("layer \(layer.name): \(passed)/\(results.count) checks passed"))
        return results
    }
}
