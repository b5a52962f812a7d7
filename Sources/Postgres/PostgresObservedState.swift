/// What the server holds of the objects the spec declares, read by ``PostgresCatalogReader``. Privileges are
/// per grantee role name (PUBLIC left out: the spec does not manage it) as PostgreSQL names them (`CONNECT`, `SELECT`).
struct PostgresObservedState: Sendable, Hashable {
    struct Role: Sendable, Hashable {
        var canLogin: Bool
        /// -1: unlimited.
        var connectionLimit: Int
        /// Whether the role's secret logs it in; nil when not checked (it cannot log in, or no secret value).
        var passwordMatches: Bool?
    }

    struct Table: Sendable, Hashable {
        var name: String
        var owner: String
        var privileges: [String: Set<String>]
    }

    struct Schema: Sendable, Hashable {
        var owner: String
        var privileges: [String: Set<String>]
        var tables: [Table]
        /// `ALTER DEFAULT PRIVILEGES FOR ROLE <key> IN SCHEMA …` on tables: creator role -> grantee -> privileges.
        var defaultTablePrivileges: [String: [String: Set<String>]]
    }

    struct Database: Sendable, Hashable {
        var owner: String
        var privileges: [String: Set<String>]
        var extensions: Set<String>
        /// The declared and referenced schemas that exist.
        var schemas: [String: Schema]
    }

    /// The declared roles that exist.
    var roles: [String: Role] = [:]
    /// Declared roles the admin is a member of (inheriting their privileges, so it can act as their owner).
    var adminMemberships: Set<String> = []
    /// The declared databases that exist.
    var databases: [String: Database] = [:]
}
