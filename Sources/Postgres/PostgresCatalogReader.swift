import PostgresNIO
import SprocketCore

/// Reads what the server holds of the declared objects: roles (and whether their secrets log them in), the
/// admin's memberships, databases with their privileges, and inside each database its extensions, schemas,
/// tables and default privileges. Reads only; one catalog query per kind, not per object.
struct PostgresCatalogReader {
    var spec: PostgresSpec
    var connector: PostgresConnector

    /// - Parameter passwords: the declared roles' secret values; a role without one is not checked.
    func read(admin: PostgresSession, passwords: [String: SensitiveBytes]) async throws -> PostgresObservedState {
        var state = PostgresObservedState()
        let roleNames = spec.roles.map(\.name)
        for row in try await admin.rows(
            "SELECT rolname::text, rolcanlogin::text, rolconnlimit::text FROM pg_roles WHERE rolname = ANY(\(roleNames))",
            kind: "reading pg_roles")
        {
            guard let name = row[0] else { continue }
            state.roles[name] = PostgresObservedState.Role(
                canLogin: row[1] == "true", connectionLimit: row[2].flatMap { Int($0) } ?? -1, passwordMatches: nil)
        }
        for role in spec.roles {
            guard let observed = state.roles[role.name], observed.canLogin, let password = passwords[role.name] else { continue }
            state.roles[role.name]?.passwordMatches = try await connector.passwordMatches(role, password: password, database: spec.database)
        }
        for row in try await admin.rows(
            "SELECT rolname::text FROM pg_roles WHERE rolname = ANY(\(roleNames)) AND pg_has_role(current_user, oid, 'USAGE')",
            kind: "reading role memberships")
        {
            if let name = row[0] { state.adminMemberships.insert(name) }
        }
        let databaseNames = spec.databases.map(\.name)
        let privileges = try await admin.rows(
            """
            SELECT d.datname::text, g.rolname::text, a.privilege_type::text FROM pg_database d
            CROSS JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
            JOIN pg_roles g ON g.oid = a.grantee WHERE d.datname = ANY(\(databaseNames))
            """, kind: "reading database privileges")
        for row in try await admin.rows(
            "SELECT datname::text, pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = ANY(\(databaseNames))",
            kind: "reading pg_database")
        {
            guard let name = row[0], let declared = spec.databases.first(where: { $0.name == name }) else { continue }
            var database = try await connector.withAdmin(database: name) { try await contents(of: declared, session: $0) }
            database.owner = row[1] ?? ""
            database.privileges = Self.privilegeMap(privileges.filter { $0[0] == name }.map { ($0[1], $0[2]) })
            state.databases[name] = database
        }
        return state
    }

    /// Extensions, schemas, tables and default privileges inside one existing database.
    private func contents(of declared: PostgresSpec.Database, session: PostgresSession) async throws -> PostgresObservedState.Database {
        var database = PostgresObservedState.Database(owner: "", privileges: [:], extensions: [], schemas: [:])
        for row in try await session.rows("SELECT extname::text FROM pg_extension", kind: "reading pg_extension") {
            if let name = row[0] { database.extensions.insert(name) }
        }
        let schemaNames = PostgresDesiredPrivileges(database: declared).managedSchemas
        let schemaPrivileges = try await session.rows(
            """
            SELECT n.nspname::text, g.rolname::text, a.privilege_type::text FROM pg_namespace n
            CROSS JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
            JOIN pg_roles g ON g.oid = a.grantee WHERE n.nspname = ANY(\(schemaNames))
            """, kind: "reading schema privileges")
        let tables = try await session.rows(
            """
            SELECT n.nspname::text, c.relname::text, pg_get_userbyid(c.relowner)::text FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY(\(schemaNames)) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            """, kind: "reading tables")
        let tablePrivileges = try await session.rows(
            """
            SELECT n.nspname::text, c.relname::text, g.rolname::text, a.privilege_type::text FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
            JOIN pg_roles g ON g.oid = a.grantee
            WHERE n.nspname = ANY(\(schemaNames)) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            """, kind: "reading table privileges")
        let defaults = try await session.rows(
            """
            SELECT n.nspname::text, pg_get_userbyid(d.defaclrole)::text, g.rolname::text, a.privilege_type::text
            FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace
            CROSS JOIN LATERAL aclexplode(d.defaclacl) a JOIN pg_roles g ON g.oid = a.grantee
            WHERE d.defaclobjtype = 'r' AND n.nspname = ANY(\(schemaNames))
            """, kind: "reading default privileges")
        for row in try await session.rows(
            "SELECT nspname::text, pg_get_userbyid(nspowner)::text FROM pg_namespace WHERE nspname = ANY(\(schemaNames))",
            kind: "reading pg_namespace")
        {
            guard let name = row[0] else { continue }
            let schemaTables = tables.filter { $0[0] == name }.compactMap { table -> PostgresObservedState.Table? in
                guard let tableName = table[1] else { return nil }
                let granted = tablePrivileges.filter { $0[0] == name && $0[1] == tableName }.map { ($0[2], $0[3]) }
                return PostgresObservedState.Table(name: tableName, owner: table[2] ?? "", privileges: Self.privilegeMap(granted))
            }
            var defaultPrivileges: [String: [String: Set<String>]] = [:]
            for creator in Set(defaults.filter { $0[0] == name }.compactMap { $0[1] }) {
                defaultPrivileges[creator] = Self.privilegeMap(defaults.filter { $0[0] == name && $0[1] == creator }.map { ($0[2], $0[3]) })
            }
            database.schemas[name] = PostgresObservedState.Schema(
                owner: row[1] ?? "", privileges: Self.privilegeMap(schemaPrivileges.filter { $0[0] == name }.map { ($0[1], $0[2]) }),
                tables: schemaTables, defaultTablePrivileges: defaultPrivileges)
        }
        return database
    }

    /// (grantee, privilege) rows as grantee -> privileges.
    private static func privilegeMap(_ rows: [(String?, String?)]) -> [String: Set<String>] {
        var map: [String: Set<String>] = [:]
        for case let (grantee?, privilege?) in rows {
            map[grantee, default: []].insert(privilege)
        }
        return map
    }
}
