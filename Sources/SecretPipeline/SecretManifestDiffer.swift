import DockerEngine
import Foundation
import SprocketCore

/// `secrets diff`: where every hop of each manifest secret stands, compared by HMAC-SHA256 fingerprints under the
/// local key: the source, the Vault version, and the Docker secret each consuming service actually mounts
/// (compared with the name the current value would produce). Never reads out or prints a value.
public struct SecretManifestDiffer {
    /// One consuming service's hop.
    public struct ServiceHop: Encodable, Equatable, Sendable {
        public var service: String
        public var target: String
        /// The Docker secret the service mounts at `target` now (nil: not mounted, or no such service).
        public var mounted: String?
        public var expected: String
        public var inStep: Bool
    }

    /// One entry's hops and the problems found.
    public struct Row: Encodable, Equatable, Sendable {
        public var name: String
        public var source: String
        public var sourceFingerprint: String?
        public var vault: String?
        public var vaultVersion: Int?
        public var vaultFingerprint: String?
        public var services: [ServiceHop]
        public var problems: [String]
        public var inStep: Bool { problems.isEmpty }

        enum CodingKeys: String, CodingKey {
            case name, source, sourceFingerprint, vault, vaultVersion, vaultFingerprint, services, problems
        }
    }

    var stack: StackSpec
    var key: SecretKey
    var vault: ManifestVaultHop?
    /// Logical service name -> its secret mounts (target -> Docker secret name), as Docker holds them.
    var mounts: [String: [String: String]]
    /// The values kept in the sealed store, by entry name: the only "source" a `generate:` entry without Vault has.
    var storedValues: [String: SensitiveBytes] = [:]
    /// The sealed store's secret naming key (nil before the first `up` that needed one).
    var namingKey: SecretNamingKey?

    public init(
        stack: StackSpec, key: SecretKey, vault: ManifestVaultHop?, mounts: [String: [String: String]], storedValues: [String: SensitiveBytes] = [:],
        namingKey: SecretNamingKey?
    ) {
        self.stack = stack
        self.key = key
        self.vault = vault
        self.mounts = mounts
        self.storedValues = storedValues
        self.namingKey = namingKey
    }

    public func diff(sourceValues: [String: SensitiveBytes]) async throws -> [Row] {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        var rows: [Row] = []
        for entry in stack.secretManifest.entries {
            let source = sourceValues[entry.name] ?? storedValues[entry.name]
            var row = Row(
                name: entry.name, source: entry.source.summary, sourceFingerprint: source.map { key.fingerprint($0.bytes) },
                vault: nil, services: [], problems: [])
            var deployValue = source
            if let vault, let location = entry.vault {
                let current = try await vault.read(location)
                row.vault = location.description
                row.vaultVersion = current.version == 0 ? nil : current.version
                row.vaultFingerprint = current.value.map { key.fingerprint($0.bytes) }
                if current.value == nil {
                    row.problems.append("missing in Vault (\(location))")
                } else if let source, current.value != source {
                    row.problems.append("stale: Vault v\(current.version) differs from \(sourceName(entry))")
                }
                deployValue = current.value ?? source
            }
            for consumer in entry.consumers {
                let mounted = mounts[consumer.service]?[consumer.target]
                // A legacy name the service mounts for the current value is in step: `up` keeps it (docs/secrets.md).
                let expected = deployValue.map { value in
                    DockerSecretNaming(identity: identity, key: namingKey, deployedNames: Set([mounted].compactMap { $0 }))
                        .name(of: entry.name, value: value.bytes).dockerName
                } ?? "unknown (no value yet)"
                let inStep = mounted == expected
                row.services.append(ServiceHop(service: consumer.service, target: consumer.target, mounted: mounted, expected: expected, inStep: inStep))
                if mounted == nil {
                    row.problems.append("service \(consumer.service) does not mount it at \(consumer.target) (not deployed yet?)")
                } else if !inStep {
                    row.problems.append("service \(consumer.service) still mounts an old value (\(mounted ?? "-"), e.g. rolled back by Swarm)")
                }
            }
            rows.append(row)
        }
        return rows
    }

    private func sourceName(_ entry: SecretManifestEntry) -> String {
        switch entry.source {
        case .doppler: "Doppler"
        case .environment(let variable): "environment variable \(variable)"
        case .file(let path): "file \(path)"
        case .generate: "the generated value"
        case .local(let name): "local secret \(name) (`sprocketctl secrets set \(name)`)"
        case .external, .vaultToken, .vaultUnsealer, .manifest: entry.source.summary
        }
    }

    /// The secret mounts of the stack's services: logical name -> (target path -> Docker secret name).
    public static func serviceMounts(_ client: DockerClient, identity: StackIdentity, services: [String]) async throws -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        let listed = try await client.listServices(filters: DockerFilters(["name": ["\(identity.prefix)_"]]))
        for service in services {
            let dockerName = identity.objectName(service)
            guard let found = listed.first(where: { $0.spec?.name == dockerName }) else { continue }
            var targets: [String: String] = [:]
            for reference in found.spec?.taskTemplate?.containerSpec?.secrets ?? [] {
                guard let name = reference.secretName, let target = reference.file?.name else { continue }
                targets[target.hasPrefix("/") ? target : "/run/secrets/\(target)"] = name
            }
            result[service] = targets
        }
        return result
    }
}
