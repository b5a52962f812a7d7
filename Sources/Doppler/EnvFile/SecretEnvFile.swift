/// The secrets of a `.env`-style file, as ``SecretEnvFileParser`` read them: in file order, each with its line.
public struct SecretEnvFile: Sendable, Equatable {
    /// One `NAME=value` assignment.
    public struct Entry: Sendable, Equatable {
        /// The variable name.
        public var name: String
        /// The value, unquoted and unescaped.
        public var value: DopplerSecretValue
        /// The 1-based line the assignment starts on.
        public var line: Int

        /// Creates an entry.
        public init(name: String, value: DopplerSecretValue, line: Int) {
            self.name = name
            self.value = value
            self.line = line
        }
    }

    /// Where the text came from (a path, or a label such as `stdin`).
    public var source: String
    /// The assignments in file order; names are unique.
    public var entries: [Entry]

    /// Creates a parsed file.
    public init(source: String, entries: [Entry]) {
        self.source = source
        self.entries = entries
    }

    /// Name → value.
    public var values: [String: DopplerSecretValue] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.value) })
    }
}
