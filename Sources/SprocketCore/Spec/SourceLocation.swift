/// A position in a spec file, reported with every diagnostic so users can jump to it (`file:line:column`).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Path of the file as the user named it (relative paths stay relative for readable messages).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A location for values that come from outside any file (built-ins, environment variables).
    public static func synthetic(_ origin: String) -> SourceLocation {
        SourceLocation(file: origin, line: 0, column: 0)
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column)" : file
    }
}
