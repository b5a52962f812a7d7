import Foundation
import SprocketCore
import Vault

/// One sync of a stack's manifest, under the lease of the run it is part of (`up`, `secrets sync`): sources first,
/// then Vault (when the stack has one and is reachable with the key file's root token), then the sealed store.
public struct ManifestSync: Sendable {
    public var settings: SecretPipelineSettings
    /// The lease of the run this sync is part of: the stack environment's one lock.
    public var lease: any StateLease

    public init(settings: SecretPipelineSettings, lease: any StateLease) {
        self.settings = settings
        self.lease = lease
    }

    /// Reads the sources, then syncs.
    public func run(_ stack: StackSpec, command: String) async throws -> [SecretManifestSyncer.Report] {
        try await apply(stack, sourceValues: try await readSources(stack), command: command)
    }

    /// Every source value (Doppler, environment, files); throws before anything is written.
    public func readSources(_ stack: StackSpec) async throws -> [String: SensitiveBytes] {
        try await ManifestSourceReader(settings: settings, stack: stack).read(stack.secretManifest)
    }

    /// Vault, then the sealed store, from source values already read.
    public func apply(_ stack: StackSpec, sourceValues: [String: SensitiveBytes], command: String) async throws -> [SecretManifestSyncer.Report] {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        try await lease.check(before: "syncing the manifest's secrets")
        let key = try SecretKey.loadOrCreate(at: settings.keyFilePath)
        let store = try SealedSecretStore(path: settings.localState(identity).sealedSecretsPath, key: key, identity: identity)
        let vault = try Self.vaultHop(for: stack, settings: settings)
        do {
            let reports = try await SecretManifestSyncer(manifest: stack.secretManifest, vault: vault, store: store, key: key, lease: lease)
                .sync(sourceValues: sourceValues)
            await vault?.close()
            return reports
        } catch {
            await vault?.close()
            throw error
        }
    }

    /// A Vault client with the root token when the stack has Vault and an entry is provisioned to it; else nil.
    public static func vaultHop(for stack: StackSpec, settings: SecretPipelineSettings) throws -> ManifestVaultHop? {
        guard let spec = stack.vault, stack.secretManifest.entries.contains(where: { $0.vault != nil }) else { return nil }
        return try ManifestVaultHop.open(
            vault: spec, keyFile: settings.vaultKeyFile(declared: spec.keyFile),
            passphrase: settings.vaultPassphrase, logger: settings.logger, calls: settings.vaultCalls)
    }
}
