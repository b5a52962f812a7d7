import ArgumentParser
import Foundation
import SprocketCore
import Vault

/// `sprocketctl vault snapshot save|restore FILE`: raft snapshots of Vault's storage, the way to keep a copy of
/// an OpenBao's data off its server (OpenBao has no `s3` storage; docs/openbao.md).
struct VaultSnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Save Vault's raft storage to a file, or restore it from one.",
        discussion: """
            Needs raft storage (OpenBao's default; `vault.server.storage: {raft: …}`) and a root token: VAULT_TOKEN, \
            else the root token from the key file (its passphrase as for `vault unseal`). A snapshot is encrypted by \
            Vault's barrier: only this Vault's unseal keys open it, so keep it apart from the key file. FILE is a \
            path (written with mode 0600, refused inside a git work tree that does not ignore it) or an object URL \
            s3://bucket/key?endpoint=https://fra1.digitaloceanspaces.com&region=fra1 (credentials from \
            AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), which keeps the copy off the server.
            """,
        subcommands: [Save.self, Restore.self])

    struct Save: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "save", abstract: "Write a raft snapshot to FILE.")

        @OptionGroup var options: VaultOptions

        @Argument(help: "Where to write the snapshot (gzip): a file, or s3://bucket/key?endpoint=…&region=…&path_style=true.")
        var file: String

        func run() async throws {
            try await VaultCommandRuntime.run(options, requestTimeout: .seconds(300)) { runtime, client in
                let location = try VaultSnapshotLocation(file, environment: runtime.environment)
                if case .file(let path) = location { try GitWorkTreeGuard().check(path) }
                try runtime.useRootToken(client)
                let snapshot = try await client.saveRaftSnapshot()
                try await location.write(snapshot, environment: runtime.environment)
                runtime.console.out("Saved a raft snapshot of Vault at \(client.configuration.address) to \(location) (\(snapshot.count) bytes).")
            }
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore", abstract: "Restore Vault's raft storage from a snapshot FILE (every secret goes back to then).")

        @OptionGroup var options: VaultOptions

        @Argument(help: "A snapshot written by `vault snapshot save`: a file or an s3:// URL.")
        var file: String

        @Flag(help: "Accept a snapshot of another Vault (its unseal keys are needed afterwards).")
        var force = false

        @OptionGroup var lease: StackLeaseOptions

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let stack = try lease.stack(processEnvironment: environment)
            let calls = VaultCallCounter()
            try await VaultCommandRuntime.run(lease.defaults(for: options, stack: stack), requestTimeout: .seconds(300), calls: calls) { runtime, client in
                let location = try VaultSnapshotLocation(file, environment: runtime.environment)
                let snapshot = try await location.read(environment: runtime.environment)
                try runtime.useRootToken(client)
                let console = runtime.console
                try await lease.holding(
                    stack, command: "vault snapshot restore", calls: calls, processEnvironment: environment, warn: { console.err("warning: \($0)") }
                ) {
                    try await client.restoreRaftSnapshot(snapshot, force: force)
                }
                runtime.console.out("Restored Vault at \(client.configuration.address) from \(location).")
            }
        }
    }
}

extension VaultCommandRuntime {
    /// Gives `client` VAULT_TOKEN when set, else the root token from the key file.
    func useRootToken(_ client: VaultClient) throws {
        if let token = environment["VAULT_TOKEN"], !token.isEmpty { return client.setToken(VaultSecretString(token)) }
        guard keyFile.exists else {
            throw VaultCustodyError.missing(path: keyFilePath)
        }
        let material = try keyFile.load(passphrase: try passphrases.passphrase(for: .keyFile(path: keyFilePath, isNew: false)))
        material.registerForRedaction()
        client.setToken(VaultSecretString(material.rootToken))
    }
}
