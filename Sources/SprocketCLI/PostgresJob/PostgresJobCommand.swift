import ArgumentParser
import Foundation
import Logging
import Postgres
import SprocketCore

/// `sprocketctl postgres-job REQUEST`: the side of `postgres.reach: swarm-job` that runs inside the cluster.
/// Hidden: `up`, `plan`, `status` and `down` start it as a Swarm job; an operator never runs it by hand.
///
/// It prints exactly one answer line (``PostgresJobResponse/marker`` and JSON) and exits 0 when it could answer,
/// even with a failure inside the answer; the caller turns that back into the error it describes.
struct PostgresJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres-job",
        abstract: "Run a PostgreSQL provisioning request inside the cluster (started by sprocketctl as a Swarm job).",
        shouldDisplay: false)

    @Argument(help: "The request file (JSON) the job was given as a Docker config.")
    var request: String

    @Option(help: "Where the job's Docker secrets are mounted.")
    var secretsDirectory = "/run/secrets"

    func run() async throws {
        var logger = Logger(label: "sprocketctl.postgres-job")
        logger.logLevel = .warning
        let response: PostgresJobResponse
        if let data = FileManager.default.contents(atPath: request) {
            do {
                let decoded = try JSONDecoder().decode(PostgresJobRequest.self, from: data)
                response = await PostgresJobAgent(secretsDirectory: secretsDirectory, logger: logger).answer(decoded)
            } catch {
                response = PostgresJobResponse(failure: .init(SprocketError(
                    .postgresSpec, "the job's request \(request) is not one this sprocketctl understands: \(error)", subject: "postgres job",
                    hint: "run the same sprocketctl version in the job's image as on the machine that starts it")))
            }
        } else {
            response = PostgresJobResponse(failure: .init(SprocketError(.postgresSpec, "the job's request \(request) is missing", subject: "postgres job")))
        }
        print(try response.line())
    }
}
