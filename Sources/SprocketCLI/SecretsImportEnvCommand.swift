import ArgumentParser

/// Placeholder registered so that parallel work can fill it in; replaced before release.
struct SecretsImportEnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-env", abstract: "Import a .env file into the local encrypted store, strictly parsed.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        throw ValidationError("`import-env` is not built yet")
    }
}
