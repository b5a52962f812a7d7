import Foundation
import Logging
import SprocketCore

/// The side of `postgres.reach: swarm-job` that runs inside the cluster: reads the request and the mounted
/// secrets, runs the operation with ``PostgresProvisioner`` over TCP from there, and returns the answer.
public struct PostgresJobAgent: Sendable {
    /// Where Swarm mounts the job's secrets, one file per secret name.
    public var secretsDirectory: String
    public var logger: Logger

    public init(secretsDirectory: String = "/run/secrets", logger: Logger) {
        self.secretsDirectory = secretsDirectory
        self.logger = logger
    }

    /// The job holds no lease: the run that starts it checked its own lease before starting it
    /// (``SwarmJobPostgresProvider`` in Orchestration), and the job ends with its one operation.
    static let holdsNoLease: LeaseFence = { _ in }

    /// Runs `request`; every failure becomes the answer's ``PostgresJobResponse/failure``, never a crash.
    public func answer(_ request: PostgresJobRequest) async -> PostgresJobResponse {
        do {
            let provisioner = PostgresProvisioner(spec: request.spec, secrets: try secrets(for: request), logger: logger)
            switch request.operation {
            case .plan: return PostgresJobResponse(changes: try await provisioner.plan())
            case .apply: return PostgresJobResponse(applied: try await provisioner.apply(request.changes, fence: Self.holdsNoLease))
            case .status: return PostgresJobResponse(statuses: try await provisioner.status())
            case .check: return PostgresJobResponse(checks: await provisioner.check())
            case .teardown:
                return PostgresJobResponse(teardown: try await provisioner.teardown(destroyData: request.destroyData, dryRun: request.dryRun, fence: Self.holdsNoLease))
            }
        } catch let error as SprocketError {
            return PostgresJobResponse(failure: .init(error))
        } catch {
            return PostgresJobResponse(failure: .init(SprocketError(.postgresConnection, "the job failed: \(type(of: error))", subject: "postgres job")))
        }
    }

    /// The values of the secrets the spec names: mounted ones read from their files, the rest reported unavailable
    /// with the reason the requesting side gave.
    private func secrets(for request: PostgresJobRequest) throws -> [String: SecretMaterial] {
        var secrets: [String: SecretMaterial] = [:]
        for name in Set(request.spec.secretNames) {
            if let reason = request.unavailable[name] {
                secrets[name] = SecretMaterial(name: name, content: nil, unavailableReason: reason)
            } else if let data = FileManager.default.contents(atPath: "\(secretsDirectory)/\(name)") {
                secrets[name] = SecretMaterial(name: name, content: SensitiveBytes([UInt8](data)))
            } else {
                secrets[name] = SecretMaterial(name: name, content: nil, unavailableReason: "was not mounted into the job at \(secretsDirectory)/\(name)")
            }
        }
        return secrets
    }
}
