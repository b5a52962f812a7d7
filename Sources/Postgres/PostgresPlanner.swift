import SprocketCore

/// Compares the spec with what the server holds and returns the operations that bring the server to the spec, in
/// the order they must run: roles, the admin's memberships, databases and their privileges, then inside each
/// database its extensions, schemas, schema and table privileges and default privileges.
///
/// Privileges are reconciled as a set for the declared roles on the objects the spec manages: what is missing is
/// granted, what is extra is revoked, the objects' owners and roles the spec does not declare (PUBLIC, the admin)
/// are left alone. Nothing is ever dropped and recreated. Pure: no I/O, so a re-read plans the same operations.
struct PostgresPlanner {
    var spec: PostgresSpec
    var observed: PostgresObservedState
    /// The declared roles' passwords; a role missing here has its reason in `unavailablePasswords`.
    var passwords: [String: SensitiveBytes]
    var unavailablePasswords: [String: String] = [:]

    private var system: String { PostgresProvider.system }
    private var q: (String) -> String { PostgresStatement.quoted }

    func operations() -> [PostgresOperation] {
        var operations = spec.roles.compactMap(roleOperation)
        operations += membershipOperations()
        for database in spec.databases {
            operations += databaseOperations(database)
        }
        return operations
    }

    // MARK: - Roles

    private func roleOperation(_ role: PostgresSpec.Role) -> PostgresOperation? {
        let limit = role.connectionLimit ?? -1
        let password = passwordClause(role)
        guard let existing = observed.roles[role.name] else {
            let change = ExternalChange(
                system: system, kind: "role", name: role.name, action: .create,
                details: ["login", Self.describe(limit: limit), "password from secret \(role.passwordSecret)"])
            let sql = "CREATE ROLE \(q(role.name)) LOGIN CONNECTION LIMIT \(limit)"
            return PostgresOperation(
                change, PostgresStatement(kind: "CREATE ROLE", sql: sql + password.sql, loggable: sql + password.loggable),
                blocked: password.blocked)
        }
        var clauses: [String] = []
        var details: [String] = []
        if !existing.canLogin {
            clauses.append(" LOGIN")
            details.append("login enabled")
        }
        if existing.connectionLimit != limit {
            clauses.append(" CONNECTION LIMIT \(limit)")
            details.append("\(Self.describe(limit: existing.connectionLimit)) -> \(Self.describe(limit: limit))")
        }
        let sql = "ALTER ROLE \(q(role.name))" + clauses.joined()
        guard !existing.canLogin || existing.passwordMatches == false else {
            guard !clauses.isEmpty else { return nil }
            return PostgresOperation(
                ExternalChange(system: system, kind: "role", name: role.name, action: .update, details: details),
                PostgresStatement(kind: "ALTER ROLE", sql: sql))
        }
        details.append(existing.canLogin ? "password changed" : "password set")
        return PostgresOperation(
            ExternalChange(system: system, kind: "role", name: role.name, action: .update, details: details),
            PostgresStatement(kind: "ALTER ROLE", sql: sql + password.sql, loggable: sql + password.loggable),
            blocked: password.blocked)
    }

    /// ` PASSWORD '<SCRAM verifier>'`, its redacted form, or why it cannot be built.
    private func passwordClause(_ role: PostgresSpec.Role) -> (sql: String, loggable: String, blocked: SprocketError?) {
        let loggable = " PASSWORD '<redacted SCRAM-SHA-256 verifier>'"
        let unavailable = SprocketError(
            .secretUnavailable,
            "the password of PostgreSQL role `\(role.name)` is unavailable: secret `\(role.passwordSecret)` has no value "
                + "(\(unavailablePasswords[role.name] ?? "it is empty"))",
            subject: "postgres role \(role.name)", hint: "give the secret `\(role.passwordSecret)` a value (its layer's `secrets:`), then run again")
        guard let password = passwords[role.name], !password.bytes.isEmpty else { return ("", loggable, unavailable) }
        do {
            let verifier = try ScramVerifier.make(password: password)
            return (" PASSWORD " + PostgresStatement.literal(String(decoding: verifier.bytes, as: UTF8.self)), loggable, nil)
        } catch {
            return ("", loggable, SprocketError(.postgresStatement, "cannot compute the SCRAM verifier of role `\(role.name)`: \(error)"))
        }
    }

    static func describe(limit: Int) -> String {
        limit < 0 ? "no connection limit" : "connection limit \(limit)"
    }

    /// The admin must be a member of every role that owns a database or schema: PostgreSQL only lets members
    /// give objects to a role, and act as the owner when granting on its tables.
    private func membershipOperations() -> [PostgresOperation] {
        var owners: [String] = []
        for database in spec.databases {
            for owner in [database.owner] + PostgresDesiredPrivileges(database: database).managedSchemas.map(database.owner(ofSchema:))
            where !owners.contains(owner) {
                owners.append(owner)
            }
        }
        return owners.filter { $0 != spec.admin.user && !observed.adminMemberships.contains($0) }.map { owner in
            PostgresOperation(
                ExternalChange(
                    system: system, kind: "membership", name: "\(spec.admin.user) in \(owner)", action: .create,
                    details: ["lets \(spec.admin.user) create and grant on objects owned by \(owner)"]),
                PostgresStatement(kind: "GRANT (membership)", sql: "GRANT \(q(owner)) TO \(q(spec.admin.user))"))
        }
    }

    // MARK: - Databases

    private func databaseOperations(_ database: PostgresSpec.Database) -> [PostgresOperation] {
        var operations: [PostgresOperation] = []
        let existing = observed.databases[database.name]
        let desired = PostgresDesiredPrivileges(database: database)
        if let existing {
            if existing.owner != database.owner {
                operations.append(PostgresOperation(
                    ExternalChange(system: system, kind: "database", name: database.name, action: .update,
                                   details: ["owner \(existing.owner) -> \(database.owner)"]),
                    PostgresStatement(kind: "ALTER DATABASE", sql: "ALTER DATABASE \(q(database.name)) OWNER TO \(q(database.owner))")))
            }
        } else {
            operations.append(PostgresOperation(
                ExternalChange(system: system, kind: "database", name: database.name, action: .create, details: ["owner \(database.owner)"]),
                PostgresStatement(kind: "CREATE DATABASE", sql: "CREATE DATABASE \(q(database.name)) OWNER \(q(database.owner))")))
        }
        operations += privilegeOperations(
            observed: existing?.privileges ?? [:], desired: desired.database, owner: database.owner, kind: "grant",
            object: (sql: "DATABASE \(q(database.name))", shown: "DATABASE \(database.name)"), in: nil)
        for name in database.extensions where !(existing?.extensions.contains(name) ?? false) {
            operations.append(PostgresOperation(
                ExternalChange(system: system, kind: "extension", name: "\(database.name): \(name)", action: .create),
                in: database.name, PostgresStatement(kind: "CREATE EXTENSION", sql: "CREATE EXTENSION \(q(name))")))
        }
        for schema in desired.managedSchemas {
            operations += schemaOperations(schema, of: database, observed: existing?.schemas[schema], desired: desired)
        }
        return operations
    }

    private func schemaOperations(
        _ schema: String, of database: PostgresSpec.Database, observed: PostgresObservedState.Schema?, desired: PostgresDesiredPrivileges
    ) -> [PostgresOperation] {
        var operations: [PostgresOperation] = []
        let owner = database.owner(ofSchema: schema)
        let shown = "\(database.name).\(schema)"
        if database.schemas.contains(where: { $0.name == schema }) {
            if let observed, observed.owner != owner {
                operations.append(PostgresOperation(
                    ExternalChange(system: system, kind: "schema", name: shown, action: .update, details: ["owner \(observed.owner) -> \(owner)"]),
                    in: database.name, PostgresStatement(kind: "ALTER SCHEMA", sql: "ALTER SCHEMA \(q(schema)) OWNER TO \(q(owner))")))
            } else if observed == nil {
                operations.append(PostgresOperation(
                    ExternalChange(system: system, kind: "schema", name: shown, action: .create, details: ["owner \(owner)"]),
                    in: database.name, PostgresStatement(kind: "CREATE SCHEMA", sql: "CREATE SCHEMA \(q(schema)) AUTHORIZATION \(q(owner))")))
            }
        }
        operations += privilegeOperations(
            observed: observed?.privileges ?? [:], desired: desired.schemas[schema] ?? [:], owner: owner, kind: "grant",
            object: (sql: "SCHEMA \(q(schema))", shown: "SCHEMA \(shown)"), in: database.name)
        // Every table now: a role holds what the spec asks on all of them, the tables it owns aside.
        let wanted = desired.tables[schema] ?? [:]
        var tableHeld: [String: Set<String>] = [:]
        var tableMissing: [String: Set<String>] = [:]
        for role in spec.roles.map(\.name) {
            for table in observed?.tables ?? [] where table.owner != role {
                let have = table.privileges[role] ?? []
                tableMissing[role, default: []].formUnion((wanted[role] ?? []).subtracting(have))
                tableHeld[role, default: []].formUnion(have)
            }
        }
        operations += privilegeOperations(
            observed: tableHeld, desired: wanted, missing: tableMissing, owner: nil, kind: "grant",
            object: (sql: "ALL TABLES IN SCHEMA \(q(schema))", shown: "ALL TABLES IN SCHEMA \(shown)"), in: database.name)
        // Tables created later by the owner get the same privileges.
        operations += privilegeOperations(
            observed: observed?.defaultTablePrivileges[owner] ?? [:], desired: wanted, owner: owner, kind: "default-privileges",
            object: (sql: "TABLES", shown: "TABLES IN SCHEMA \(shown)"), in: database.name,
            statementPrefix: "ALTER DEFAULT PRIVILEGES FOR ROLE \(q(owner)) IN SCHEMA \(q(schema)) ",
            details: ["on tables \(owner) creates from now on"])
        return operations
    }

    // MARK: - Privileges as a set

    /// GRANT what `desired` has and `observed` lacks, REVOKE what `observed` has and `desired` lacks, for each
    /// declared role other than `owner`; one statement per role and direction.
    /// - Parameter missing: per role, what must be granted when that is not simply desired minus observed (tables).
    private func privilegeOperations(
        observed: [String: Set<String>], desired: [String: Set<String>], missing: [String: Set<String>]? = nil, owner: String?,
        kind: String, object: (sql: String, shown: String), in database: String?, statementPrefix: String = "",
        details: [String] = []
    ) -> [PostgresOperation] {
        var operations: [PostgresOperation] = []
        for role in spec.roles.map(\.name) where role != owner {
            let want = desired[role] ?? []
            let have = observed[role] ?? []
            let directions: [(privileges: [String], verb: String, preposition: String, action: ExternalChange.Action)] = [
                (Self.ordered(missing.map { $0[role] ?? [] } ?? want.subtracting(have)), "GRANT", "TO", .create),
                (Self.ordered(have.subtracting(want)), "REVOKE", "FROM", .delete),
            ]
            let statementKind = statementPrefix.isEmpty ? "" : "ALTER DEFAULT PRIVILEGES "
            for direction in directions where !direction.privileges.isEmpty {
                let list = direction.privileges.joined(separator: ", ")
                operations.append(PostgresOperation(
                    ExternalChange(
                        system: system, kind: kind, name: "\(list) ON \(object.shown) \(direction.preposition) \(role)",
                        action: direction.action, details: details),
                    in: database,
                    PostgresStatement(
                        kind: statementKind + direction.verb,
                        sql: "\(statementPrefix)\(direction.verb) \(list) ON \(object.sql) \(direction.preposition) \(q(role))")))
            }
        }
        return operations
    }

    /// Privileges in PostgreSQL's documentation order, unknown ones (a newer server's) last, alphabetically.
    private static func ordered(_ privileges: Set<String>) -> [String] {
        let known = PostgresNameRules.databasePrivileges + PostgresNameRules.schemaPrivileges + PostgresNameRules.tablePrivileges
        var result: [String] = []
        for privilege in known where privileges.contains(privilege) && !result.contains(privilege) {
            result.append(privilege)
        }
        // Unknown names come from the server's catalog; only plain keywords are ever put into a statement.
        let keywords = privileges.subtracting(known).filter { $0.allSatisfy { ("A"..."Z").contains($0) } }
        return result + keywords.sorted()
    }
}
