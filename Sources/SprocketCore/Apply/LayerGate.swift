/// Decides whether a converged layer is healthy enough for the next layer to start.
///
/// The applier calls it after every service of a layer converged. An implementation runs the layer's checks
/// (declared gates and the checks derived from the spec) and returns one result per check; any failed result
/// stops the run before the next layer starts.
public protocol LayerGate: Sendable {
    func evaluate(layer: DesiredLayer, events: ApplyEventHandler) async throws -> [GateCheckResult]
}

/// The outcome of one check: what was expected and what was seen, so a failure report needs no guessing.
public struct GateCheckResult: Sendable, Hashable, Codable {
    public var layer: String
    /// A stable name, e.g. `api/http GET /health` or `replicas api`.
    public var check: String
    public var passed: Bool
    public var expected: String
    public var seen: String

    public init(layer: String, check: String, passed: Bool, expected: String, seen: String) {
        self.layer = layer
        self.check = check
        self.passed = passed
        self.expected = expected
        self.seen = seen
    }
}
