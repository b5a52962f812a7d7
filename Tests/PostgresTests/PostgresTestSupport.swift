import Foundation
import Logging
import SprocketCore
import SprocketTestSupport
import Synchronization
import Testing

@testable import Postgres

/// Starts one throwaway PostgreSQL server around the suite it is attached to and stops it afterwards, whether the
/// tests passed or not. Tests read it from ``current``.
struct PostgresServerTrait: SuiteTrait, TestScoping {
    @TaskLocal static var current: PostgresTestServer?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try await PostgresTestServer.start()
        do {
            try await Self.$current.withValue(server) { try await function() }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// The suite's server; a test outside the trait fails here.
    static func server() throws -> PostgresTestServer {
        try #require(current, "the suite needs the .postgresServer trait")
    }
}

extension Trait where Self == PostgresServerTrait {
    /// One PostgreSQL server for the whole suite.
    static var postgresServer: Self { Self() }
}

/// Log messages kept for assertions (the canary checks read them).
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    var logger: Logger {
        Logger(label: "postgres-tests") { _ in CapturingLogHandler(log: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)")
    }
}

/// A spec with per-test names on the suite's server, its secrets, and helpers to provision it and to log in.
struct PostgresScenario {
    let server: PostgresTestServer
    let prefix = "t\(uniqueSuffix())"
    var apiRole: String { "\(prefix)_api" }
    var readonlyRole: String { "\(prefix)_ro" }
    var databaseName: String { "\(prefix)_db" }
    var spec: PostgresSpec
    var passwords: [String: String]
    var connectTimeout: Duration = .seconds(5)
    let log = CapturedLog()

    init(
        server: PostgresTestServer, sslMode: PostgresSpec.SSLMode = .require,
        tableGrants: [String] = ["SELECT"], databaseGrants: [String] = ["CONNECT"], connectionLimit: Int? = 5
    ) {
        self.server = server
        passwords = ["pg-admin": server.adminPassword, "pg-api": "canary-api-\(UUID().uuidString)", "pg-ro": "canary-ro-\(UUID().uuidString)"]
        let location = SourceLocation(file: "stack.yaml", line: 1, column: 1)
        spec = PostgresSpec(
            layer: "data", host: server.host, port: server.port, database: "postgres", sslMode: sslMode,
            admin: .init(user: server.adminUser, passwordSecret: "pg-admin", location: location), location: location)
        spec.roles = [
            .init(name: "\(prefix)_api", passwordSecret: "pg-api", connectionLimit: connectionLimit, location: location),
            .init(name: "\(prefix)_ro", passwordSecret: "pg-ro", location: location),
        ]
        spec.databases = [
            .init(
                name: "\(prefix)_db", owner: "\(prefix)_api", extensions: ["pgcrypto"],
                schemas: [.init(name: "app", owner: "\(prefix)_api", location: location)],
                grants: [
                    .init(role: "\(prefix)_ro", level: .database, privileges: databaseGrants, location: location),
                    .init(role: "\(prefix)_ro", level: .schema("app"), privileges: ["USAGE"], location: location),
                    .init(role: "\(prefix)_ro", level: .allTables(inSchema: "app"), privileges: tableGrants, location: location),
                ],
                location: location)
        ]
    }

    /// Runs `body` with a fresh scenario on the suite's server and drops what it created afterwards, pass or fail.
    static func run(
        sslMode: PostgresSpec.SSLMode = .require, tableGrants: [String] = ["SELECT"], databaseGrants: [String] = ["CONNECT"],
        _ body: (inout PostgresScenario) async throws -> Void
    ) async throws {
        var scenario = PostgresScenario(
            server: try PostgresServerTrait.server(), sslMode: sslMode, tableGrants: tableGrants, databaseGrants: databaseGrants)
        do {
            try await body(&scenario)
        } catch {
            await scenario.cleanUp()
            throw error
        }
        await scenario.cleanUp()
    }

    var secrets: [String: SecretMaterial] {
        passwords.mapValues { SecretMaterial(name: "", content: SensitiveBytes(Array($0.utf8))) }
    }

    var provisioner: PostgresProvisioner {
        PostgresProvisioner(spec: spec, secrets: secrets, logger: log.logger, connectTimeout: connectTimeout)
    }

    /// Plans and applies everything; returns the plan and the report.
    @discardableResult
    func provision() async throws -> (plan: [ExternalChange], report: ExternalApplyReport) {
        let plan = try await provisioner.plan()
        return (plan, try await provisioner.apply(plan, fence: { _ in }))
    }

    /// A session as `role` (its current secret) on the scenario's database.
    func session(as role: String, secret: String, password: String? = nil) async throws -> PostgresSession {
        let endpoint = PostgresEndpoint(host: server.host, port: server.port, sslMode: .require)
        return try await PostgresSession.open(
            endpoint, user: role, password: SensitiveBytes(Array((password ?? passwords[secret] ?? "").utf8)), passwordSecret: secret,
            database: databaseName, logger: log.logger)
    }

    /// Runs `sql` as `role`; nil when it worked, else the error's message.
    func attempt(_ sql: String, as role: String, secret: String) async throws -> String? {
        let session = try await session(as: role, secret: secret)
        var failure: String?
        do {
            try await session.execute(PostgresStatement(kind: "probe", sql: sql))
        } catch let error as SprocketError {
            failure = error.message
        }
        await session.close()
        return failure
    }

    /// Drops what the scenario created (as the superuser), whatever state a failed test left.
    func cleanUp() async {
        _ = try? await server.superuser("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
        for role in [apiRole, readonlyRole] {
            _ = try? await server.superuser("DROP ROLE IF EXISTS \(role)")
        }
    }

    /// The statements the server logged after `offset` that concern this scenario: run in its database, or naming
    /// one of its roles or its database (tests run in parallel on one server).
    func loggedStatements(after offset: Int) -> [String] {
        server.loggedStatements(after: offset).filter { $0.contains("db=\(databaseName) ") || $0.contains(prefix) }
    }

    /// Every place a password could leak to: plan changes, logs. Returns the places that hold one.
    func leaks(in texts: [String]) -> [String] {
        let values = passwords.values.filter { $0.count >= 8 }
        return texts.filter { text in values.contains { text.contains($0) } || text.contains("SCRAM-SHA-256$") }
    }
}
