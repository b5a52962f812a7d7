/// One SQL statement that changes something, with the text that may be logged.
///
/// Statements are built only from quoted identifiers (``quoted(_:)``) and quoted literals (``literal(_:)``), never
/// from raw input; one that carries a password verifier is logged with the verifier replaced.
struct PostgresStatement: Sendable, Hashable {
    /// What it does, for errors: `CREATE ROLE`, `GRANT`, `ALTER DEFAULT PRIVILEGES`.
    var kind: String
    var sql: String
    /// `sql`, or a redacted copy when `sql` carries something secret.
    var loggable: String

    init(kind: String, sql: String, loggable: String? = nil) {
        self.kind = kind
        self.sql = sql
        self.loggable = loggable ?? sql
    }

    /// `name` as a quoted identifier: `"name"`, inner quotes doubled, so it can never end the identifier early.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` as a standard string literal: `'text'`, inner quotes doubled. Backslashes are literal under
    /// `standard_conforming_strings`, which is on since PostgreSQL 9.1 and what the E'' form would change.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
