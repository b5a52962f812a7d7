import Foundation
import SprocketCore

/// What `sprocketctl` asks of itself when it runs as a one-shot Swarm job inside the cluster
/// (`postgres.reach: swarm-job`). Carries no secret: secret values reach the job as Docker secrets mounted at
/// `/run/secrets/<name>`, and this request only lists their names.
public struct PostgresJobRequest: Codable, Sendable, Equatable {
    public enum Operation: String, Codable, Sendable {
        case plan, apply, status, check, teardown
    }

    public var operation: Operation
    public var spec: PostgresSpec
    /// For `apply`: the changes the plan proposed.
    public var changes: [ExternalChange]
    public var destroyData: Bool
    public var dryRun: Bool
    /// The secrets the spec names that have no value, each with why; the job reports them as a local run would.
    public var unavailable: [String: String]

    public init(
        operation: Operation, spec: PostgresSpec, changes: [ExternalChange] = [], destroyData: Bool = false, dryRun: Bool = false,
        unavailable: [String: String] = [:]
    ) {
        self.operation = operation
        self.spec = spec
        self.changes = changes
        self.destroyData = destroyData
        self.dryRun = dryRun
        self.unavailable = unavailable
    }
}

/// The job's answer, printed as one line of its output after ``marker``. Exactly one field is set.
public struct PostgresJobResponse: Codable, Sendable, Equatable {
    /// A ``SprocketError`` as it crosses the process boundary.
    public struct Failure: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
        public var subject: String?
        public var hint: String?

        public init(_ error: SprocketError) {
            code = error.code.rawValue
            message = error.message
            subject = error.subject
            hint = error.hint
        }

        public var error: SprocketError {
            SprocketError(SprocketError.Code(rawValue: code), message, subject: subject, hint: hint)
        }
    }

    /// Starts the line that carries the answer; everything else the job prints is log output.
    public static let marker = "sprocketctl-job-result: "

    public var changes: [ExternalChange]?
    public var applied: ExternalApplyReport?
    public var statuses: [ExternalResourceStatus]?
    public var checks: [GateCheckResult]?
    public var teardown: ExternalTeardownReport?
    public var failure: Failure?

    public init(
        changes: [ExternalChange]? = nil, applied: ExternalApplyReport? = nil, statuses: [ExternalResourceStatus]? = nil,
        checks: [GateCheckResult]? = nil, teardown: ExternalTeardownReport? = nil, failure: Failure? = nil
    ) {
        self.changes = changes
        self.applied = applied
        self.statuses = statuses
        self.checks = checks
        self.teardown = teardown
        self.failure = failure
    }

    /// The answer as the line the job prints.
    public func line() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Self.marker + String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Finds the answer among the job's output lines (the last one wins).
    public static func parse(lines: [String]) -> PostgresJobResponse? {
        for line in lines.reversed() {
            guard let start = line.range(of: marker) else { continue }
            return try? JSONDecoder().decode(PostgresJobResponse.self, from: Data(line[start.upperBound...].utf8))
        }
        return nil
    }
}
