/// A parsed Traefik rule: matchers combined with `&&`, `||`, `!` and parentheses.
///
/// Produced by ``TraefikRuleParser``; used to check rules and to find the hosts and paths a router
/// claims, so two routers answering the same requests can be reported before Traefik sees them.
public indirect enum TraefikRule: Sendable, Hashable, CustomStringConvertible {
    case matcher(TraefikMatcher)
    case not(TraefikRule)
    case and(TraefikRule, TraefikRule)
    case or(TraefikRule, TraefikRule)

    /// The rule written back in canonical form (canonical matcher names, backticks, minimal parentheses).
    public var description: String {
        switch self {
        case .matcher(let matcher): matcher.description
        case .not(let inner): "!" + inner.parenthesized(unless: { if case .matcher = $0 { true } else { false } })
        case .and(let left, let right):
            left.parenthesized(unless: { !$0.isOr }) + " && " + right.parenthesized(unless: { !$0.isOr })
        case .or(let left, let right): "\(left) || \(right)"
        }
    }

    /// Every matcher of the rule, left to right.
    public var matchers: [TraefikMatcher] {
        switch self {
        case .matcher(let matcher): [matcher]
        case .not(let inner): inner.matchers
        case .and(let left, let right), .or(let left, let right): left.matchers + right.matchers
        }
    }

    private var isOr: Bool {
        if case .or = self { return true }
        return false
    }

    private func parenthesized(unless bare: (TraefikRule) -> Bool) -> String {
        bare(self) ? description : "(\(description))"
    }
}

/// One matcher call, e.g. ``Host(`example.com`)``, with its canonical name and its column in the rule.
public struct TraefikMatcher: Sendable, Hashable, CustomStringConvertible {
    /// The canonical name (`Host`, `PathPrefix`, ...), whatever case the rule used.
    public var name: String
    public var arguments: [String]
    /// 1-based column of the name in the rule.
    public var column: Int

    public init(name: String, arguments: [String], column: Int) {
        self.name = name
        self.arguments = arguments
        self.column = column
    }

    public var description: String {
        "\(name)(" + arguments.map { "`\($0)`" }.joined(separator: ", ") + ")"
    }
}
