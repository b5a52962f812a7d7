import ArgumentParser

/// Placeholder registered so that parallel work can fill it in; replaced before release.
struct SecretsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the secrets of the local encrypted store (names and fingerprints, never values).")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        throw ValidationError("`list` is not built yet")
    }
}
