import Foundation
import SecretPipeline
import SprocketCore

extension RunEnvironment {
    /// `secrets diff`: where every hop of each manifest secret stands (its source, Vault, the sealed store and the
    /// Docker secret each consumer mounts), compared by fingerprints. Reads only: no lease, nothing written.
    public func diffSecrets(_ stack: StackSpec) async throws -> [SecretManifestDiffer.Row] {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        let settings = secretPipeline
        let sourceValues = try await ManifestSourceReader(settings: settings, stack: stack).read(stack.secretManifest)
        let key = try SecretKey.loadOrCreate(at: keyFilePath)
        // `generate:` entries have no source: their value is the one kept in the sealed store.
        let (storedValues, namingKey) = try await withSealedStore(of: identity, writes: false, command: "secrets diff") {
            let store = try SealedSecretStore(path: state.store(for: identity).sealedSecretsPath, key: key, identity: identity)
            var values: [String: SensitiveBytes] = [:]
            for entry in stack.secretManifest.entries {
                guard case .generate = entry.source, let value = try store.value(named: entry.storeKey) else { continue }
                values[entry.name] = SensitiveBytes(value)
            }
            return (values, try SecretNamingKey.stored(in: store))
        }
        let vault = try ManifestSync.vaultHop(for: stack, settings: settings)
        do {
            let rows = try await withDeployment { _, engine in
                let services = Array(Set(stack.secretManifest.entries.flatMap { $0.consumers.map(\.service) })).sorted()
                let mounts = try await SecretManifestDiffer.serviceMounts(try await engine.driver().client, identity: identity, services: services)
                return try await SecretManifestDiffer(
                    stack: stack, key: key, vault: vault, mounts: mounts, storedValues: storedValues, namingKey: namingKey)
                    .diff(sourceValues: sourceValues)
            }
            await vault?.close()
            return rows
        } catch {
            await vault?.close()
            throw error
        }
    }
}
