/// A recursive-descent parser of Traefik's HTTP rule language for one version.
///
/// Grammar (`||` binds looser than `&&`, `!` binds tightest):
/// ```
/// rule    = or END
/// or      = and { "||" and }
/// and     = unary { "&&" unary }
/// unary   = "!" unary | primary
/// primary = "(" or ")" | NAME "(" [ STRING { "," STRING } ] ")"
/// ```
/// Besides syntax it checks what Traefik checks when it builds the router: the matcher exists in the
/// version, its number of values, paths starting with `/`, and ASCII hosts (v3).
public struct TraefikRuleParser: Sendable {
    public var version: TraefikMajorVersion

    public init(version: TraefikMajorVersion) {
        self.version = version
    }

    /// Parses `rule`, or throws the first problem with its 1-based column and what was expected there.
    public func parse(_ rule: String) throws(TraefikRuleError) -> TraefikRule {
        var cursor = Cursor(tokens: try TraefikRuleLexer.tokens(of: rule), version: version)
        if cursor.current.kind == .end {
            throw TraefikRuleError(column: 1, message: "the rule is empty: expected a matcher such as Host",
                                   hint: "write e.g. Host(`example.com`)")
        }
        let parsed = try cursor.or()
        guard cursor.current.kind == .end else {
            throw TraefikRuleError(column: cursor.current.column,
                                   message: "expected `&&`, `||` or the end of the rule, found \(cursor.current.description)",
                                   hint: cursor.current.kind == .closeParenthesis ? "remove the `)` that closes nothing" : nil)
        }
        return parsed
    }

    private struct Cursor {
        let tokens: [TraefikRuleToken]
        let version: TraefikMajorVersion
        var position = 0

        var current: TraefikRuleToken { tokens[min(position, tokens.count - 1)] }

        mutating func advance() { position += 1 }

        mutating func or() throws(TraefikRuleError) -> TraefikRule {
            var left = try and()
            while current.kind == .or {
                advance()
                left = .or(left, try and())
            }
            return left
        }

        mutating func and() throws(TraefikRuleError) -> TraefikRule {
            var left = try unary()
            while current.kind == .and {
                advance()
                left = .and(left, try unary())
            }
            return left
        }

        mutating func unary() throws(TraefikRuleError) -> TraefikRule {
            if current.kind == .not {
                advance()
                return .not(try unary())
            }
            return try primary()
        }

        mutating func primary() throws(TraefikRuleError) -> TraefikRule {
            let token = current
            switch token.kind {
            case .openParenthesis:
                advance()
                let inner = try or()
                guard current.kind == .closeParenthesis else {
                    throw TraefikRuleError(
                        column: current.column,
                        message: "expected `)` to close the `(` at column \(token.column), found \(current.description)",
                        hint: current.kind == .end ? "add the missing `)`" : "join matchers with `&&` or `||`")
                }
                advance()
                return inner
            case .identifier(let name):
                advance()
                return .matcher(try matcher(name, at: token.column))
            default:
                let after = position > 0 ? " after \(tokens[position - 1].description)" : ""
                throw TraefikRuleError(column: token.column,
                                       message: "expected a matcher, `!` or `(`\(after), found \(token.description)",
                                       hint: token.kind == .end ? "remove the trailing operator or add a matcher" : nil)
            }
        }

        private mutating func matcher(_ written: String, at column: Int) throws(TraefikRuleError) -> TraefikMatcher {
            guard let signature = TraefikMatcherCatalog.signature(written, in: version) else {
                let (message, hint) = TraefikMatcherCatalog.unknownHint(written, in: version)
                throw TraefikRuleError(column: column, message: message, hint: hint)
            }
            guard current.kind == .openParenthesis else {
                throw TraefikRuleError(column: current.column, message: "expected `(` after `\(written)`, found \(current.description)",
                                       hint: "write \(signature.name)(`value`)")
            }
            advance()
            var arguments: [(value: String, column: Int)] = []
            repeat {
                if !arguments.isEmpty { advance() }
                guard case .string(let value) = current.kind else {
                    throw TraefikRuleError(
                        column: current.column,
                        message: "expected a value in backticks for `\(signature.name)`, found \(current.description)",
                        hint: "`\(signature.name)` takes \(signature.arityDescription) in Traefik \(version.rawValue), e.g. \(signature.name)(`value`)")
                }
                arguments.append((value, current.column))
                advance()
            } while current.kind == .comma
            guard current.kind == .closeParenthesis else {
                throw TraefikRuleError(column: current.column,
                                       message: "expected `,` or `)` in `\(signature.name)(...)`, found \(current.description)",
                                       hint: current.kind == .end ? "close the matcher with `)`" : nil)
            }
            let closing = current.column
            advance()
            try checkArity(signature, arguments: arguments, closing: closing)
            for argument in arguments { try checkValue(argument.value, of: signature.name, at: argument.column) }
            return TraefikMatcher(name: signature.name, arguments: arguments.map(\.value), column: column)
        }

        private func checkArity(_ signature: TraefikMatcherCatalog.Signature, arguments: [(value: String, column: Int)], closing: Int)
            throws(TraefikRuleError)
        {
            if arguments.count < signature.minimum {
                throw TraefikRuleError(
                    column: closing,
                    message: "`\(signature.name)` takes \(signature.arityDescription) in Traefik \(version.rawValue), found \(arguments.count)",
                    hint: "add the missing value, e.g. \(signature.name)(" + Array(repeating: "`value`", count: signature.minimum).joined(separator: ", ") + ")")
            }
            if let maximum = signature.maximum, arguments.count > maximum {
                let hint = maximum == 1 && version == .v3
                    ? "Traefik v3 matchers take one value: combine them, e.g. \(signature.name)(`a`) || \(signature.name)(`b`)"
                    : "remove the extra value"
                throw TraefikRuleError(
                    column: arguments[maximum].column,
                    message: "`\(signature.name)` takes \(signature.arityDescription) in Traefik \(version.rawValue), found \(arguments.count)",
                    hint: hint)
            }
        }

        private func checkValue(_ value: String, of matcher: String, at column: Int) throws(TraefikRuleError) {
            let required: Set<String> = ["Host", "HostHeader", "Path", "PathPrefix", "Method", "ClientIP", "HostRegexp", "PathRegexp"]
            if required.contains(matcher), value.isEmpty {
                throw TraefikRuleError(column: column, message: "`\(matcher)` has an empty value", hint: "write the value between the backticks")
            }
            if matcher == "Path" || matcher == "PathPrefix", !value.hasPrefix("/") {
                throw TraefikRuleError(column: column, message: "path `\(value)` of `\(matcher)` does not start with `/`",
                                       hint: "write an absolute path, e.g. \(matcher)(`/\(value)`)")
            }
            if version == .v3, matcher == "Host", !value.allSatisfy(\.isASCII) {
                throw TraefikRuleError(column: column, message: "host `\(value)` has non-ASCII characters, which Traefik v3 rejects",
                                       hint: "write the host in its punycode (xn--) form")
            }
            if version == .v3, matcher == "Path" || matcher == "PathPrefix", value.contains("{") {
                throw TraefikRuleError(column: column, message: "`\(matcher)` takes no `{name}` placeholders in Traefik v3",
                                       hint: "use PathRegexp(`^/...$`) for a pattern")
            }
        }
    }
}
