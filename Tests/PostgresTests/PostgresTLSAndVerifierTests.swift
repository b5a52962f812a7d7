import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@testable import Postgres

extension PostgresServerTests {
    @Suite("sslmode and the CA certificate")
    struct TLS {
        @Test("every sslmode connects to a TLS server with the right CA; all but disable encrypt")
        func modesThatConnect() async throws {
            for mode in [PostgresSpec.SSLMode.verifyFull, .verifyCA, .require, .prefer, .disable] {
                try await PostgresScenario.run(sslMode: mode) { scenario in
                    scenario.spec.caCertificateSecret = "pg-ca"
                    scenario.passwords["pg-ca"] = scenario.server.caCertificatePEM
                    let plan = try await scenario.provisioner.plan()
                    #expect(plan.contains { $0.kind == "database" }, "sslmode=\(mode.rawValue)")
                    let endpoint = PostgresEndpoint(
                        host: scenario.server.host, port: scenario.server.port, sslMode: mode,
                        caCertificatePEM: SensitiveBytes(Array(scenario.server.caCertificatePEM.utf8)))
                    let session = try await PostgresSession.open(
                        endpoint, user: scenario.server.adminUser, password: SensitiveBytes(Array(scenario.server.adminPassword.utf8)),
                        passwordSecret: "pg-admin", database: "postgres", logger: scenario.log.logger)
                    let ssl = try await session.rows("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()", kind: "probe")
                    await session.close()
                    #expect(ssl == [[mode == .disable ? "false" : "true"]], "sslmode=\(mode.rawValue)")
                }
            }
        }

        @Test("verify-full against a CA that did not sign the server's certificate fails, naming TLS")
        func wrongCertificateAuthority() async throws {
            try await PostgresScenario.run(sslMode: .verifyFull) { scenario in
                let error = await #expect(throws: SprocketError.self) { try await scenario.provisioner.plan() }
                #expect(error?.message.contains("TLS failed") == true, "\(String(describing: error))")
                #expect(error?.message.contains("127.0.0.1:\(scenario.server.port)") == true)
            }
        }
    }

    @Suite("the SCRAM-SHA-256 verifier")
    struct Verifier {
        @Test("equals what the server computes itself for the same password, salt and iterations")
        func matchesServer() async throws {
            let server = try PostgresServerTrait.server()
            let role = "t\(uniqueSuffix())_scram"
            let password = "pencil-\(UUID().uuidString)"
            try await server.superuser("SET password_encryption = 'scram-sha-256'; CREATE ROLE \(role) PASSWORD '\(password)'")
            let stored = try await server.superuser("SELECT rolpassword FROM pg_authid WHERE rolname = '\(role)'")
            _ = try? await server.superuser("DROP ROLE \(role)")
            // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
            let parts = stored.split(separator: "$")
            let head = try #require(parts.count == 3 ? parts[1].split(separator: ":") : nil)
            let iterations = try #require(Int(head[0]))
            let salt = try #require(Data(base64Encoded: String(head[1])))
            let ours = try ScramVerifier.make(password: SensitiveBytes(Array(password.utf8)), salt: Array(salt), iterations: iterations)
            #expect(String(decoding: ours.bytes, as: UTF8.self) == stored)
        }
    }
}

@Suite("PostgreSQL statements and planning without a server")
struct PostgresStatementTests {
    @Test("identifiers and literals are quoted with inner quotes doubled", arguments: [
        ("plain", "\"plain\"", "'plain'"), ("a\"b", "\"a\"\"b\"", "'a\"b'"), ("it's", "\"it's\"", "'it''s'"),
    ])
    func quoting(text: String, identifier: String, literal: String) {
        #expect(PostgresStatement.quoted(text) == identifier)
        #expect(PostgresStatement.literal(text) == literal)
    }

    @Test("a fresh verifier has PostgreSQL's form and a new salt each time")
    func verifierForm() throws {
        let password = SensitiveBytes(Array("secret".utf8))
        let first = String(decoding: try ScramVerifier.make(password: password).bytes, as: UTF8.self)
        let second = String(decoding: try ScramVerifier.make(password: password).bytes, as: UTF8.self)
        #expect(first.hasPrefix("SCRAM-SHA-256$4096:") && first.split(separator: "$").count == 3 && first != second)
        #expect(!first.contains("secret"))
    }

    @Test("privileges are a set: extras of declared roles are revoked, PUBLIC's, the owner's and undeclared roles' are not")
    func plansSetDifference() {
        let location = SourceLocation(file: "stack.yaml", line: 1, column: 1)
        var spec = PostgresSpec(host: "h", admin: .init(user: "admin", passwordSecret: "a", location: location), location: location)
        spec.roles = [.init(name: "api", passwordSecret: "p", location: location), .init(name: "ro", passwordSecret: "r", location: location)]
        spec.databases = [.init(
            name: "db", owner: "api",
            grants: [.init(role: "ro", level: .database, privileges: ["CONNECT"], location: location)], location: location)]
        var observed = PostgresObservedState()
        observed.roles = ["api": .init(canLogin: true, connectionLimit: -1, passwordMatches: true),
                          "ro": .init(canLogin: true, connectionLimit: -1, passwordMatches: true)]
        observed.adminMemberships = ["api"]
        observed.databases["db"] = .init(
            owner: "api", privileges: ["api": ["CONNECT", "CREATE", "TEMPORARY"], "ro": ["CREATE", "TEMPORARY"], "someone": ["CONNECT"]],
            extensions: [], schemas: [:])
        let operations = PostgresPlanner(spec: spec, observed: observed, passwords: [:]).operations()
        #expect(operations.map(\.statement.sql) == [
            "GRANT CONNECT ON DATABASE \"db\" TO \"ro\"", "REVOKE CREATE, TEMPORARY ON DATABASE \"db\" FROM \"ro\"",
        ])
        #expect(operations.map(\.change.action) == [.create, .delete])
    }
}
