import ArgumentParser

/// Placeholder registered so that parallel work can fill it in; replaced before release.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node", abstract: "Prepare a node: swarm init or join, labels, directories, daemon log limits, preflight checks.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        throw ValidationError("`node` is not built yet")
    }
}
