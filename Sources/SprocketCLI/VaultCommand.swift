import ArgumentParser
import Foundation
import Logging
import SecretPipeline
import SprocketCore
import Vault

/// `sprocketctl vault`: bring up and keep up a HashiCorp Vault (or OpenBao) on its own, against any address.
struct VaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Initialise, unseal, check and watch a Vault; its keys stay in a passphrase-sealed file.",
        discussion: """
            Every subcommand takes --addr (default VAULT_ADDR, else https://127.0.0.1:8200; VAULT_CACERT and \
            VAULT_NAMESPACE are honoured) and --key-file (default SPROCKET_VAULT_KEY_FILE, else \
            ~/.config/sprocketctl/vault/keys). The key file is encrypted (scrypt + AES-256-GCM), mode 0600, and \
            refused inside a git work tree unless git ignores it. Its passphrase is asked for on a terminal (echo \
            off), else read from SPROCKET_VAULT_PASSPHRASE. Keys and tokens are never printed, except by \
            `vault init --show` on a terminal.
            Exit codes: 0 success; 1 failure; 2 `vault status` found Vault sealed or not initialised; 4 (with -f) \
            another run holds the stack environment's lock; 6 (with -f) the command lost that lock to another run.
            """,
        subcommands: [
            VaultInitCommand.self, VaultUnsealCommand.self, VaultStatusCommand.self, VaultWatchCommand.self,
            VaultRenewTokensCommand.self, VaultSnapshotCommand.self,
        ]
    )
}

/// The options every `vault` subcommand takes.
struct VaultOptions: ParsableArguments {
    @Option(name: .customLong("addr"), help: "Vault's address, e.g. https://vault.example.com:8200 (default: VAULT_ADDR).")
    var address: String?

    @Option(name: .customLong("key-file"), help: "The sealed key file (default: SPROCKET_VAULT_KEY_FILE, else ~/.config/sprocketctl/vault/keys).")
    var keyFile: String?

    @Flag(name: .customLong("verbose"), help: "Print debug details on stderr.")
    var verbose = false
}

/// What one `vault` invocation works with: the options, the process environment (read here only), the console.
struct VaultCommandRuntime {
    let options: VaultOptions
    let environment: [String: String]
    let console = Console()
    let logger: Logger
    /// Whether errors are also printed as JSON on stdout.
    let json: Bool

    init(options: VaultOptions, json: Bool) {
        self.options = options
        self.json = json
        environment = ProcessInfo.processInfo.environment
        KnownSecretRegistration.registerEnvironment(environment)
        var logger = Logger(label: "sprocketctl.vault")
        logger.logLevel = options.verbose ? .debug : .warning
        self.logger = logger
    }

    /// Runs a body with a Vault client, shut down afterwards; errors become a message and exit code 1.
    static func run(
        _ options: VaultOptions, json: Bool = false, requestTimeout: Duration = .seconds(30), calls: VaultCallCounter = VaultCallCounter(),
        _ body: (VaultCommandRuntime, VaultClient) async throws -> Void
    ) async throws {
        let runtime = VaultCommandRuntime(options: options, json: json)
        do {
            let client = try VaultClient(
                configuration: try runtime.configuration(requestTimeout: requestTimeout), logger: runtime.logger, calls: calls)
            do {
                try await body(runtime, client)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw runtime.report(error)
        }
    }

    /// Exit code 1, except for a lock held by another run (4) and a lease lost while the command held it (6).
    func report(_ error: any Error) -> ExitCode {
        if json { console.json(ErrorOutput(error: String(describing: error), diagnostics: nil)) }
        console.err("error: \(error)")
        switch (error as? SprocketError)?.code {
        case .locked?: return ExitCode(ExitStatus.locked)
        case .leaseLost?: return ExitCode(ExitStatus.leaseLost)
        default: return ExitCode(ExitStatus.failure)
        }
    }

    /// `VAULT_*` from the environment, with `--addr` taking precedence over `VAULT_ADDR`.
    func configuration(requestTimeout: Duration) throws -> VaultClientConfiguration {
        var configuration = try VaultClientConfiguration.fromEnvironment(environment)
        if let address = options.address {
            configuration = try VaultClientConfiguration(
                address: address, token: configuration.token, caCertificatePath: configuration.caCertificatePath,
                namespace: configuration.namespace, requestTimeout: requestTimeout)
        } else {
            configuration.requestTimeout = requestTimeout
        }
        return configuration
    }

    /// `--key-file`, else `SPROCKET_VAULT_KEY_FILE`, else `~/.config/sprocketctl/vault/keys`; `~` expanded.
    var keyFilePath: String {
        VaultKeyFileLocation.resolve(explicit: options.keyFile, environment: environment)
    }

    var keyFile: VaultKeyFile { VaultKeyFile(path: keyFilePath) }

    var passphrases: VaultPassphraseSource { VaultPassphraseSource(environment: environment) }
}
