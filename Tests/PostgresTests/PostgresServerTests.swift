import Foundation
import SprocketCore
import SprocketTestSupport
import Synchronization
import Testing

@testable import Postgres

/// The provider against a real PostgreSQL server whose admin is not a superuser (see ``PostgresTestServer``).
/// Nested suites share the one server; every test uses names of its own.
@Suite("PostgreSQL provider against a real server", .postgresServer)
struct PostgresServerTests {}

extension PostgresServerTests {
    @Suite("provisioning")
    struct Provisioning {
        @Test("a non-superuser admin provisions roles that can do exactly what they were granted; a re-run changes nothing")
        func provisionsLeastPrivilege() async throws {
            try await PostgresScenario.run { scenario in
                #expect(try await scenario.server.superuser(
                    "SELECT rolsuper::text || rolcreaterole::text || rolcreatedb::text FROM pg_roles WHERE rolname = '\(scenario.server.adminUser)'")
                    == "falsetruetrue")

                let (plan, report) = try await scenario.provision()
                let kinds = plan.map { "\($0.kind) \($0.action.rawValue)" }
                #expect(kinds.filter { $0 == "role create" }.count == 2)
                #expect(kinds.contains("membership create") && kinds.contains("database create") && kinds.contains("schema create"))
                #expect(kinds.contains("extension create") && kinds.contains("default-privileges create"))
                #expect(report.applied == plan && report.mutatingOperations == plan.count)

                // The owner creates a table after provisioning: the default privileges give the readonly role SELECT on it.
                #expect(try await scenario.attempt("CREATE TABLE app.items (id int PRIMARY KEY)", as: scenario.apiRole, secret: "pg-api") == nil)
                #expect(try await scenario.attempt("INSERT INTO app.items VALUES (1)", as: scenario.apiRole, secret: "pg-api") == nil)
                #expect(try await scenario.attempt("SELECT id FROM app.items", as: scenario.readonlyRole, secret: "pg-ro") == nil)
                #expect(try await scenario.attempt("SELECT encode(digest('x', 'sha256'), 'hex')", as: scenario.apiRole, secret: "pg-api") == nil)
                let insert = try await scenario.attempt("INSERT INTO app.items VALUES (2)", as: scenario.readonlyRole, secret: "pg-ro")
                #expect(insert?.contains("permission denied") == true && insert?.contains("42501") == true, "\(insert ?? "allowed")")
                let create = try await scenario.attempt("CREATE TABLE app.mine (id int)", as: scenario.readonlyRole, secret: "pg-ro")
                #expect(create?.contains("permission denied") == true, "\(create ?? "allowed")")
                let temp = try await scenario.attempt("CREATE TEMP TABLE scratch (id int)", as: scenario.readonlyRole, secret: "pg-ro")
                #expect(temp == nil, "TEMP comes from PUBLIC, which the spec does not manage")

                // A second run: nothing planned, nothing run; the server's statement log agrees.
                let logOffset = scenario.server.log().count
                let again = try await scenario.provisioner.plan()
                #expect(again.isEmpty, "\(again)")
                let rerun = try await scenario.provisioner.apply(again, fence: { _ in })
                #expect(rerun.mutatingOperations == 0 && rerun.applied.isEmpty)
                #expect(scenario.loggedStatements(after: logOffset).isEmpty, "\(scenario.loggedStatements(after: logOffset))")
                #expect(scenario.leaks(in: plan.map { "\($0)" } + [scenario.log.text]).isEmpty)
            }
        }

        @Test("a removed grant is revoked, a changed connection limit altered, a new grant reaches existing tables; nothing is recreated")
        func reconcilesAsASet() async throws {
            try await PostgresScenario.run(tableGrants: ["SELECT", "INSERT"], databaseGrants: ["CONNECT", "TEMPORARY"]) { scenario in
                try await scenario.provision()
                #expect(try await scenario.attempt("CREATE TABLE app.items (id int)", as: scenario.apiRole, secret: "pg-api") == nil)
                #expect(try await scenario.attempt("INSERT INTO app.items VALUES (1)", as: scenario.readonlyRole, secret: "pg-ro") == nil)
                let oids = try await scenario.server.superuser(
                    "SELECT string_agg(oid::text, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE '\(scenario.prefix)%'")

                scenario.spec.databases[0].grants[0].privileges = ["CONNECT"]
                scenario.spec.databases[0].grants[2].privileges = ["SELECT"]
                scenario.spec.roles[0].connectionLimit = 7
                let plan = try await scenario.provisioner.plan()
                let db = scenario.databaseName
                let expected: Set<String> = [
                    "role update \(scenario.apiRole) connection limit 5 -> connection limit 7",
                    "grant delete TEMPORARY ON DATABASE \(db) FROM \(scenario.readonlyRole) ",
                    "grant delete INSERT ON ALL TABLES IN SCHEMA \(db).app FROM \(scenario.readonlyRole) ",
                    "default-privileges delete INSERT ON TABLES IN SCHEMA \(db).app FROM \(scenario.readonlyRole) on tables \(scenario.apiRole) creates from now on",
                ]
                #expect(Set(plan.map { "\($0.kind) \($0.action.rawValue) \($0.name) \($0.details.joined(separator: ", "))" }) == expected)
                let report = try await scenario.provisioner.apply(plan, fence: { _ in })
                #expect(report.mutatingOperations == 4)

                let insert = try await scenario.attempt("INSERT INTO app.items VALUES (2)", as: scenario.readonlyRole, secret: "pg-ro")
                #expect(insert?.contains("permission denied") == true)
                #expect(try await scenario.attempt("SELECT * FROM app.items", as: scenario.readonlyRole, secret: "pg-ro") == nil)
                #expect(try await scenario.server.superuser("SELECT rolconnlimit FROM pg_roles WHERE rolname = '\(scenario.apiRole)'") == "7")
                #expect(try await scenario.server.superuser(
                    "SELECT string_agg(oid::text, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE '\(scenario.prefix)%'") == oids)

                // A grant added later covers the tables that already exist.
                scenario.spec.databases[0].grants[2].privileges = ["SELECT", "UPDATE"]
                let added = try await scenario.provisioner.plan()
                #expect(added.map(\.name).contains("UPDATE ON ALL TABLES IN SCHEMA \(db).app TO \(scenario.readonlyRole)"))
                _ = try await scenario.provisioner.apply(added, fence: { _ in })
                #expect(try await scenario.attempt("UPDATE app.items SET id = 3", as: scenario.readonlyRole, secret: "pg-ro") == nil)
                #expect(try await scenario.provisioner.plan().isEmpty)
            }
        }

        @Test("the fence is asked before each change; once it refuses (a lost lease), no further statement reaches the server and the error comes through as it was")
        func fencedPerChange() async throws {
            try await PostgresScenario.run { scenario in
                let plan = try await scenario.provisioner.plan()
                try #require(plan.count > 2)
                let asked = Mutex<[String]>([])
                let lost = SprocketError(.leaseLost, "this run lost its lock to pid 1 on other (test)")
                let logOffset = scenario.server.log().count
                let error = await #expect(throws: SprocketError.self) {
                    try await scenario.provisioner.apply(plan, fence: { operation in
                        let count = asked.withLock { $0.append(operation); return $0.count }
                        if count == 2 { throw lost }
                    })
                }
                #expect(error?.code == .leaseLost && error?.message == lost.message, "\(String(describing: error))")
                #expect(asked.withLock { $0 } == plan.prefix(2).map(\.operation))
                let writes = scenario.server.loggedStatements(after: logOffset).filter { line in
                    ["CREATE ", "ALTER ", "GRANT ", "REVOKE ", "DROP ", "COMMENT "].contains { line.contains($0) }
                }
                #expect(writes.count == 1, "one statement, the first change's: \(writes)")
                #expect(try await scenario.provisioner.plan() == Array(plan.dropFirst()), "only the first change was made")
            }
        }

        @Test("a rotated password secret: the plan says `password changed` without the value, apply alters it, the new one logs in")
        func rotatesPassword() async throws {
            try await PostgresScenario.run { scenario in
                try await scenario.provision()
                let old = try #require(scenario.passwords["pg-ro"])
                scenario.passwords["pg-ro"] = "canary-rotated-\(UUID().uuidString)"
                let logOffset = scenario.server.log().count

                let plan = try await scenario.provisioner.plan()
                #expect(plan == [ExternalChange(system: "postgres", kind: "role", name: scenario.readonlyRole, action: .update, details: ["password changed"])])
                let report = try await scenario.provisioner.apply(plan, fence: { _ in })
                #expect(report.mutatingOperations == 1)
                let session = try await scenario.session(as: scenario.readonlyRole, secret: "pg-ro")
                await session.close()
                await #expect(throws: SprocketError.self) {
                    try await scenario.session(as: scenario.readonlyRole, secret: "pg-ro", password: old)
                }
                #expect(try await scenario.provisioner.plan().isEmpty)

                // The plaintext reached neither the server's statement log nor ours; ours has no verifier either.
                let serverLog = scenario.loggedStatements(after: logOffset).joined(separator: "\n")
                #expect(serverLog.contains("ALTER ROLE") && !serverLog.contains(scenario.passwords["pg-ro"] ?? "?") && !serverLog.contains(old))
                #expect(scenario.log.text.contains("<redacted SCRAM-SHA-256 verifier>"))
                #expect(scenario.leaks(in: plan.map { "\($0)" } + [scenario.log.text]).isEmpty)
            }
        }

        @Test("check logs in as each role and reports a failure per role without throwing")
        func gateChecks() async throws {
            try await PostgresScenario.run { scenario in
                try await scenario.provision()
                let results = await scenario.provisioner.check()
                #expect(results.map(\.check) == ["postgres login \(scenario.apiRole)", "postgres login \(scenario.readonlyRole)"])
                #expect(results.allSatisfy { $0.passed && $0.layer == "data" }, "\(results)")

                scenario.passwords["pg-ro"] = "canary-wrong-\(UUID().uuidString)"
                let failing = await scenario.provisioner.check()
                #expect(failing.map(\.passed) == [true, false])
                #expect(failing[1].seen.contains("refused the password of role `\(scenario.readonlyRole)`"), "\(failing[1].seen)")
                #expect(scenario.leaks(in: failing.map { "\($0)" }).isEmpty)
            }
        }

        @Test("teardown keeps databases and roles without destroyData, and drops them (databases first) with it")
        func teardown() async throws {
            try await PostgresScenario.run { scenario in
                try await scenario.provision()

                let kept = try await scenario.provisioner.teardown(destroyData: false, dryRun: false, fence: { _ in })
                #expect(kept.removed.isEmpty)
                #expect(kept.kept.first == "database \(scenario.databaseName) kept: it holds data; --destroy-data drops it")
                #expect(kept.kept.count == 3)
                let dryRun = try await scenario.provisioner.teardown(destroyData: true, dryRun: true, fence: { _ in })
                #expect(dryRun.removed.map { "\($0.kind) \($0.name) \($0.destroysData)" }
                    == ["database \(scenario.databaseName) true", "role \(scenario.apiRole) false", "role \(scenario.readonlyRole) false"])
                #expect(try await scenario.server.superuser("SELECT count(*) FROM pg_database WHERE datname = '\(scenario.databaseName)'") == "1")

                let dropped = try await scenario.provisioner.teardown(destroyData: true, dryRun: false, fence: { _ in })
                #expect(dropped.removed == dryRun.removed)
                #expect(try await scenario.server.superuser("SELECT count(*) FROM pg_database WHERE datname = '\(scenario.databaseName)'") == "0")
                #expect(try await scenario.server.superuser("SELECT count(*) FROM pg_roles WHERE rolname LIKE '\(scenario.prefix)%'") == "0")
            }
        }

        @Test("status lists each declared object with its owner, before and after provisioning")
        func status() async throws {
            try await PostgresScenario.run { scenario in
                let before = try await scenario.provisioner.status()
                #expect(before.count == 5 && before.allSatisfy { !$0.exists })
                try await scenario.provision()
                let after = try await scenario.provisioner.status()
                #expect(after.allSatisfy { $0.exists })
                #expect(after.first { $0.kind == "database" }?.details == ["owner \(scenario.apiRole)"])
                #expect(after.first { $0.kind == "role" }?.details == ["login", "connection limit 5"])
            }
        }
    }
}
