import SprocketCore

/// The privileges one database's `grants:` ask for, per level and grantee, and the schemas whose privileges the
/// spec manages (declared ones and those grants name, such as `public`).
struct PostgresDesiredPrivileges: Sendable {
    /// grantee -> privileges on the database.
    var database: [String: Set<String>] = [:]
    /// schema -> grantee -> privileges on the schema.
    var schemas: [String: [String: Set<String>]] = [:]
    /// schema -> grantee -> privileges on every table in it (and, as default privileges, on future ones).
    var tables: [String: [String: Set<String>]] = [:]
    var managedSchemas: [String] = []

    init(database declared: PostgresSpec.Database) {
        managedSchemas = declared.schemas.map(\.name)
        for grant in declared.grants {
            let privileges = Set(grant.privileges)
            switch grant.level {
            case .database:
                database[grant.role, default: []].formUnion(privileges)
            case .schema(let schema):
                schemas[schema, default: [:]][grant.role, default: []].formUnion(privileges)
                if !managedSchemas.contains(schema) { managedSchemas.append(schema) }
            case .allTables(let schema):
                tables[schema, default: [:]][grant.role, default: []].formUnion(privileges)
                if !managedSchemas.contains(schema) { managedSchemas.append(schema) }
            }
        }
    }
}
