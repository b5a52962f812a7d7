/// A strict reader of `.env`-style secrets text (`NAME=value` lines), for `secrets import-env` and any other place
/// a file of secrets is read.
///
/// Strict because the original's generated `.env` carried a malformed JWT secret, duplicate `REDIS_PASSWORD` lines
/// and tokens broken over two lines, and the script that read it kept quotes as part of values. Here anything a
/// reader could take two ways is an error:
/// - names must match the ``NameRule`` (Doppler's `[A-Z_][A-Z0-9_]*` by default); `export ` prefixes are allowed;
/// - unquoted values may not contain quotes, ` #`, or leading/trailing whitespace;
/// - `"…"` values take the escapes `\n \r \t \" \\` and may span lines; `'…'` values are literal and may span lines;
///   nothing but whitespace and a `#` comment may follow the closing quote;
/// - a line ending in `\r` (CRLF files) is an error rather than a silent `\r` at the end of a secret;
/// - a byte-order mark is skipped at the start of the file and refused anywhere else;
/// - a name assigned twice is an error naming both lines.
///
/// Every problem is collected (not just the first) into one ``SecretEnvFileError``, whose messages never contain
/// values.
public struct SecretEnvFileParser: Sendable {
    /// Which names are accepted.
    public enum NameRule: Sendable, Equatable {
        /// `[A-Z_][A-Z0-9_]*`: what Doppler accepts as a secret name (docs/wire-formats.md §2.3).
        case doppler
        /// `[A-Za-z_][A-Za-z0-9_]*`: any portable environment variable name.
        case posix

        var pattern: String {
            switch self {
            case .doppler: "[A-Z_][A-Z0-9_]*"
            case .posix: "[A-Za-z_][A-Za-z0-9_]*"
            }
        }

        func accepts(_ name: Substring) -> Bool {
            guard let first = name.unicodeScalars.first else { return false }
            let isUpper = { (scalar: Unicode.Scalar) in ("A"..."Z").contains(scalar) }
            let isLower = { (scalar: Unicode.Scalar) in self == .posix && ("a"..."z").contains(scalar) }
            let isDigit = { (scalar: Unicode.Scalar) in ("0"..."9").contains(scalar) }
            guard isUpper(first) || isLower(first) || first == "_" else { return false }
            return name.unicodeScalars.allSatisfy { isUpper($0) || isLower($0) || isDigit($0) || $0 == "_" }
        }
    }

    /// Which names are accepted.
    public var nameRule: NameRule

    /// Creates a parser.
    public init(nameRule: NameRule = .doppler) {
        self.nameRule = nameRule
    }

    /// Parses text.
    ///
    /// - Parameters:
    ///   - text: The file's content.
    ///   - source: A path or label for messages.
    /// - Throws: ``SecretEnvFileError`` with every problem found.
    public func parse(_ text: String, source: String) throws -> SecretEnvFile {
        try parse(Array(text.utf8), source: source)
    }

    /// Parses bytes (UTF-8, optionally with a leading byte-order mark).
    ///
    /// - Throws: ``SecretEnvFileError`` with every problem found.
    public func parse(_ bytes: [UInt8], source: String) throws -> SecretEnvFile {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var problems: [SecretEnvFileError.Problem] = []
        var lines: [String?] = []
        for raw in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = String(validating: raw, as: UTF8.self)
            if line == nil { problems.append(.init(line: lines.count + 1, kind: .invalidUTF8)) }
            lines.append(line)
        }
        var reader = EnvLineReader(lines: lines, nameRule: nameRule)
        reader.readAll()
        problems += reader.problems
        guard problems.isEmpty else {
            throw SecretEnvFileError(source: source, problems: problems.sorted { $0.line < $1.line })
        }
        return SecretEnvFile(source: source, entries: reader.entries)
    }
}
