/// Splits a Traefik rule into tokens: matcher names, backtick or double-quoted strings, `(`, `)`,
/// `,`, `&&`, `||` and `!`. Columns count characters from 1, the way an editor shows them.
struct TraefikRuleLexer {
    private let characters: [Character]
    private var index = 0
    /// The columns of the last string read, to point at a backtick that closed too early.
    private var lastString: (start: Int, end: Int)?

    init(_ rule: String) {
        characters = Array(rule)
    }

    /// All tokens, ending with `.end`; the first lexical problem is thrown with its column.
    static func tokens(of rule: String) throws(TraefikRuleError) -> [TraefikRuleToken] {
        var lexer = TraefikRuleLexer(rule)
        var tokens: [TraefikRuleToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var column: Int { index + 1 }

    private mutating func next() throws(TraefikRuleError) -> TraefikRuleToken {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        let start = column
        guard index < characters.count else { return TraefikRuleToken(kind: .end, column: start) }
        let character = characters[index]
        switch character {
        case "(": index += 1; return TraefikRuleToken(kind: .openParenthesis, column: start)
        case ")": index += 1; return TraefikRuleToken(kind: .closeParenthesis, column: start)
        case ",": index += 1; return TraefikRuleToken(kind: .comma, column: start)
        case "!": index += 1; return TraefikRuleToken(kind: .not, column: start)
        case "&", "|":
            guard index + 1 < characters.count, characters[index + 1] == character else {
                throw TraefikRuleError(column: start, message: "expected `\(character)\(character)`, found a single `\(character)`",
                                       hint: "combine matchers with `&&` (and) or `||` (or)")
            }
            index += 2
            return TraefikRuleToken(kind: character == "&" ? .and : .or, column: start)
        case "`":
            let value = try backtickString()
            lastString = (start, column - 1)
            return TraefikRuleToken(kind: .string(value), column: start)
        case "\"":
            return TraefikRuleToken(kind: .string(try quotedString()), column: start)
        case "'":
            throw TraefikRuleError(column: start, message: "single quotes are not accepted",
                                   hint: "write the value in backticks, e.g. Host(`example.com`)")
        default:
            guard character.isASCII, character.isLetter else {
                let hint = lastString.map { "the backtick string from column \($0.start) to \($0.end) may be missing a backtick" }
                throw TraefikRuleError(column: start, message: "unexpected character `\(character)`, expected a matcher such as Host",
                                       hint: hint ?? "a rule is matchers like Host(`example.com`) joined by `&&`, `||`, `!` and parentheses")
            }
            var name = ""
            while index < characters.count, characters[index].isASCII, characters[index].isLetter || characters[index].isNumber {
                name.append(characters[index])
                index += 1
            }
            return TraefikRuleToken(kind: .identifier(name), column: start)
        }
    }

    /// A backtick string: no escapes, ends at the next backtick.
    private mutating func backtickString() throws(TraefikRuleError) -> String {
        let start = column
        index += 1
        var value = ""
        while index < characters.count {
            if characters[index] == "`" {
                index += 1
                return value
            }
            value.append(characters[index])
            index += 1
        }
        throw TraefikRuleError(column: start, message: "unterminated backtick string: expected a closing backtick",
                               hint: "close the value with a backtick, e.g. Host(`example.com`)")
    }

    /// A double-quoted string with Go's escapes (`\"`, `\\`, `\n`, `\t`, `\r`).
    private mutating func quotedString() throws(TraefikRuleError) -> String {
        let start = column
        index += 1
        var value = ""
        while index < characters.count {
            let character = characters[index]
            if character == "\"" {
                index += 1
                return value
            }
            if character == "\\" {
                guard index + 1 < characters.count else { break }
                let escaped = characters[index + 1]
                switch escaped {
                case "\"", "\\": value.append(escaped)
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                default:
                    throw TraefikRuleError(column: column, message: "invalid escape `\\\(escaped)` in a double-quoted string",
                                           hint: "write regular expressions in backticks, where `\\` needs no escaping")
                }
                index += 2
                continue
            }
            value.append(character)
            index += 1
        }
        throw TraefikRuleError(column: start, message: "unterminated double-quoted string: expected a closing `\"`",
                               hint: "close the value with `\"`, or use backticks")
    }
}
