import ArgumentParser

/// Placeholder registered so that parallel work can fill it in; replaced before release.
struct SecretsSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Store a secret value in the local encrypted store.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        throw ValidationError("`set` is not built yet")
    }
}
