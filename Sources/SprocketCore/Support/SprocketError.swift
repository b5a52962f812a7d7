import Foundation

/// The core's user-facing error: what failed, where (resource, file or endpoint), why, and what to do.
public struct SprocketError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// An extensible error code; callers match on it, never on message text.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let secretUnavailable = Code(rawValue: "secret-unavailable")
        public static let secretStore = Code(rawValue: "secret-store")
        public static let stateCorrupt = Code(rawValue: "state-corrupt")
        public static let stateIO = Code(rawValue: "state-io")
        public static let locked = Code(rawValue: "locked")
        public static let unsupportedChange = Code(rawValue: "unsupported-change")
        public static let convergence = Code(rawValue: "convergence")
        public static let gateFailed = Code(rawValue: "gate-failed")
        public static let rolledBack = Code(rawValue: "rolled-back")
        public static let rollbackFailed = Code(rawValue: "rollback-failed")
        public static let engine = Code(rawValue: "engine")
        public static let engineUnreachable = Code(rawValue: "engine-unreachable")
        /// A container registry refused, could not be reached, or answered what the distribution API does not.
        public static let registry = Code(rawValue: "registry")
        public static let conflict = Code(rawValue: "conflict")
        public static let cancelled = Code(rawValue: "cancelled")
        /// The run's lease on the stack environment ran out or was taken over: it stopped before its next change.
        public static let leaseLost = Code(rawValue: "lease-lost")
    }

    public var code: Code
    public var message: String
    /// The resource, file:line or endpoint the error is about.
    public var subject: String?
    public var hint: String?
    /// The underlying error, as it described itself, when this one wraps another.
    public var cause: String?
    /// `message` as a run record, the history or the state may keep it, when the message quotes what a service said
    /// (a failing check's body, a crashing container's log lines): that may hold a secret this run never learned,
    /// which the redactor cannot know. nil: `message` is safe to keep as it is.
    public var recordedMessage: String?

    public init(_ code: Code, _ message: String, subject: String? = nil, hint: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.subject = subject
        self.hint = hint
        self.cause = cause.map { String(describing: $0) }
    }

    public var description: String {
        var text = subject.map { "\($0): \(message)" } ?? message
        if let cause, !message.contains(cause) { text += "\n  cause: \(cause)" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }

    public var errorDescription: String? { description }

    /// ``description`` with ``recordedMessage`` in place of `message`: what is persisted of this error.
    public var recordedDescription: String {
        var copy = self
        copy.message = recordedMessage ?? message
        return copy.description
    }

    /// What a run record may keep of `error`: a ``SprocketError``'s ``recordedDescription``, any other error as it
    /// describes itself. Still to be passed through the run's redactor.
    public static func recorded(_ error: any Error) -> String {
        (error as? SprocketError)?.recordedDescription ?? String(describing: error)
    }
}
