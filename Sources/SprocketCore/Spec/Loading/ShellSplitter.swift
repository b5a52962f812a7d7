/// Splits a `command:`/`entrypoint:` string into words the way a POSIX shell would, without any
/// expansion: `sh -c 'echo $HOME'` gives `["sh", "-c", "echo $HOME"]`.
enum ShellSplitter {
    static func split(_ text: String) -> Result<[String], SpecValueProblem> {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "'":
                inWord = true
                guard let quoted = readSingleQuoted(&iterator) else { return .failure(unterminated("'", in: text)) }
                current += quoted
            case "\"":
                inWord = true
                guard let quoted = readDoubleQuoted(&iterator) else { return .failure(unterminated("\"", in: text)) }
                current += quoted
            case "\\":
                inWord = true
                // A trailing backslash escapes nothing; a shell would wait for more input, so keep it.
                current.append(iterator.next() ?? "\\")
            default:
                inWord = true
                current.append(character)
            }
        }
        if inWord { words.append(current) }
        return .success(words)
    }

    /// Inside single quotes everything is literal up to the closing quote.
    private static func readSingleQuoted(_ iterator: inout String.Iterator) -> String? {
        var text = ""
        while let character = iterator.next() {
            if character == "'" { return text }
            text.append(character)
        }
        return nil
    }

    /// Inside double quotes a backslash escapes only `"`, `\`, `$` and a backquote, as in POSIX sh.
    private static func readDoubleQuoted(_ iterator: inout String.Iterator) -> String? {
        var text = ""
        while let character = iterator.next() {
            switch character {
            case "\"":
                return text
            case "\\":
                guard let next = iterator.next() else { return nil }
                if !["\"", "\\", "$", "`"].contains(next) { text.append("\\") }
                text.append(next)
            default:
                text.append(character)
            }
        }
        return nil
    }

    private static func unterminated(_ quote: String, in text: String) -> SpecValueProblem {
        SpecValueProblem(
            message: "unterminated \(quote) quote in `\(text)`",
            hint: "close the quote, or write the command as a YAML list of words")
    }
}
