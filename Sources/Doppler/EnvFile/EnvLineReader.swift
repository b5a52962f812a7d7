/// The line-by-line state machine behind ``SecretEnvFileParser``: one assignment at a time, a quoted value may
/// pull in further lines.
struct EnvLineReader {
    private let lines: [String?]
    private let nameRule: SecretEnvFileParser.NameRule
    private var index = 0
    private var firstLineOfName: [String: Int] = [:]
    /// The previous assignment, when it was unquoted (the next line might be the rest of its value).
    private var previousUnquoted: String?
    private(set) var entries: [SecretEnvFile.Entry] = []
    private(set) var problems: [SecretEnvFileError.Problem] = []

    init(lines: [String?], nameRule: SecretEnvFileParser.NameRule) {
        self.lines = lines
        self.nameRule = nameRule
    }

    mutating func readAll() {
        while index < lines.count {
            let lineNumber = index + 1
            let line = lines[index]
            index += 1
            guard let line else {
                previousUnquoted = nil
                continue
            }
            readLine(line, number: lineNumber)
        }
    }

    /// Reads one physical line (and, for a quoted value left open, the lines that finish it).
    private mutating func readLine(_ raw: String, number: Int) {
        var line = Substring(raw)
        let hasCarriageReturn = line.hasSuffix("\r")
        if hasCarriageReturn { line = line.dropLast() }
        if line.contains("\u{FEFF}") { report(number, .byteOrderMarkInside) }
        let content = line.drop { $0 == " " || $0 == "\t" }
        if content.isEmpty || content.hasPrefix("#") {
            if hasCarriageReturn { report(number, .carriageReturn(name: nil)) }
            return
        }
        let hadIndent = content.count != line.count
        var assignment = content
        if assignment.hasPrefix("export ") { assignment = assignment.dropFirst("export ".count) }
        guard let equals = assignment.firstIndex(of: "=") else {
            report(number, .notAnAssignment(after: previousUnquoted))
            previousUnquoted = nil
            return
        }
        let rawName = assignment[..<equals]
        let name = rawName.trimmingSpaces
        guard nameRule.accepts(name) else {
            report(number, .invalidName(rule: nameRule.pattern, after: previousUnquoted))
            previousUnquoted = nil
            return
        }
        let nameText = String(name)
        if hasCarriageReturn { report(number, .carriageReturn(name: nameText)) }
        if hadIndent || name.count != rawName.count { report(number, .surroundingWhitespace(name: nameText)) }
        let valueText = assignment[assignment.index(after: equals)...]
        let value: String?
        switch valueText.first {
        case "\"", "'":
            value = readQuoted(valueText, name: nameText, startLine: number)
            previousUnquoted = nil
        default:
            value = checkUnquoted(valueText, name: nameText, line: number)
            previousUnquoted = nameText
        }
        if let first = firstLineOfName[nameText] {
            report(number, .duplicate(name: nameText, firstLine: first))
        } else {
            firstLineOfName[nameText] = number
        }
        if let value { entries.append(.init(name: nameText, value: DopplerSecretValue(value), line: number)) }
    }

    private mutating func checkUnquoted(_ text: Substring, name: String, line: Int) -> String? {
        var valid = true
        if text.contains("\"") || text.contains("'") {
            report(line, .strayQuote(name: name))
            valid = false
        }
        if text.contains(" #") || text.contains("\t#") {
            report(line, .ambiguousComment(name: name))
            valid = false
        }
        if text.trimmingSpaces.count != text.count {
            report(line, .surroundingWhitespace(name: name))
            valid = false
        }
        return valid ? String(text) : nil
    }

    /// Reads a `"…"` or `'…'` value that starts at `text`, pulling in further lines until the closing quote.
    private mutating func readQuoted(_ text: Substring, name: String, startLine: Int) -> String? {
        guard let quote = text.first else { return nil }
        var remaining = text.dropFirst()
        var value = ""
        var currentLine = startLine
        var valid = true
        while true {
            var iterator = remaining.makeIterator()
            var consumed = 0
            var closed = false
            while let character = iterator.next() {
                consumed += 1
                if character == quote {
                    closed = true
                    break
                }
                guard quote == "\"", character == "\\" else {
                    value.append(character)
                    continue
                }
                consumed += 1
                switch iterator.next() {
                case "n": value.append("\n")
                case "r": value.append("\r")
                case "t": value.append("\t")
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                default:
                    report(currentLine, .unknownEscape(name: name))
                    valid = false
                }
            }
            if closed {
                let rest = remaining.dropFirst(consumed).trimmingSpaces
                if !rest.isEmpty && !rest.hasPrefix("#") {
                    report(currentLine, .textAfterClosingQuote(name: name))
                    valid = false
                }
                return valid ? value : nil
            }
            // The value continues on the next line.
            guard index < lines.count, let next = lines[index] else {
                report(startLine, .unterminatedQuote(name: name))
                return nil
            }
            index += 1
            currentLine = index
            var nextLine = Substring(next)
            if nextLine.hasSuffix("\r") {
                report(currentLine, .carriageReturn(name: name))
                valid = false
                nextLine = nextLine.dropLast()
            }
            value.append("\n")
            remaining = nextLine
        }
    }

    private mutating func report(_ line: Int, _ kind: SecretEnvFileError.Kind) {
        problems.append(.init(line: line, kind: kind))
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        let isSpace = { (character: Character) in character == " " || character == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[start...end]
    }
}
