import SprocketCore

/// Checks a ``PostgresSpec`` before any statement is built: names PostgreSQL accepts, grantees and owners that
/// are declared, and the secrets that must have values. The spec loader reports the same problems at file:line;
/// this guards specs built in code and keeps every statement built from checked names only.
enum PostgresSpecCheck {
    static func validate(_ spec: PostgresSpec) throws {
        var problems: [String] = []
        func check(_ name: String, _ kind: String) {
            if let problem = PostgresNameRules.problem(with: name, kind: kind) { problems.append(problem) }
        }
        check(spec.admin.user, "role")
        check(spec.database, "database")
        spec.roles.forEach { check($0.name, "role") }
        let roles = Set(spec.roles.map(\.name))
        let owners = roles.union([spec.admin.user])
        for database in spec.databases {
            check(database.name, "database")
            database.extensions.forEach { check($0, "extension") }
            for schema in database.schemas {
                check(schema.name, "schema")
                if let owner = schema.owner, !owners.contains(owner) {
                    problems.append("schema `\(database.name).\(schema.name)` is owned by `\(owner)`, which `postgres.roles` does not declare")
                }
            }
            if !owners.contains(database.owner) {
                problems.append("database `\(database.name)` is owned by `\(database.owner)`, which `postgres.roles` does not declare")
            }
            for grant in database.grants {
                if !roles.contains(grant.role) {
                    problems.append("a grant of database `\(database.name)` is to role `\(grant.role)`, which `postgres.roles` does not declare")
                }
                switch grant.level {
                case .database: break
                case .schema(let schema), .allTables(let schema): check(schema, "schema")
                }
            }
        }
        guard problems.isEmpty else {
            throw SprocketError(
                .postgresSpec, "the `postgres:` spec cannot be provisioned: " + problems.joined(separator: "; "),
                subject: "postgres \(spec.host):\(spec.port)",
                hint: "names are 1-63 bytes of letters, digits, `_`, `$` and `-`; declare every owner and grantee under `postgres.roles`")
        }
    }

    /// The value of the secret `name`, or a ``SprocketError`` saying why there is none (`what` names its use).
    static func secret(_ name: String, in secrets: [String: SecretMaterial], for what: String) throws -> SensitiveBytes {
        guard let material = secrets[name] else {
            throw SprocketError(
                .secretUnavailable, "secret `\(name)` (\(what)) was not resolved", subject: "postgres",
                hint: "declare `\(name)` under `secrets:` of a layer (generate, file or env)")
        }
        guard let content = material.content, !content.bytes.isEmpty else {
            throw SprocketError(
                .secretUnavailable, "secret `\(name)` (\(what)) has no value: \(material.unavailableReason ?? "it is empty")",
                subject: "postgres", hint: "give `\(name)` a value, then run again")
        }
        return content
    }
}
