import ArgumentParser
import Foundation
import SprocketCore
import Vault
#if canImport(Glibc)
import Glibc
#endif

/// `sprocketctl vault init`: the idempotent bootstrap (init when needed, keys kept, unsealed).
struct VaultInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Initialise Vault if it is not, keep its keys in the sealed key file, and unseal it.",
        discussion: """
            Safe to run again: an initialised Vault is only unsealed (with the key file), never initialised twice. \
            If Vault is initialised but the key file is missing, the command stops and lists the recovery options. \
            The key file location is checked before anything is sent to Vault. With --separate-shares each share \
            goes to its own file (<key file>.share-<i>-of-<n>) under its own passphrase (on a terminal you are \
            asked for each; else SPROCKET_VAULT_SHARE_PASSPHRASE_<i>) and the key file keeps only the root token. \
            With -f, the stack environment's lease is held throughout (as `up` holds it) and every write to Vault is \
            checked against it; a run that lost it stops with exit code 6 and writes nothing more.
            """)

    @OptionGroup var options: VaultOptions

    @OptionGroup var lease: StackLeaseOptions

    @Option(help: "Unseal key shares to create.")
    var shares = 5

    @Option(help: "Shares needed to unseal.")
    var threshold = 3

    @Flag(help: "One sealed file per share, for separate custodians.")
    var separateShares = false

    @Flag(help: "Print the unseal keys and the root token (only when stdout is a terminal).")
    var show = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let stack = try lease.stack(processEnvironment: environment)
        let calls = VaultCallCounter()
        try await VaultCommandRuntime.run(lease.defaults(for: options, stack: stack), calls: calls) { runtime, client in
            if show && isatty(STDOUT_FILENO) != 1 { throw VaultInputError.showNeedsTerminal }
            let bootstrap = VaultBootstrap(client: client, keyFile: runtime.keyFile, passphrase: runtime.passphrases.provider)
            let console = runtime.console
            let report = try await lease.holding(
                stack, command: "vault init", calls: calls, processEnvironment: environment, warn: { console.err("warning: \($0)") }
            ) {
                try await bootstrap.run(.init(shares: shares, threshold: threshold, separateShares: separateShares))
            }
            let address = client.configuration.address
            let unsealed = report.status.sealed ? "still sealed" : "unsealed"
            switch report.outcome {
            case .initialized(let files):
                runtime.console.out(
                    "Vault at \(address): initialised with \(shares) key shares (threshold \(threshold)), \(unsealed).")
                runtime.console.out("Keys saved (encrypted, mode 0600) to:")
                for file in files { runtime.console.out("  \(file)") }
                runtime.console.out(
                    "Back up the key file and keep its passphrase apart from it: without them a sealed Vault cannot be opened.")
            case .alreadyInitialized(let unsealedNow):
                runtime.console.out(
                    "Vault at \(address): already initialised; keys in \(runtime.keyFilePath); "
                        + (unsealedNow ? "unsealed now." : "\(unsealed), nothing to do."))
            }
            if show { Self.printSecrets(report.material, console: runtime.console) }
        }
    }

    /// The only place keys and the token are printed: `--show` on a terminal.
    static func printSecrets(_ material: VaultKeyMaterial, console: Console) {
        for (index, key) in material.unsealKeys.enumerated() {
            console.out("Unseal key \(index + 1): \(key)")
        }
        if !material.rootToken.isEmpty { console.out("Root token: \(material.rootToken)") }
    }
}
