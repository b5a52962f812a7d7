import Foundation
import Logging
import Postgres
import S3
import SprocketCore
import Synchronization

/// The stack's systems outside Docker (`postgres:`, `s3:`) as ``ExternalResourceProvider``s, built from the spec
/// and the values of the secrets they name.
public enum ExternalProviders {
    /// - Throws: ``SprocketError`` when a credential the spec names has no value.
    public static func make(
        _ stack: StackSpec, secrets: [String: SecretMaterial], environment: [String: String], engine: EngineHandle, logger: Logger
    ) throws -> [any ExternalResourceProvider] {
        var providers: [any ExternalResourceProvider] = []
        if let postgres = stack.postgres {
            if let job = postgres.reach.swarmJob {
                providers.append(SwarmJobPostgresProvider(spec: postgres, job: job, stack: stack, secrets: secrets, engine: engine, logger: logger))
            } else {
                providers.append(PostgresProvisioner(spec: postgres, secrets: secrets, logger: logger))
            }
        }
        if let s3 = stack.s3 {
            providers.append(S3BucketProvisioner(spec: s3, credentials: try credentials(of: s3, secrets: secrets, environment: environment), logger: logger))
        }
        return providers
    }

    private static func credentials(of s3: S3Spec, secrets: [String: SecretMaterial], environment: [String: String]) throws -> S3Credentials {
        guard let declared = s3.credentials else { return try S3Credentials.fromEnvironment(environment) }
        func value(_ name: String) throws -> String {
            guard let bytes = secrets[name]?.content?.bytes else {
                throw SprocketError(
                    .secretUnavailable, "secret '\(name)' named by `s3.credentials` has no value", subject: s3.location.description,
                    hint: secrets[name]?.unavailableReason ?? "declare it under a layer's `secrets:`")
            }
            return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return S3Credentials(accessKeyID: try value(declared.accessKeySecret), secretAccessKey: try value(declared.secretKeySecret))
    }

    /// Every declared resource as a change to make, for `plan --offline` (no system is asked).
    public static func declaredResources(_ stack: StackSpec) -> [ExternalChange] {
        var changes: [ExternalChange] = []
        if let postgres = stack.postgres {
            let endpoint = "\(postgres.host):\(postgres.port)"
                + (postgres.reach.swarmJob.map { job in " from a Swarm job\(job.network.map { " on \($0)" } ?? "")" } ?? "")
            changes += postgres.roles.map { ExternalChange(system: "postgres", kind: "role", name: $0.name, action: .create, details: ["on \(endpoint)"]) }
            changes += postgres.databases.map { database in
                ExternalChange(
                    system: "postgres", kind: "database", name: database.name, action: .create,
                    details: ["owner \(database.owner)"] + database.schemas.map { "schema \($0.name)" } + database.extensions.map { "extension \($0)" }
                        + database.grants.map { "grant \($0.privileges.joined(separator: ", ")) to \($0.role)" })
            }
        }
        if let s3 = stack.s3 {
            changes += s3.buckets.map { bucket in
                var details = ["at \(s3.endpoint ?? "AWS S3") (\(s3.region))"]
                if bucket.versioning == true { details.append("versioning") }
                if let lifecycle = bucket.lifecycle, !lifecycle.isEmpty { details.append("\(lifecycle.count) lifecycle rule(s)") }
                if let cors = bucket.cors, !cors.isEmpty { details.append("\(cors.count) CORS rule(s)") }
                if bucket.policy != nil { details.append("policy") }
                if !bucket.consumers.isEmpty { details.append("consumers \(bucket.consumers.joined(separator: ", "))") }
                return ExternalChange(system: "s3", kind: "bucket", name: bucket.name, action: .create, details: details)
            }
        }
        return changes
    }

    /// Plan lines in the style of the Docker plan: `+ postgres role sprocket_api`, `~ s3 bucket-policy replays`.
    public static func render(_ changes: [ExternalChange], offline: Bool) -> [String] {
        guard !changes.isEmpty else { return [] }
        var lines = [offline ? "outside Docker (declared; not checked offline):" : "outside Docker:"]
        for change in changes {
            let symbol = switch change.action {
            case .create: "+"
            case .update: "~"
            case .delete: "-"
            }
            let details = change.details.isEmpty ? "" : " (\(change.details.joined(separator: "; ")))"
            lines.append("  \(symbol) \(change.system) \(change.kind) \(change.name)\(details)")
        }
        return lines
    }
}

/// Runs the providers' gate checks (log in as each role; a canary object per consumer) once the layer they
/// belong to converged. The providers are set after secrets are resolved, which happens inside the deployment.
public final class ExternalCheckGate: LayerGate {
    private let providers = Mutex<[any ExternalResourceProvider]>([])
    private let firstLayer: String?

    public init(firstLayer: String?) {
        self.firstLayer = firstLayer
    }

    public func set(_ providers: [any ExternalResourceProvider]) {
        self.providers.withLock { $0 = providers }
    }

    public func evaluate(layer: DesiredLayer, events: ApplyEventHandler) async throws -> [GateCheckResult] {
        var results: [GateCheckResult] = []
        for provider in providers.withLock({ $0 }) where (provider.layer ?? firstLayer) == layer.name {
            for result in await provider.check() {
                let placed = GateCheckResult(layer: layer.name, check: result.check, passed: result.passed, expected: result.expected, seen: result.seen)
                events(.checkResult(placed))
                results.append(placed)
            }
        }
        return results
    }
}
