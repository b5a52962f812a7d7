import ArgumentParser

/// Placeholder registered so that parallel work can fill it in; replaced before release.
struct DocsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "docs", abstract: "Generate an operator's inventory of the stack from the spec.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        throw ValidationError("`docs` is not built yet")
    }
}
