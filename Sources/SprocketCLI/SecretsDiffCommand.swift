import ArgumentParser

/// Placeholder registered so that parallel work can fill it in; replaced before release.
struct SecretsDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Show where every hop of each secret stands, by fingerprints.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        throw ValidationError("`diff` is not built yet")
    }
}
