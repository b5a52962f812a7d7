import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@testable import Postgres

extension PostgresServerTests {
    @Suite("errors name the endpoint, the role and what to do")
    struct Errors {
        /// The error `plan()` throws for the scenario after `change`, checked for leaks of the role passwords.
        static func planError(_ change: (inout PostgresScenario) async throws -> Void) async throws -> SprocketError {
            var caught: SprocketError?
            try await PostgresScenario.run { scenario in
                try await change(&scenario)
                let error = await #expect(throws: SprocketError.self) { try await scenario.provisioner.plan() }
                if let error { #expect(scenario.leaks(in: [error.description, scenario.log.text]).isEmpty) }
                caught = error
            }
            return try #require(caught)
        }

        @Test("an unreachable server (a closed port): connection refused at host:port")
        func unreachable() async throws {
            let error = try await Self.planError { $0.spec.port = 1 }
            #expect(error.code == .postgresConnection)
            #expect(error.message.contains("cannot reach PostgreSQL at 127.0.0.1:1") && error.message.contains("connection refused"), "\(error)")
            #expect(error.hint?.contains("postgres.port") == true)
        }

        @Test("a peer that accepts but never answers: timed out at host:port, within the connect timeout")
        func silentPeer() async throws {
            let silent = try await StubHTTPServer.start(on: .tcp()) { _ in .init(status: 500) }
            let port = try #require(silent.port)
            let started = ContinuousClock.now
            let error = try await Self.planError { scenario in
                scenario.spec.port = port
                scenario.connectTimeout = .seconds(1)
            }
            try await silent.shutdown()
            // Bounded by the connect timeout, not hanging (generous: a loaded machine is slow to give up too).
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(error.message.contains("127.0.0.1:\(port)") && error.message.contains("timed out"), "\(error)")
            #expect(error.hint?.contains("trusted sources") == true)
        }

        @Test("a wrong admin password: the role and the secret to fix are named")
        func wrongAdminPassword() async throws {
            let error = try await Self.planError { $0.passwords["pg-admin"] = "canary-wrong-admin-\(UUID().uuidString)" }
            #expect(error.message.contains("refused the password of role `sprocket_admin`"))
            #expect(error.subject?.contains("127.0.0.1:") == true && error.hint?.contains("`pg-admin`") == true, "\(error)")
        }

        @Test("an admin without CREATEROLE is refused up front, saying what to grant")
        func adminWithoutCreateRole() async throws {
            let error = try await Self.planError { scenario in
                let weak = "\(scenario.prefix)_weak"
                try await scenario.server.superuser("CREATE ROLE \(weak) LOGIN CREATEDB PASSWORD 'weak-password'")
                scenario.spec.admin.user = weak
                scenario.passwords["pg-admin"] = "weak-password"
            }
            #expect(error.code == .postgresPermission)
            #expect(error.message.contains("lacks CREATEROLE") && error.message.contains("_weak`"), "\(error)")
            #expect(error.hint?.contains("ALTER ROLE") == true)
        }

        @Test("invalid names and undeclared grantees fail before any statement", arguments: [
            ("bad\"name", "contains `\\\"`"), ("pg_owned", "reserves"), (String(repeating: "x", count: 70), "70 bytes"),
        ])
        func invalidIdentifier(name: String, problem: String) async throws {
            let error = try await Self.planError { $0.spec.roles[1].name = name }
            #expect(error.code == .postgresSpec && error.message.contains(problem), "\(error)")
        }

        @Test("a grant to a role the spec does not declare")
        func undeclaredGrantee() async throws {
            let error = try await Self.planError { $0.spec.databases[0].grants[0].role = "ghost" }
            #expect(error.code == .postgresSpec && error.message.contains("to role `ghost`, which `postgres.roles` does not declare"), "\(error)")
        }

        @Test("a password secret without a value: plan shows the role, apply fails naming the secret and why")
        func unavailableSecret() async throws {
            try await PostgresScenario.run { scenario in
                let provisioner = PostgresProvisioner(
                    spec: scenario.spec,
                    secrets: scenario.secrets.merging(["pg-ro": SecretMaterial(name: "pg-ro", content: nil, unavailableReason: "generated at the first `up`")]) { $1 },
                    logger: scenario.log.logger)
                let plan = try await provisioner.plan()
                #expect(plan.contains { $0.kind == "role" && $0.name == scenario.readonlyRole && $0.action == .create })
                let error = await #expect(throws: SprocketError.self) { try await provisioner.apply(plan, fence: { _ in }) }
                #expect(error?.code == .secretUnavailable)
                #expect(error?.message.contains("secret `pg-ro` has no value (generated at the first `up`)") == true, "\(String(describing: error))")
                #expect(error?.message.contains("1 of") == true, "the api role was created before it")

                let noAdmin = PostgresProvisioner(spec: scenario.spec, secrets: [:], logger: scenario.log.logger)
                let adminError = await #expect(throws: SprocketError.self) { try await noAdmin.plan() }
                #expect(adminError?.message.contains("secret `pg-admin` (password of admin sprocket_admin) was not resolved") == true)
            }
        }
    }
}
