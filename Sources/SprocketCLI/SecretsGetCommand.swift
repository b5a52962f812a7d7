import ArgumentParser

/// Placeholder registered so that parallel work can fill it in; replaced before release.
struct SecretsGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Print a secret value from the local encrypted store (terminal only unless --force).")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        throw ValidationError("`get` is not built yet")
    }
}
