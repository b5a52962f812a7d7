import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@testable import Postgres

/// The side of `postgres.reach: swarm-job` that runs inside the cluster, against a real server: it reads the
/// request and the mounted secret files, and answers in one line that carries no secret.
@Suite("postgres job agent", .postgresServer)
struct PostgresJobAgentTests {
    /// Writes the scenario's passwords as the files Swarm would mount, runs `body`, removes them.
    func withMountedSecrets(_ scenario: PostgresScenario, _ body: (String) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "pg-job-secrets")
        defer { folder.remove() }
        for (name, value) in scenario.passwords { try folder.write(name, value) }
        try await body(folder.path)
    }

    @Test("plan, apply and a second plan through the agent: the second plan is empty; request and answer carry no password")
    func provisionsThroughTheAgent() async throws {
        try await PostgresScenario.run { scenario in
            try await withMountedSecrets(scenario) { directory in
                let agent = PostgresJobAgent(secretsDirectory: directory, logger: scenario.log.logger)
                let planRequest = PostgresJobRequest(operation: .plan, spec: scenario.spec)
                let plan = await agent.answer(planRequest)
                let changes = try #require(plan.changes, "\(String(describing: plan.failure))")
                #expect(changes.contains { $0.kind == "role" && $0.name == scenario.apiRole })

                let applied = await agent.answer(PostgresJobRequest(operation: .apply, spec: scenario.spec, changes: changes))
                #expect(applied.applied?.applied.count == changes.count, "\(String(describing: applied.failure))")
                let again = await agent.answer(planRequest)
                #expect(again.changes == [], "nothing left to change: \(String(describing: again.changes))")

                let checks = await agent.answer(PostgresJobRequest(operation: .check, spec: scenario.spec))
                #expect(checks.checks?.count == 2 && checks.checks?.allSatisfy(\.passed) == true, "\(String(describing: checks.checks))")

                let encodedRequest = String(decoding: try JSONEncoder().encode(planRequest), as: UTF8.self)
                for line in [encodedRequest, try plan.line(), try applied.line(), try checks.line()] {
                    for password in scenario.passwords.values { #expect(!line.contains(password), "a password crossed the job boundary") }
                }
            }
        }
    }

    @Test("a secret the caller could not resolve, or one not mounted, is a failure naming it, not a crash")
    func missingSecrets() async throws {
        try await PostgresScenario.run { scenario in
            try await withMountedSecrets(scenario) { directory in
                let agent = PostgresJobAgent(secretsDirectory: directory, logger: scenario.log.logger)
                let unresolved = await agent.answer(
                    PostgresJobRequest(operation: .plan, spec: scenario.spec, unavailable: ["pg-admin": "PG_ADMIN is not set"]))
                let failure = try #require(unresolved.failure)
                #expect(failure.message.contains("pg-admin") || failure.hint?.contains("PG_ADMIN is not set") == true, "\(failure)")

                let elsewhere = PostgresJobAgent(secretsDirectory: directory + "/nothing-here", logger: scenario.log.logger)
                let unmounted = try #require(await elsewhere.answer(PostgresJobRequest(operation: .plan, spec: scenario.spec)).failure)
                #expect("\(unmounted.error)".contains("was not mounted into the job"), "\(unmounted.error)")
            }
        }
    }
}

@Suite("postgres job answer line")
struct PostgresJobResponseTests {
    @Test("the answer is found among other output, the last one wins, and a failure comes back as the same error")
    func roundTrip() throws {
        let error = SprocketError(.postgresPermission, "the admin lacks CREATEROLE", subject: "postgres db:5432", hint: "ALTER ROLE")
        let failure = PostgresJobResponse(failure: .init(error))
        let change = ExternalChange(system: "postgres", kind: "role", name: "api", action: .create)
        let lines = ["warning: something", try PostgresJobResponse(changes: [change]).line(), "more log", try failure.line()]
        let parsed = try #require(PostgresJobResponse.parse(lines: lines))
        #expect(parsed.failure?.error.code == .postgresPermission && parsed.failure?.error.hint == "ALTER ROLE")
        #expect(PostgresJobResponse.parse(lines: Array(lines.prefix(2)))?.changes == [change])
        #expect(PostgresJobResponse.parse(lines: ["no answer here"]) == nil)
        #expect(PostgresJobResponse.parse(lines: [PostgresJobResponse.marker + "{not json"]) == nil)
    }
}
