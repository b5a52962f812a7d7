import ArgumentParser

/// Placeholder registered so that parallel work can fill it in; replaced before release.
struct SecretsSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "Move secrets from their source through Vault into Docker secrets and roll their consumers.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        throw ValidationError("`sync` is not built yet")
    }
}
