import Foundation
import SprocketCore
#if canImport(Glibc)
import Glibc
#endif

/// Where output goes: results on stdout, everything else on stderr; knows whether each is a terminal.
/// Every line passes through ``SecretRedactor/shared`` first, so a known secret value is never printed.
struct Console: Sendable {
    var isStandardErrorTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    var isStandardInputTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    var usesColor: Bool { isStandardErrorTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    func out(_ text: String) {
        FileHandle.standardOutput.write(Data((SecretRedactor.shared.redact(text) + "\n").utf8))
    }

    func err(_ text: String) {
        FileHandle.standardError.write(Data((SecretRedactor.shared.redact(text) + "\n").utf8))
    }

    /// Rewrites the current stderr line (live progress on a terminal).
    func status(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + SecretRedactor.shared.redact(text)).utf8))
    }

    /// One line of JSON on stdout.
    func json(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        if let data = try? encoder.encode(value) { out(String(decoding: data, as: UTF8.self)) }
    }

    /// Asks a yes/no question on the terminal; false on anything but y/yes.
    func confirm(_ question: String) -> Bool {
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
