/// Why a `.env`-style secrets file was refused: every problem found, each with its line. Messages name variables
/// and lines, never a value or any part of one (a line that is not a valid assignment may be a fragment of a
/// secret broken over two lines, so its text is not repeated either).
public struct SecretEnvFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One problem.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The 1-based line.
        public var line: Int
        /// What is wrong.
        public var kind: Kind

        /// Creates a problem.
        public init(line: Int, kind: Kind) {
            self.line = line
            self.kind = kind
        }

        /// The message for this line, with what to do.
        public var description: String { kind.message }
    }

    /// The kinds of problem.
    public enum Kind: Sendable, Equatable {
        /// The line is not valid UTF-8.
        case invalidUTF8
        /// A byte-order mark anywhere but at the very start of the file.
        case byteOrderMarkInside
        /// The line ends with `\r` (CRLF line endings), which would end up inside the value.
        case carriageReturn(name: String?)
        /// No `=` on a line that is neither blank nor a comment. `after` names the previous variable when this line
        /// may be the rest of its value, broken over lines.
        case notAnAssignment(after: String?)
        /// The name does not match the rule (the name itself is not repeated; see ``SecretEnvFileError``).
        case invalidName(rule: String, after: String?)
        /// Whitespace before the name, around `=`, or before/after an unquoted value.
        case surroundingWhitespace(name: String)
        /// The same name assigned twice.
        case duplicate(name: String, firstLine: Int)
        /// A quote inside an unquoted value.
        case strayQuote(name: String)
        /// A quoted value is never closed.
        case unterminatedQuote(name: String)
        /// Text after a closing quote (other than whitespace and a `#` comment).
        case textAfterClosingQuote(name: String)
        /// A backslash escape other than `\n`, `\r`, `\t`, `\"`, `\\` in a double-quoted value.
        case unknownEscape(name: String)
        /// ` #` inside an unquoted value: a comment to some tools, part of the value to others.
        case ambiguousComment(name: String)

        var message: String {
            switch self {
            case .invalidUTF8:
                return "the line is not valid UTF-8"
            case .byteOrderMarkInside:
                return "a byte-order mark (U+FEFF) inside the file; only the very start may have one"
            case .carriageReturn(let name):
                return "the line ends with a carriage return (\\r)\(name.map { " in the value of \($0)" } ?? "");"
                    + " convert the file to LF line endings (e.g. `dos2unix`)"
            case .notAnAssignment(let after):
                return "not a NAME=value line" + Self.continuation(after)
            case .invalidName(let rule, let after):
                return "the name is not valid: names must match \(rule)" + Self.continuation(after)
            case .surroundingWhitespace(let name):
                return "\(name): whitespace around the name, the `=` or an unquoted value; remove it, or quote the "
                    + "value if the spaces belong to it"
            case .duplicate(let name, let firstLine):
                return "\(name) is assigned again (first on line \(firstLine)); keep one"
            case .strayQuote(let name):
                return "\(name): a quote inside an unquoted value; quote the whole value ('…' keeps it literal)"
            case .unterminatedQuote(let name):
                return "\(name): the quoted value is never closed"
            case .textAfterClosingQuote(let name):
                return "\(name): text after the closing quote; quote the whole value"
            case .unknownEscape(let name):
                return "\(name): an unknown backslash escape in a double-quoted value (known: \\n \\r \\t \\\" \\\\);"
                    + " use single quotes for a literal backslash"
            case .ambiguousComment(let name):
                return "\(name): ` #` in an unquoted value is a comment to some tools and part of the value to "
                    + "others; quote the value"
            }
        }

        private static func continuation(_ previous: String?) -> String {
            previous.map {
                "; if it continues the value of \($0) on the line above, write that value in double quotes "
                    + "with \\n for the line break"
            } ?? ""
        }
    }

    /// The file (path or label).
    public var source: String
    /// Every problem, in line order.
    public var problems: [Problem]

    /// Creates an error.
    public init(source: String, problems: [Problem]) {
        self.source = source
        self.problems = problems
    }

    /// One `source:line: message` per problem.
    public var description: String {
        problems.map { "\(source):\($0.line): \($0)" }.joined(separator: "\n")
    }
}
