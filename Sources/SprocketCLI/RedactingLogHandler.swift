import Logging
import SprocketCore

/// A swift-log handler that redacts every known secret value (``SecretRedactor/shared``) from the message and the
/// metadata before handing the entry to the handler it wraps. The executable bootstraps logging with it.
public struct RedactingLogHandler: LogHandler {
    private var wrapped: any LogHandler
    private let redactor: SecretRedactor

    public init(wrapping wrapped: any LogHandler, redactor: SecretRedactor = .shared) {
        self.wrapped = wrapped
        self.redactor = redactor
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        // The handler's own metadata is merged by the wrapped handler; redact it here too by passing it explicitly.
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        event.message = "\(redactor.redact(event.message.description))"
        event.metadata = merged.isEmpty ? nil : merged.mapValues(redact)
        var copy = wrapped
        copy.metadata = [:]
        copy.log(event: event)
    }

    private func redact(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(redactor.redact(text))
        case .stringConvertible(let convertible): .string(redactor.redact(convertible.description))
        case .array(let values): .array(values.map(redact))
        case .dictionary(let values): .dictionary(values.mapValues(redact))
        }
    }
}
