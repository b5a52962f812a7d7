import ArgumentParser

/// Placeholder registered so that parallel work can fill it in; replaced before release.
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "Draw the stack: layers, services, networks, routes and secret flows (DOT, Mermaid, SVG).")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        throw ValidationError("`graph` is not built yet")
    }
}
