/// Makes single attempts of checks against a cluster. The Docker Engine module implements it; tests use fakes.
///
/// An attempt answers what it expected and what it saw, whether it passed or not, so a report needs no
/// guessing. It should return within `timeout` (plus the time to set up a probe job); ``CheckRunner`` gives
/// up on it otherwise.
public protocol CheckProbe: Sendable {
    /// One attempt of `check`.
    ///
    /// - Throws: only for errors that say nothing about the check itself (the engine is unreachable);
    ///   the runner reports them as what was seen.
    func attempt(_ check: DesiredCheck, timeout: Duration) async throws -> CheckObservation
}

/// Forces a new rollout of services, replacing every task (`verify --fix` for lingering tasks).
public protocol ServiceRedeployer: Sendable {
    /// Forces an update of the service with this Docker name, even though its spec did not change.
    func forceUpdate(serviceNamed dockerName: String) async throws
}

/// What one attempt of a check found.
public struct CheckObservation: Sendable, Hashable, Codable {
    public var passed: Bool
    /// What the check wants, e.g. `HTTP 200`.
    public var expected: String
    /// What the attempt saw, e.g. `HTTP 500 (body "broken")`.
    public var seen: String

    public init(passed: Bool, expected: String, seen: String) {
        self.passed = passed
        self.expected = expected
        self.seen = seen
    }
}

/// The outcome of a check after all its attempts.
public struct CheckOutcome: Sendable, Hashable, Codable {
    public var layer: String
    public var check: String
    public var origin: DesiredCheck.Origin
    /// The spec name of the service checked, if any.
    public var service: String?
    public var passed: Bool
    public var expected: String
    /// What the last attempt saw.
    public var seen: String
    public var attempts: Int
    public var seconds: Double

    public init(
        layer: String, check: String, origin: DesiredCheck.Origin, service: String?, passed: Bool, expected: String,
        seen: String, attempts: Int, seconds: Double
    ) {
        self.layer = layer
        self.check = check
        self.origin = origin
        self.service = service
        self.passed = passed
        self.expected = expected
        self.seen = seen
        self.attempts = attempts
        self.seconds = seconds
    }

    /// The form the applier's gate hook takes.
    public var gateResult: GateCheckResult {
        GateCheckResult(layer: layer, check: check, passed: passed, expected: expected, seen: seen)
    }
}
