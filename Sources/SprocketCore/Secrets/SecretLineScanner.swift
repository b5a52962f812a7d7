import Foundation

/// Finds credentials in one line of a text file (for `doctor`'s scan of a git work tree and its history), with the
/// value masked so that the report itself leaks nothing.
///
/// Uses ``SecretLiteralDetector``'s known token formats anywhere in the line, and its "random-looking" test for the
/// value of an assignment (`KEY=value`, `key: value`, `"key": "value"`), which is a weaker signal.
public enum SecretLineScanner {
    public struct Finding: Sendable, Equatable, Codable {
        /// What it looks like, e.g. "a Vault token (hvs./hvb./hvr.)".
        public var kind: String
        /// The matched text with all but a short, non-secret prefix replaced.
        public var masked: String
        /// True for a known token format; false for a high-entropy assignment (possibly a false positive).
        public var isKnownFormat: Bool
    }

    /// Lines longer than this are scanned only up to it (minified files, data blobs).
    static let maximumLineLength = 8_192

    /// `KEY = value`, `key: "value"`, `"key": "value"`: the value is the second capture group. A whole-line
    /// assignment (`.env`, YAML, properties) may be unquoted; elsewhere (source code) only a quoted literal counts,
    /// so that `group: eventLoopGroup.next()` is not taken for a password.
    /// Compiled once: a doctor run scans every line ever committed, and compiling per line made that the cost.
    private static let assignments: [NSRegularExpression] = [
        #"^\s*(?:export\s+|-\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?([^\s"'`,;]+)["']?\s*,?\s*$"#,
        #"([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']([^\s"'`,;]+)["']"#,
    ].compactMap { try? NSRegularExpression(pattern: $0) }
    private static let identifierChain = try? NSRegularExpression(pattern: #"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$"#)

    public static func scan(_ line: String) -> [Finding] {
        let text = line.count > maximumLineLength ? String(line.prefix(maximumLineLength)) : line
        var findings: [Finding] = []
        var covered: [Range<String.Index>] = []
        let whole = NSRange(text.startIndex..., in: text)
        for (expression, kind) in SecretLiteralDetector.compiledFormats {
            for match in expression.matches(in: text, range: whole) {
                guard let range = Range(match.range, in: text) else { continue }
                covered.append(range)
                findings.append(Finding(kind: kind, masked: mask(text[range], keepingPrefix: 4), isKnownFormat: true))
            }
        }
        let matches = assignments.flatMap { $0.matches(in: text, range: whole) }
        var reported: [Range<String.Index>] = []
        for match in matches {
            guard let nameRange = Range(match.range(at: 1), in: text), let valueRange = Range(match.range(at: 2), in: text),
                !covered.contains(where: { $0.overlaps(valueRange) }), !reported.contains(valueRange),
                looksLikeGeneratedValue(String(text[valueRange]))
            else { continue }
            reported.append(valueRange)
            findings.append(Finding(
                kind: "a random-looking value assigned to `\(text[nameRange])` (high entropy)",
                masked: mask(text[valueRange], keepingPrefix: 0), isKnownFormat: false))
        }
        return findings
    }

    /// Random-looking, with a digit (generated credentials nearly always have one), and not a chain of identifiers
    /// (`Foo.bar.baz`) or a reference (`$VAR`, `@attr`).
    static func looksLikeGeneratedValue(_ value: String) -> Bool {
        guard value.contains(where: \.isNumber), !value.hasPrefix("$"), !value.hasPrefix("@") else { return false }
        if identifierChain?.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil { return false }
        return SecretLiteralDetector.looksRandom(value)
    }

    /// The first `keepingPrefix` characters (a token's type prefix such as `hvs.` or `AKIA`), then `…` and the length.
    static func mask(_ value: Substring, keepingPrefix: Int) -> String {
        "\(value.prefix(keepingPrefix))…[\(value.count) chars masked]"
    }
}
