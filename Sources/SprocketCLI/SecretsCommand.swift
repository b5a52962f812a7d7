import ArgumentParser

/// `sprocketctl secrets`: the local encrypted store, and the pipeline from a secret's source through Vault into
/// the Docker secrets its consumers mount.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Secrets: the local encrypted store, and source -> Vault -> Docker secrets, with fingerprints.",
        subcommands: [
            SecretsSetCommand.self, SecretsGetCommand.self, SecretsListCommand.self, SecretsImportEnvCommand.self,
            SecretsSyncCommand.self, SecretsDiffCommand.self,
        ])
}
