import ArgumentParser
import Foundation
import Vault

/// `sprocketctl vault unseal`: from the key file, from custodians' share files, or share by share at a prompt.
struct VaultUnsealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unseal",
        abstract: "Unseal Vault with the key file, with share files, or with shares typed in one at a time.",
        discussion: """
            Without options the shares come from the key file. --share-file (repeatable) reads custodians' share \
            files written by `vault init --separate-shares` (each asks for its passphrase on a terminal, else \
            SPROCKET_VAULT_SHARE_PASSPHRASE_<i> for the i-th file given). --prompt asks for shares on the terminal, \
            echo off, until Vault is unsealed. An unsealed Vault is left alone.
            """)

    @OptionGroup var options: VaultOptions

    @Option(name: .customLong("share-file"), help: "A share file from `vault init --separate-shares` (repeat for each).")
    var shareFiles: [String] = []

    @Flag(help: "Type the unseal key shares in, one at a time (needs a terminal).")
    var prompt = false

    @Flag(help: "Forget the shares submitted so far before starting.")
    var reset = false

    func run() async throws {
        try await VaultCommandRuntime.run(options) { runtime, client in
            let address = client.configuration.address
            let unsealer = VaultUnsealer(client: client)
            if reset { try await unsealer.reset() }
            let before = try await client.sealStatus()
            guard before.initialized else { throw VaultClientError.notInitialized(method: "GET", path: "sys/seal-status") }
            guard before.sealed else {
                runtime.console.out("Vault at \(address) is already unsealed.")
                return
            }
            if prompt {
                try await Self.unsealByPrompt(unsealer, status: before, runtime: runtime)
            } else if !shareFiles.isEmpty {
                try await unsealFromShareFiles(unsealer, runtime: runtime)
            } else {
                // Sealed and no key file: the recovery options, never a guess (and never a second init).
                guard runtime.keyFile.exists else {
                    throw VaultBootstrapError.keysMissing(
                        address: address, keyFile: runtime.keyFilePath, threshold: before.threshold, shares: before.shares)
                }
                let material = try runtime.keyFile.load(
                    passphrase: try runtime.passphrases.passphrase(for: .keyFile(path: runtime.keyFilePath, isNew: false)))
                material.registerForRedaction()
                try await unsealer.unseal(with: material, keyFile: runtime.keyFilePath)
            }
            let after = try await client.sealStatus()
            guard !after.sealed else {
                throw VaultBootstrapError.stillSealed(address: address, progress: after.progress, threshold: after.threshold)
            }
            runtime.console.out("Vault at \(address) is unsealed.")
        }
    }

    private func unsealFromShareFiles(_ unsealer: VaultUnsealer, runtime: VaultCommandRuntime) async throws {
        for (index, path) in shareFiles.enumerated() {
            let passphrase = try runtime.passphrases.passphrase(for: .share(path: path, index: index + 1, count: shareFiles.count))
            let share = try VaultKeyFile.loadShare(at: path, passphrase: passphrase)
            switch try await unsealer.submit(share: VaultSecretString(share)) {
            case .unsealed: return
            case .progress(let progress, let threshold):
                runtime.console.err("share \(index + 1) accepted: \(progress) of \(threshold)")
            }
        }
    }

    private static func unsealByPrompt(_ unsealer: VaultUnsealer, status: VaultSealStatus, runtime: VaultCommandRuntime) async throws {
        guard runtime.passphrases.canPrompt else { throw VaultInputError.needsTerminal(what: "--prompt") }
        var progress = status.progress
        while true {
            guard let share = TerminalPrompt.readSecret("Unseal key share (\(progress + 1) of \(status.threshold)): "),
                !share.isEmpty
            else { return }
            switch try await unsealer.submit(share: VaultSecretString(share.trimmingCharacters(in: .whitespaces))) {
            case .unsealed: return
            case .progress(let now, _): progress = now
            }
        }
    }
}
