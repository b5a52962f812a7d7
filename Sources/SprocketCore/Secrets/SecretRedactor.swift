import Foundation
import Synchronization

/// Replaces every known secret value in text with `<redacted:NAME>`, so that a secret that slips into an error
/// message, a log line or JSON output is not printed.
///
/// Values are registered as they become known during a run: ``SecretResolver`` registers each value it resolves
/// into ``shared`` (the process-wide registry the CLI's console and log handler redact through), and the CLI
/// registers Vault root tokens, unseal keys and Doppler or Vault tokens from the environment when it loads them.
/// Values shorter than ``minimumLength`` bytes are not registered: replacing every `admin` or `1234` in the output
/// would garble it while protecting nothing that could not be guessed.
public final class SecretRedactor: Sendable {
    /// The registry of this process.
    public static let shared = SecretRedactor()

    /// The shortest value (in UTF-8 bytes) that is redacted.
    public static let minimumLength = 6

    private struct Known {
        /// Value → name; a value registered twice keeps its first name.
        var names: [String: String] = [:]
        /// Values, longest first, so that a value containing another is replaced whole.
        var ordered: [String] = []
    }

    private let known = Mutex(Known())

    public init() {}

    /// Registers a value under `name`. A value that is not UTF-8 text is registered by its text form only when it
    /// decodes; a value with trailing whitespace or newlines is also registered without them (a file secret's
    /// content usually ends in a newline, the value in a message often does not).
    public func register(_ value: [UInt8], name: String) {
        guard let text = String(validating: value, as: UTF8.self) else { return }
        register(text, name: name)
    }

    /// Registers a text value under `name`.
    public func register(_ value: String, name: String) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        // The forms a value takes inside JSON output and in a message that quotes it escaped.
        let escaped = [value, trimmed].map { text in
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        }
        let candidates = Set([value, trimmed] + escaped).filter { $0.utf8.count >= Self.minimumLength }
        guard !candidates.isEmpty else { return }
        known.withLock { known in
            for candidate in candidates where known.names[candidate] == nil {
                known.names[candidate] = name
                known.ordered.append(candidate)
            }
            known.ordered.sort { $0.utf8.count > $1.utf8.count }
        }
    }

    /// How many distinct values are registered.
    public var count: Int { known.withLock { $0.ordered.count } }

    /// `text` with every registered value replaced by `<redacted:NAME>`.
    public func redact(_ text: String) -> String {
        let (ordered, names) = known.withLock { ($0.ordered, $0.names) }
        guard !ordered.isEmpty else { return text }
        var result = text
        for value in ordered where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: "<redacted:\(names[value] ?? "secret")>")
        }
        return result
    }
}
