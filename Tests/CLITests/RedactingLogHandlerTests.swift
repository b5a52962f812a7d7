import Logging
import SprocketCLI
import SprocketCore
import Synchronization
import Testing

/// The log handler the executable installs: known secret values never reach the wrapped handler.
@Suite("RedactingLogHandler")
struct RedactingLogHandlerTests {
    static let canary = "CANARY-log-5c0ffee1"

    final class Box: Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test("message, call metadata and handler metadata are redacted")
    func redacts() {
        let redactor = SecretRedactor()
        redactor.register(Self.canary, name: "db")
        let box = Box()
        var logger = Logger(label: "test") { _ in
            RedactingLogHandler(wrapping: SharedRecorder(box: box), redactor: redactor)
        }
        logger[metadataKey: "attached"] = "x\(Self.canary)"
        logger.warning("failed with \(Self.canary)", metadata: ["password": .string(Self.canary), "list": .array([.string(Self.canary)])])
        let lines = box.lines.withLock { $0 }
        #expect(lines.count == 1)
        #expect(lines.allSatisfy { !$0.contains(Self.canary) }, "\(lines)")
        #expect(lines.first?.contains("failed with <redacted:db>") == true && lines.first?.contains("attached=x<redacted:db>") == true, "\(lines)")
    }

    /// Records what reaches the wrapped handler into a box shared with the test (handlers are copied values).
    struct SharedRecorder: LogHandler {
        let box: Box
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
            let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            box.lines.withLock { $0.append("\(event.message) \(rendered)") }
        }
    }
}
