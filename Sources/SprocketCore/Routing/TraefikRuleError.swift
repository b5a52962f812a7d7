/// Why a Traefik rule is invalid, and where: `column` is 1-based in the rule text.
public struct TraefikRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based column in the rule where the problem starts.
    public var column: Int
    /// What is wrong, including what was expected there.
    public var message: String
    /// What to write instead.
    public var hint: String?

    public init(column: Int, message: String, hint: String? = nil) {
        self.column = column
        self.message = message
        self.hint = hint
    }

    public var description: String {
        "column \(column): \(message)" + (hint.map { " (\($0))" } ?? "")
    }
}
