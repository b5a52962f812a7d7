/// Reads `postgres:` from stack.yaml into a ``PostgresSpec`` and checks what only the whole stack can tell: the
/// layer exists, every named secret is declared by some layer, every grantee and owner is a declared role.
///
/// Values interpolate settings like the rest of the spec, database names (mapping keys) included, so
/// `sprocket_${subdomain}` becomes one name per environment.
struct PostgresSpecParser {
    let context: SpecParseContext
    private var diagnostics: SpecDiagnosticCollector { context.diagnostics }

    static let keys = ["layer", "host", "port", "database", "sslmode", "ca_certificate", "admin", "roles", "databases", "reach"]

    init(context: SpecParseContext) {
        self.context = context
    }

    /// - Parameter manifestSecrets: the names of the `secrets:` manifest, which may hold the credentials too.
    func parse(_ node: YAMLNode, layers: [LayerSpec], manifestSecrets: Set<String> = []) -> PostgresSpec? {
        guard let fields = context.fields(node, of: "`postgres`", known: Self.keys) else { return nil }
        let host = fields["host"].flatMap { context.string($0, for: "postgres.host") } ?? ""
        if fields["host"] != nil, host.isEmpty || host.contains(where: \.isWhitespace) {
            diagnostics.error(fields["host"]?.location ?? node.location, "`postgres.host` must be a host name or address",
                              hint: "e.g. `host: db-postgresql-fra1-12345.b.db.ondigitalocean.com`")
        }
        let admin = fields["admin"].flatMap(admin)
        guard fields["host"] != nil, let admin else {
            diagnostics.error(node.location, "`postgres` needs `host` and `admin`",
                              hint: "e.g. `postgres: {host: ${pg_host}, admin: {user: doadmin, password_secret: pg-admin-password}}`")
            return nil
        }
        var spec = PostgresSpec(host: host, admin: admin, location: node.location)
        spec.layer = fields["layer"].flatMap { context.string($0, for: "postgres.layer") }
        if let portNode = fields["port"], let port = context.integer(portNode, for: "postgres.port") {
            if (1...65_535).contains(port) {
                spec.port = port
            } else {
                diagnostics.error(portNode.location, "`postgres.port` \(port) is out of range", hint: "use a TCP port from 1 to 65535, e.g. 25060")
            }
        }
        if let database = fields["database"].flatMap({ context.string($0, for: "postgres.database") }) {
            spec.database = database
        }
        if let modeNode = fields["sslmode"],
            let mode = context.choice(modeNode, for: "postgres.sslmode", as: PostgresSpec.SSLMode.self, allowed: PostgresSpec.SSLMode.allCases)
        {
            spec.sslMode = mode
        }
        spec.caCertificateSecret = fields["ca_certificate"].flatMap { context.string($0, for: "postgres.ca_certificate") }
        spec.roles = fields["roles"].map(roles) ?? []
        spec.databases = fields["databases"].map(databases) ?? []
        spec.reach = fields["reach"].map(reach) ?? .direct
        checkReferences(spec, fields: fields, layers: layers, manifestSecrets: manifestSecrets)
        return spec
    }

    // MARK: - Sections

    /// `reach: direct`, or `reach: {via: swarm-job, network: data, image: …, timeout: 5m}`.
    private func reach(_ node: YAMLNode) -> PostgresReach {
        let hint = "e.g. `reach: {via: swarm-job, network: data}` (a one-shot job inside the cluster) or `reach: direct`"
        if let scalar = node.scalar, !scalar.isNull {
            guard let word = context.string(node, for: "postgres.reach") else { return .direct }
            if word == "direct" { return .direct }
            if word == "swarm-job" { return .swarmJob(PostgresReach.SwarmJob(location: node.location)) }
            diagnostics.error(node.location, "`postgres.reach` is `\(word)`: expected `direct` or `swarm-job`", hint: hint)
            return .direct
        }
        guard let fields = context.fields(node, of: "`postgres.reach`", known: ["via", "network", "image", "timeout"]) else { return .direct }
        let via = fields["via"].flatMap { context.string($0, for: "postgres.reach.via") } ?? "swarm-job"
        guard via == "swarm-job" else {
            if via != "direct" {
                diagnostics.error(fields["via"]?.location ?? node.location, "`postgres.reach.via` is `\(via)`: expected `direct` or `swarm-job`", hint: hint)
            }
            return .direct
        }
        var job = PostgresReach.SwarmJob(location: node.location)
        job.network = fields["network"].flatMap { context.string($0, for: "postgres.reach.network") }
        job.image = fields["image"].flatMap { context.string($0, for: "postgres.reach.image") }
        if let timeoutNode = fields["timeout"], let timeout = context.duration(timeoutNode, for: "postgres.reach.timeout") {
            let seconds = Int(timeout.components.seconds)
            if seconds < 5 {
                diagnostics.error(timeoutNode.location, "`postgres.reach.timeout` is under 5 seconds",
                                  hint: "a job needs time to be scheduled and to start its container; e.g. `timeout: 2m`")
            } else {
                job.timeoutSeconds = seconds
            }
        }
        return .swarmJob(job)
    }

    private func admin(_ node: YAMLNode) -> PostgresSpec.Admin? {
        guard let fields = context.fields(node, of: "`postgres.admin`", known: ["user", "password_secret"]),
            let user = fields["user"].flatMap({ context.string($0, for: "postgres.admin.user") }),
            let secret = fields["password_secret"].flatMap({ context.string($0, for: "postgres.admin.password_secret") })
        else {
            diagnostics.error(node.location, "`postgres.admin` needs `user` and `password_secret`",
                              hint: "e.g. `admin: {user: doadmin, password_secret: pg-admin-password}`")
            return nil
        }
        checkName(user, kind: "role", at: fields["user"]?.location ?? node.location)
        return PostgresSpec.Admin(user: user, passwordSecret: secret, location: node.location)
    }

    private func roles(_ node: YAMLNode) -> [PostgresSpec.Role] {
        guard let entries = context.mapping(node, for: "postgres.roles") else { return [] }
        return entries.compactMap { entry in
            checkName(entry.key, kind: "role", at: entry.keyLocation)
            guard let fields = context.fields(entry.value, of: "role `\(entry.key)`", known: ["password_secret", "connection_limit"]) else {
                return nil
            }
            guard let secret = fields["password_secret"].flatMap({ context.string($0, for: "password_secret") }) else {
                diagnostics.error(entry.keyLocation, "role `\(entry.key)` has no `password_secret`",
                                  hint: "name the stack secret holding its password, e.g. `password_secret: pg-api-password`")
                return nil
            }
            var role = PostgresSpec.Role(name: entry.key, passwordSecret: secret, location: entry.keyLocation)
            if let limitNode = fields["connection_limit"], let limit = context.integer(limitNode, for: "connection_limit") {
                if limit < -1 {
                    diagnostics.error(limitNode.location, "`connection_limit` of role `\(entry.key)` is \(limit)",
                                      hint: "use a number of connections, or -1 (or no key) for no limit")
                }
                role.connectionLimit = limit < 0 ? nil : limit
            }
            return role
        }
    }

    private func databases(_ node: YAMLNode) -> [PostgresSpec.Database] {
        guard let entries = context.mapping(node, for: "postgres.databases") else { return [] }
        return entries.compactMap { entry in
            let name = context.interpolator.interpolate(
                YAMLScalar(text: entry.key, style: .plain), at: entry.keyLocation, diagnostics: diagnostics)
            checkName(name, kind: "database", at: entry.keyLocation)
            let known = ["owner", "extensions", "schemas", "grants"]
            guard let fields = context.fields(entry.value, of: "database `\(entry.key)`", known: known) else { return nil }
            guard let owner = fields["owner"].flatMap({ context.string($0, for: "owner") }) else {
                diagnostics.error(entry.keyLocation, "database `\(name)` has no `owner`",
                                  hint: "name the role that owns it, e.g. `owner: sprocket_api`")
                return nil
            }
            var database = PostgresSpec.Database(name: name, owner: owner, location: entry.keyLocation)
            database.extensions = fields["extensions"].map { node in
                (context.list(node, for: "extensions") ?? []).compactMap { item in
                    let name = context.string(item, for: "extensions")
                    if let name { checkName(name, kind: "extension", at: item.location) }
                    return name
                }
            } ?? []
            database.schemas = fields["schemas"].map(schemas) ?? []
            database.grants = fields["grants"].map { grants($0, database: database) } ?? []
            return database
        }
    }

    private func schemas(_ node: YAMLNode) -> [PostgresSpec.Schema] {
        guard let entries = context.mapping(node, for: "schemas") else { return [] }
        return entries.compactMap { entry in
            checkName(entry.key, kind: "schema", at: entry.keyLocation)
            guard let fields = context.fields(entry.value, of: "schema `\(entry.key)`", known: ["owner"]) else { return nil }
            return PostgresSpec.Schema(
                name: entry.key, owner: fields["owner"].flatMap { context.string($0, for: "owner") }, location: entry.keyLocation)
        }
    }

    private func grants(_ node: YAMLNode, database: PostgresSpec.Database) -> [PostgresSpec.Grant] {
        guard let items = context.list(node, for: "grants") else { return [] }
        return items.compactMap { item in
            guard let fields = context.fields(item, of: "a grant of database `\(database.name)`", known: ["role", "schema", "tables", "privileges"]),
                let role = fields["role"].flatMap({ context.string($0, for: "role") })
            else {
                if item.mapping != nil {
                    diagnostics.error(item.location, "a grant of database `\(database.name)` has no `role`",
                                      hint: "e.g. `{role: sprocket_readonly, privileges: [CONNECT]}`")
                }
                return nil
            }
            let schema = fields["schema"].flatMap { context.string($0, for: "schema") }
            var level = PostgresSpec.Grant.Level.database
            var allowed = PostgresNameRules.databasePrivileges
            if let schema {
                if schema != "public", !database.schemas.contains(where: { $0.name == schema }) {
                    diagnostics.error(fields["schema"]?.location ?? item.location,
                                      "a grant names schema `\(schema)`, which database `\(database.name)` does not declare",
                                      hint: "declare it under `schemas:` of the database (only `public` exists without it)")
                }
                level = .schema(schema)
                allowed = PostgresNameRules.schemaPrivileges
            }
            if let tablesNode = fields["tables"] {
                let tables = context.string(tablesNode, for: "tables")
                if tables != "all" {
                    diagnostics.error(tablesNode.location, "`tables` must be `all`", hint: "table grants cover every table in the schema: `tables: all`")
                }
                if let schema {
                    level = .allTables(inSchema: schema)
                    allowed = PostgresNameRules.tablePrivileges
                } else {
                    diagnostics.error(tablesNode.location, "`tables: all` needs a `schema`", hint: "add e.g. `schema: app`")
                }
            }
            let words = fields["privileges"].map { context.strings($0, for: "privileges", acceptsSingle: true) } ?? []
            let (privileges, unknown) = PostgresNameRules.normalize(words, allowed: allowed)
            if !unknown.isEmpty || privileges.isEmpty {
                diagnostics.error(fields["privileges"]?.location ?? item.location,
                                  unknown.isEmpty ? "a grant to `\(role)` names no privilege"
                                      : "unknown privilege \(unknown.map { "`\($0)`" }.joined(separator: ", ")) for this grant",
                                  hint: "at this level: \((allowed + ["ALL"]).joined(separator: ", "))")
            }
            return PostgresSpec.Grant(role: role, level: level, privileges: privileges, location: item.location)
        }
    }

    // MARK: - Whole-stack checks

    private func checkReferences(_ spec: PostgresSpec, fields: SpecFields, layers: [LayerSpec], manifestSecrets: Set<String>) {
        if let layer = spec.layer, !layers.contains(where: { $0.name == layer }) {
            diagnostics.error(fields["layer"]?.location ?? spec.location, "`postgres.layer` names `\(layer)`, which is not a layer of this stack",
                              hint: "one of: \(layers.map(\.name).joined(separator: ", "))")
        }
        let declaredSecrets = Set(layers.flatMap(\.secrets).map(\.name)).union(manifestSecrets)
        var secretUses = [(spec.admin.passwordSecret, spec.admin.location)] + spec.roles.map { ($0.passwordSecret, $0.location) }
        if let ca = spec.caCertificateSecret { secretUses.append((ca, fields["ca_certificate"]?.location ?? spec.location)) }
        for (secret, location) in secretUses where !declaredSecrets.contains(secret) {
            diagnostics.error(location, "secret `\(secret)` is not declared by any layer",
                              hint: "declare it under `secrets:` of a layer (generate, file or env), e.g. `\(secret): {generate: {length: 32}}`")
        }
        let roles = Set(spec.roles.map(\.name))
        let owners = roles.union([spec.admin.user])
        if roles.contains(spec.admin.user) {
            diagnostics.error(spec.admin.location, "the admin `\(spec.admin.user)` is also declared under `postgres.roles`",
                              hint: "the admin is managed by the provider of the database; remove it from `roles`")
        }
        for database in spec.databases {
            if !owners.contains(database.owner) {
                diagnostics.error(database.location, "database `\(database.name)` is owned by `\(database.owner)`, which `postgres.roles` does not declare",
                                  hint: "declare the role under `postgres.roles`, or use one of: \(owners.sorted().joined(separator: ", "))")
            }
            for schema in database.schemas {
                if let owner = schema.owner, !owners.contains(owner) {
                    diagnostics.error(schema.location, "schema `\(schema.name)` is owned by `\(owner)`, which `postgres.roles` does not declare",
                                      hint: "declare the role under `postgres.roles`")
                }
            }
            for grant in database.grants where !roles.contains(grant.role) {
                diagnostics.error(grant.location, "a grant of database `\(database.name)` is to `\(grant.role)`, which `postgres.roles` does not declare",
                                  hint: "declare the role under `postgres.roles` (with its `password_secret`), or fix the name")
            }
        }
    }

    private func checkName(_ name: String, kind: String, at location: SourceLocation) {
        if let problem = PostgresNameRules.problem(with: name, kind: kind) {
            diagnostics.error(location, problem, hint: "PostgreSQL names here are 1-63 bytes: letters, digits, `_`, `$` and `-`")
        }
    }
}
