import Logging
import SprocketCore

/// The PostgreSQL provider: provisions the roles, databases, schemas, extensions and grants of a ``PostgresSpec``
/// through an admin role that needs only CREATEROLE and CREATEDB (DigitalOcean's `doadmin`).
///
/// Every call reads the server afresh; ``apply(_:)`` re-plans and runs only the operations whose change it was
/// given, so a second run on an unchanged server runs no statement at all. Passwords travel as SCRAM verifiers;
/// logs, plan changes and errors never carry a password or a verifier.
public struct PostgresProvisioner: ExternalResourceProvider {
    public let spec: PostgresSpec
    private let secrets: [String: SecretMaterial]
    private let logger: Logger
    private let endpoint: PostgresEndpoint

    /// - Parameters:
    ///   - secrets: the stack's resolved secrets (``SecretResolver``); those `spec` names are read from it.
    ///   - connectTimeout: how long to wait for the server to accept a connection.
    public init(spec: PostgresSpec, secrets: [String: SecretMaterial], logger: Logger, connectTimeout: Duration = .seconds(10)) {
        self.spec = spec
        self.secrets = secrets
        self.logger = logger
        endpoint = PostgresEndpoint(
            host: spec.host, port: spec.port, sslMode: spec.sslMode,
            caCertificatePEM: spec.caCertificateSecret.flatMap { secrets[$0]?.content }, connectTimeout: connectTimeout)
    }

    public var system: String { PostgresProvider.system }
    public var endpointDescription: String { endpoint.description }
    public var layer: String? { spec.layer }

    public func plan() async throws -> [ExternalChange] {
        try await withAdmin { admin, connector in
            try await planner(admin: admin, connector: connector, checkingPasswords: true).operations().map(\.change)
        }
    }

    public func apply(_ changes: [ExternalChange], fence: LeaseFence) async throws -> ExternalApplyReport {
        let wanted = Set(changes)
        return try await withAdmin { admin, connector in
            let operations = try await planner(admin: admin, connector: connector, checkingPasswords: true).operations()
                .filter { wanted.contains($0.change) }
            var sessions: [String: PostgresSession] = [:]
            var applied: [ExternalChange] = []
            do {
                for operation in operations {
                    if let blocked = operation.blocked { throw blocked }
                    try await fence(operation.change.operation)
                    if let database = operation.database {
                        if sessions[database] == nil { sessions[database] = try await connector.admin(database: database) }
                        try await sessions[database]?.execute(operation.statement)
                    } else {
                        try await admin.execute(operation.statement)
                    }
                    applied.append(operation.change)
                }
            } catch {
                for session in sessions.values { await session.close() }
                // A lost lease is not this server's failure: its message says who holds the lock now, and what to do.
                guard var failure = error as? SprocketError, failure.code != .leaseLost else { throw error }
                failure.message += " (\(applied.count) of \(operations.count) changes were applied before it; run again to continue)"
                throw failure
            }
            for session in sessions.values { await session.close() }
            logger.info("postgres: \(applied.count) change(s) applied on \(endpoint.description)")
            return ExternalApplyReport(applied: applied, mutatingOperations: applied.count)
        }
    }

    public func status() async throws -> [ExternalResourceStatus] {
        try await withAdmin { admin, connector in
            let observed = try await PostgresCatalogReader(spec: spec, connector: connector).read(admin: admin, passwords: [:])
            var statuses = spec.roles.map { role in
                let found = observed.roles[role.name]
                return ExternalResourceStatus(
                    system: system, kind: "role", name: role.name, exists: found != nil,
                    details: found.map { [$0.canLogin ? "login" : "no login", PostgresPlanner.describe(limit: $0.connectionLimit)] } ?? [])
            }
            for database in spec.databases {
                let found = observed.databases[database.name]
                statuses.append(ExternalResourceStatus(
                    system: system, kind: "database", name: database.name, exists: found != nil,
                    details: found.map { ["owner \($0.owner)"] } ?? []))
                for schema in database.schemas {
                    let owner = found?.schemas[schema.name]?.owner
                    statuses.append(ExternalResourceStatus(
                        system: system, kind: "schema", name: "\(database.name).\(schema.name)", exists: owner != nil,
                        details: owner.map { ["owner \($0)"] } ?? []))
                }
                for name in database.extensions {
                    statuses.append(ExternalResourceStatus(
                        system: system, kind: "extension", name: "\(database.name): \(name)",
                        exists: found?.extensions.contains(name) ?? false))
                }
            }
            return statuses
        }
    }

    /// Logs in as each declared role with its secret, to a database it may connect to (one it owns or was granted
    /// CONNECT on, else the admin database).
    public func check() async -> [GateCheckResult] {
        var results: [GateCheckResult] = []
        for role in spec.roles {
            let database = spec.databases.first { database in
                database.owner == role.name || database.grants.contains { $0.role == role.name && $0.privileges.contains("CONNECT") }
            }?.name ?? spec.database
            let expected = "`\(role.name)` logs in to \(database) at \(endpoint.address)"
            let seen: String
            do {
                let password = try PostgresSpecCheck.secret(role.passwordSecret, in: secrets, for: "password of role \(role.name)")
                let session = try await PostgresSession.open(
                    endpoint, user: role.name, password: password, passwordSecret: role.passwordSecret, database: database, logger: logger)
                await session.close()
                seen = "logged in"
            } catch let error as SprocketError {
                seen = error.message
            } catch {
                seen = "\(type(of: error))"
            }
            results.append(GateCheckResult(
                layer: spec.layer ?? PostgresProvider.system, check: "postgres login \(role.name)", passed: seen == "logged in",
                expected: expected, seen: seen))
        }
        return results
    }

    /// Without `destroyData` nothing is dropped: the databases hold data, and the roles own them. With it, the
    /// databases are dropped, then the roles.
    public func teardown(destroyData: Bool, dryRun: Bool, fence: LeaseFence) async throws -> ExternalTeardownReport {
        try await withAdmin { admin, connector in
            let observed = try await PostgresCatalogReader(spec: spec, connector: connector).read(admin: admin, passwords: [:])
            let databases = spec.databases.map(\.name).filter { observed.databases[$0] != nil }
            let roles = spec.roles.map(\.name).filter { observed.roles[$0] != nil }
            guard destroyData else {
                return ExternalTeardownReport(
                    removed: [],
                    kept: databases.map { "database \($0) kept: it holds data; --destroy-data drops it" }
                        + roles.map { "role \($0) kept: services and the kept databases use it; --destroy-data drops it" })
            }
            let operations = databases.map { name in
                PostgresOperation(
                    ExternalChange(system: system, kind: "database", name: name, action: .delete, details: ["drops all its data"], destroysData: true),
                    PostgresStatement(kind: "DROP DATABASE", sql: "DROP DATABASE \(PostgresStatement.quoted(name))"))
            } + roles.map { name in
                PostgresOperation(
                    ExternalChange(system: system, kind: "role", name: name, action: .delete),
                    PostgresStatement(kind: "DROP ROLE", sql: "DROP ROLE \(PostgresStatement.quoted(name))"))
            }
            if !dryRun {
                for operation in operations {
                    try await fence(operation.change.operation)
                    try await admin.execute(operation.statement)
                }
            }
            return ExternalTeardownReport(removed: operations.map(\.change), kept: [])
        }
    }

    // MARK: - Steps shared by every call

    /// Validates the spec, connects as the admin to the admin database, checks the admin's attributes, runs `body`
    /// and closes the connection.
    private func withAdmin<T: Sendable>(_ body: (PostgresSession, PostgresConnector) async throws -> T) async throws -> T {
        try PostgresSpecCheck.validate(spec)
        if spec.sslMode == .verifyCA || spec.sslMode == .verifyFull, let ca = spec.caCertificateSecret {
            _ = try PostgresSpecCheck.secret(ca, in: secrets, for: "CA certificate of \(endpoint.address)")
        }
        let password = try PostgresSpecCheck.secret(spec.admin.passwordSecret, in: secrets, for: "password of admin \(spec.admin.user)")
        let connector = PostgresConnector(endpoint: endpoint, admin: spec.admin, adminPassword: password, logger: logger)
        return try await connector.withAdmin(database: spec.database) { admin in
            try await checkAdmin(admin)
            return try await body(admin, connector)
        }
    }

    /// Fails up front, naming the attribute, when the admin could not create roles or databases.
    private func checkAdmin(_ admin: PostgresSession) async throws {
        let rows = try await admin.rows(
            "SELECT rolsuper::text, rolcreaterole::text, rolcreatedb::text FROM pg_roles WHERE rolname = current_user",
            kind: "reading the admin's attributes")
        guard let row = rows.first, row.count == 3 else { return }
        if row[0] == "true" { return }
        var missing: [String] = []
        if row[1] != "true", !spec.roles.isEmpty { missing.append("CREATEROLE") }
        if row[2] != "true", !spec.databases.isEmpty { missing.append("CREATEDB") }
        guard missing.isEmpty else {
            throw SprocketError(
                .postgresPermission,
                "the admin role `\(spec.admin.user)` at \(endpoint.address) lacks \(missing.joined(separator: " and ")): it cannot "
                    + "create the declared \(missing.contains("CREATEROLE") ? "roles" : "databases")",
                subject: "postgres \(endpoint.address)",
                hint: "use the provider's admin user (DigitalOcean: doadmin), or have a superuser run "
                    + "`ALTER ROLE \(PostgresStatement.quoted(spec.admin.user)) \(missing.joined(separator: " "))`")
        }
    }

    private func planner(admin: PostgresSession, connector: PostgresConnector, checkingPasswords: Bool) async throws -> PostgresPlanner {
        var passwords: [String: SensitiveBytes] = [:]
        var unavailable: [String: String] = [:]
        for role in spec.roles {
            if let content = secrets[role.passwordSecret]?.content, !content.bytes.isEmpty {
                passwords[role.name] = content
            } else {
                unavailable[role.name] = secrets[role.passwordSecret]?.unavailableReason ?? "was not resolved"
            }
        }
        let observed = try await PostgresCatalogReader(spec: spec, connector: connector)
            .read(admin: admin, passwords: checkingPasswords ? passwords : [:])
        return PostgresPlanner(spec: spec, observed: observed, passwords: passwords, unavailablePasswords: unavailable)
    }
}
