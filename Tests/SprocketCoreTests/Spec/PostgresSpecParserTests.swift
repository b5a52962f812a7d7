import SprocketCore
import SprocketTestSupport
import Testing

@Suite("postgres: in stack.yaml")
struct PostgresSpecParserTests {
    /// A stack with two environments (`subdomain` differs), layers `edge` and `data`; `data` declares the secrets.
    static func load(_ postgres: String, environment: String = "staging") throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "postgres-spec")
        defer { folder.remove() }
        try folder.write("stack.yaml", """
            stack: pg
            settings:
              subdomain: dev
              pg_host: db.example.com
            environments:
              staging: { settings: { subdomain: staging } }
              prod: { settings: { subdomain: www } }
            layers: [edge, data]
            # postgres: starts at line 10

            """ + postgres)
        try folder.write("edge.yaml", "services:\n  web:\n    image: example/web\n")
        try folder.write("data.yaml", """
            secrets:
              pg-admin-password: { generate: true }
              pg-api-password: { generate: true }
              pg-ro-password: { generate: true }
              pg-ca: { generate: true }
            """)
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: environment)
    }

    static let complete = """
        postgres:
          layer: data
          host: ${pg_host}
          port: 25060
          database: defaultdb
          sslmode: require
          ca_certificate: pg-ca
          admin: { user: doadmin, password_secret: pg-admin-password }
          roles:
            sprocket_api: { password_secret: pg-api-password, connection_limit: 20 }
            sprocket_readonly: { password_secret: pg-ro-password }
          databases:
            sprocket_${subdomain}:
              owner: sprocket_api
              extensions: [pgcrypto]
              schemas: { app: { owner: sprocket_api } }
              grants:
                - { role: sprocket_readonly, privileges: [CONNECT, temp] }
                - { role: sprocket_readonly, schema: app, privileges: [USAGE] }
                - { role: sprocket_readonly, schema: app, tables: all, privileges: [SELECT] }
                - { role: sprocket_api, schema: app, tables: all, privileges: [ALL] }

        """

    @Test("every key is read, settings interpolate (database names too) and privileges are normalised")
    func readsEverything() throws {
        let postgres = try #require(try Self.load(Self.complete).postgres)
        #expect(postgres.layer == "data" && postgres.host == "db.example.com" && postgres.port == 25060)
        #expect(postgres.database == "defaultdb" && postgres.sslMode == .require && postgres.caCertificateSecret == "pg-ca")
        #expect(postgres.admin.user == "doadmin" && postgres.admin.passwordSecret == "pg-admin-password")
        #expect(postgres.roles.map(\.name) == ["sprocket_api", "sprocket_readonly"])
        #expect(postgres.roles.map(\.connectionLimit) == [20, nil])
        let database = try #require(postgres.databases.first)
        #expect(database.name == "sprocket_staging" && database.owner == "sprocket_api" && database.extensions == ["pgcrypto"])
        #expect(database.schemas.map(\.name) == ["app"] && database.owner(ofSchema: "app") == "sprocket_api")
        #expect(database.grants.map(\.level) == [.database, .schema("app"), .allTables(inSchema: "app"), .allTables(inSchema: "app")])
        #expect(database.grants[0].privileges == ["CONNECT", "TEMPORARY"])
        #expect(database.grants[3].privileges == PostgresNameRules.tablePrivileges)
        #expect(try Self.load(Self.complete, environment: "prod").postgres?.databases.first?.name == "sprocket_www")
    }

    @Test("defaults: port 5432, database postgres, sslmode prefer; no postgres: is nil")
    func defaults() throws {
        let postgres = try #require(try Self.load("postgres:\n  host: h\n  admin: { user: a, password_secret: pg-admin-password }\n").postgres)
        #expect(postgres.port == 5432 && postgres.database == "postgres" && postgres.sslMode == .prefer && postgres.layer == nil)
        #expect(try Self.load("").postgres == nil)
    }

    static let admin = "  host: h\n  admin: { user: doadmin, password_secret: pg-admin-password }\n"

    @Test("a manifest secret with no consumers may hold a credential postgres uses: it becomes a secret of postgres.layer")
    func manifestCredential() throws {
        let stack = try Self.load("""
            postgres:
              layer: data
              host: h
              admin: { user: doadmin, password_secret: pg-admin-from-doppler }
            secrets:
              pg-admin-from-doppler:
                doppler: {name: POSTGRES_PASSWORD, project: sprocket, config: prd}

            """)
        let placed = stack.layer(named: "data")?.secrets.first { $0.name == "pg-admin-from-doppler" }
        #expect(placed?.source == .manifest(name: "pg-admin-from-doppler"), "\(String(describing: placed))")
        #expect(stack.layers.flatMap(\.secrets).filter { $0.name == "pg-admin-from-doppler" }.count == 1)
    }

    @Test("reach: direct by default; swarm-job as a word or with network, image and timeout")
    func reach() throws {
        #expect(try Self.load("postgres:\n" + Self.admin).postgres?.reach == .direct)
        #expect(try Self.load("postgres:\n" + Self.admin + "  reach: direct\n").postgres?.reach == .direct)
        let word = try #require(try Self.load("postgres:\n" + Self.admin + "  reach: swarm-job\n").postgres?.reach.swarmJob)
        #expect(word.network == nil && word.image == nil && word.timeoutSeconds == 300)
        let full = try #require(try Self.load(
            "postgres:\n" + Self.admin + "  reach: { via: swarm-job, network: data, image: ghcr.io/x/sprocketctl:1, timeout: 2m }\n"
        ).postgres?.reach.swarmJob)
        #expect(full.network == "data" && full.image == "ghcr.io/x/sprocketctl:1" && full.timeoutSeconds == 120)
        #expect(full.location.line == 13)
    }

    @Test("mistakes are errors at their line", arguments: [
        ("postgres:\n  host: h\n  hots: x\n  admin: { user: a, password_secret: pg-admin-password }\n", "stack.yaml:12", "unknown key `hots`"),
        ("postgres:\n  host: h\n", "stack.yaml:11", "needs `host` and `admin`"),
        ("postgres:\n" + admin + "  port: 70000\n", "stack.yaml:13", "out of range"),
        ("postgres:\n" + admin + "  sslmode: required\n", "stack.yaml:13", "invalid value `required`"),
        ("postgres:\n" + admin + "  layer: app\n", "stack.yaml:13", "`app`, which is not a layer"),
        ("postgres:\n  host: h\n  admin: { user: doadmin, password_secret: nope }\n", "stack.yaml:12", "secret `nope` is not declared"),
        ("postgres:\n" + admin + "  roles:\n    api: { password_secret: missing-secret }\n", "stack.yaml:14", "secret `missing-secret`"),
        ("postgres:\n" + admin + "  roles:\n    api: { connection_limit: 3 }\n", "stack.yaml:14", "has no `password_secret`"),
        ("postgres:\n" + admin + "  roles:\n    \"bad name\": { password_secret: pg-api-password }\n", "stack.yaml:14", "contains ` `"),
        ("postgres:\n" + admin + "  roles:\n    pg_mine: { password_secret: pg-api-password }\n", "stack.yaml:14", "reserves"),
        ("postgres:\n" + admin + "  databases:\n    d: { owner: ghost }\n", "stack.yaml:14", "owned by `ghost`"),
        ("postgres:\n" + admin + "  databases:\n    d:\n      owner: doadmin\n      grants: [{ role: ghost, privileges: [CONNECT] }]\n",
         "stack.yaml:16", "is to `ghost`, which `postgres.roles` does not declare"),
        ("postgres:\n" + admin + "  roles: { r: { password_secret: pg-ro-password } }\n  databases:\n    d:\n      owner: doadmin\n      grants: [{ role: r, privileges: [SELECT] }]\n",
         "stack.yaml:17", "unknown privilege `SELECT`"),
        ("postgres:\n" + admin + "  roles: { r: { password_secret: pg-ro-password } }\n  databases:\n    d:\n      owner: doadmin\n      grants: [{ role: r, schema: app, privileges: [USAGE] }]\n",
         "stack.yaml:17", "does not declare"),
        ("postgres:\n" + admin + "  databases:\n    sprocket_${nothing}: { owner: doadmin }\n", "stack.yaml:14", "nothing"),
        ("postgres:\n" + admin + "  reach: tunnel\n", "stack.yaml:13", "expected `direct` or `swarm-job`"),
        ("postgres:\n" + admin + "  reach: { via: ssh }\n", "stack.yaml:13", "`postgres.reach.via` is `ssh`"),
        ("postgres:\n" + admin + "  reach: { via: swarm-job, timeout: 1s }\n", "stack.yaml:13", "under 5 seconds"),
        ("postgres:\n" + admin + "  reach: { via: swarm-job, netwrok: data }\n", "stack.yaml:13", "unknown key `netwrok`"),
    ])
    func errors(postgres: String, position: String, message: String) throws {
        let error = #expect(throws: SpecError.self) { try Self.load(postgres) }
        let text = String(describing: error)
        #expect(text.contains(position) && text.contains(message), "\(text)")
    }

    @Test("name rules: length, first character, characters, reserved prefix", arguments: [
        ("sprocket_api", nil), ("uuid-ossp", nil), ("Mixed$1", nil), ("", "empty"), ("1abc", "must start"),
        ("a\"b", "contains"), (String(repeating: "a", count: 64), "64 bytes"), ("pg_role", "reserves"),
    ] as [(String, String?)])
    func nameRules(name: String, problem: String?) {
        let found = PostgresNameRules.problem(with: name, kind: "role")
        if let problem {
            #expect(found?.contains(problem) == true, "\(found ?? "nil")")
        } else {
            #expect(found == nil)
        }
    }
}
