import ArgumentParser
import Foundation
import SprocketCore
import Vault

/// `secrets sync`: reads every manifest secret from its source, provisions Vault, and keeps the value the Docker
/// secret is created from. The Docker secrets and the consuming services follow at the next `up` (which syncs
/// first itself); `sync` alone never touches Docker.
struct SecretsSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Move secrets from their source through Vault into the values `up` deploys as Docker secrets.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let stack = try runtime.loadSpec()
            guard !stack.secretManifest.isEmpty else {
                runtime.console.err("secrets sync: the stack has no `secrets:` manifest")
                return
            }
            // The stack environment's lease (on S3 with S3 state), as `up` holds it: every Vault write is fenced by it.
            let identity = StackIdentity(stack: stack.name, environment: stack.environment)
            var reports: [SecretManifestSyncer.Report] = []
            try await runtime.withDeployment(sharingSealedStoreOf: identity, writesSealedStore: true) { deployment, _ in
                try await deployment.withRunLease(identity, command: "secrets sync") { lease in
                    runtime.vaultCalls.fenceWrites { operation in try await lease.check(before: operation) }
                    reports = try await ManifestSync(runtime: runtime, lease: lease).run(stack, command: "secrets sync")
                }
            }
            for report in reports {
                if options.json { runtime.console.json(report) } else { runtime.console.out(SecretSyncLine.describe(report)) }
            }
        }
    }
}

/// One sync of a stack's manifest under its state lock: sources first, then Vault (when the stack has one and is
/// reachable with the key file's root token), then the sealed store.
struct ManifestSync {
    var runtime: CommandRuntime
    /// The lease of the run this sync is part of (`up`), which already holds the lock; nil: the sync takes it.
    var lease: (any StateLease)?

    /// Reads the sources, then syncs.
    func run(_ stack: StackSpec, command: String) async throws -> [SecretManifestSyncer.Report] {
        try await apply(stack, sourceValues: try await readSources(stack), command: command)
    }

    /// Every source value (Doppler, environment, files); throws before anything is written.
    func readSources(_ stack: StackSpec) async throws -> [String: SensitiveBytes] {
        try await ManifestSourceReader(runtime: runtime, stack: stack).read(stack.secretManifest)
    }

    /// Vault, then the sealed store, from source values already read.
    func apply(_ stack: StackSpec, sourceValues: [String: SensitiveBytes], command: String) async throws -> [SecretManifestSyncer.Report] {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        let lock = lease == nil ? try StateLock.acquire(directory: runtime.store(for: identity).directory, command: "\(command) (manifest secrets)") : nil
        defer { lock?.release() }
        try await lease?.check(before: "syncing the manifest's secrets")
        let key = try SecretKey.loadOrCreate(at: runtime.keyFilePath)
        let store = try SealedSecretStore(path: runtime.store(for: identity).sealedSecretsPath, key: key, identity: identity)
        let vault = try Self.vaultHop(for: stack, runtime: runtime)
        do {
            let reports = try await SecretManifestSyncer(manifest: stack.secretManifest, vault: vault, store: store, key: key)
                .sync(sourceValues: sourceValues)
            await vault?.close()
            return reports
        } catch {
            await vault?.close()
            throw error
        }
    }

    /// A Vault client with the root token when the stack has Vault and an entry is provisioned to it; else nil.
    static func vaultHop(for stack: StackSpec, runtime: CommandRuntime) throws -> ManifestVaultHop? {
        guard let spec = stack.vault, stack.secretManifest.entries.contains(where: { $0.vault != nil }) else { return nil }
        return try ManifestVaultHop.open(
            vault: spec, keyFile: runtime.vaultKeyFile(declared: spec.keyFile),
            passphrase: runtime.environment["SPROCKET_VAULT_PASSPHRASE"], logger: runtime.logger, calls: runtime.vaultCalls)
    }
}
