/// One token of a Traefik rule, with the 1-based column it starts at.
struct TraefikRuleToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case identifier(String)
        /// A backtick or double-quoted string, unquoted (escapes of the double-quoted form applied).
        case string(String)
        case openParenthesis
        case closeParenthesis
        case comma
        case and
        case or
        case not
        case end
    }

    var kind: Kind
    var column: Int

    /// How the token reads in an "expected ..., found ..." message.
    var description: String {
        switch kind {
        case .identifier(let name): "`\(name)`"
        case .string(let value): "the string `\(value)`"
        case .openParenthesis: "`(`"
        case .closeParenthesis: "`)`"
        case .comma: "`,`"
        case .and: "`&&`"
        case .or: "`||`"
        case .not: "`!`"
        case .end: "the end of the rule"
        }
    }
}
