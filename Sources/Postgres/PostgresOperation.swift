import SprocketCore

/// One planned change and the single statement that makes it, with where it runs.
struct PostgresOperation: Sendable {
    var change: ExternalChange
    /// The database whose connection runs it; nil: the admin database (roles, databases, database privileges).
    var database: String?
    var statement: PostgresStatement
    /// Set when the statement cannot be built (a password secret without a value): applying it throws this.
    var blocked: SprocketError?

    init(_ change: ExternalChange, in database: String? = nil, _ statement: PostgresStatement, blocked: SprocketError? = nil) {
        self.change = change
        self.database = database
        self.statement = statement
        self.blocked = blocked
    }
}
