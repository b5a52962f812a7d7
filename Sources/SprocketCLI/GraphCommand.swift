import ArgumentParser
import SprocketCore

/// `sprocketctl graph`: the stack as a picture, from the spec alone (no engine, no secrets).
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Draw the stack: layers, services, networks, routes and secret flows (DOT, Mermaid, SVG).",
        discussion: """
            Layers are clusters in deploy order; routes are drawn per access profile; secrets are drawn from their \
            source (Doppler project/config/name, environment variable, file, generated, external, local, Vault token) \
            through the Vault field a `secrets:` manifest entry is written to, to the services that mount them and \
            the PostgreSQL roles and S3 buckets that take them as credentials; each secret's label names its source. \
            Values are never read. \
            SVG needs Graphviz (`apt install graphviz`).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dot
        case mermaid
        case svg
    }

    @OptionGroup var options: GlobalOptions

    @Option(name: .customLong("format"), help: "dot, mermaid or svg (svg through Graphviz `dot`).")
    var format: Format = .dot

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write to this file instead of stdout.")
    var output: String?

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let graph = StackGraphBuilder(stack: try runtime.loadSpec()).build()
            let bytes: [UInt8]
            switch format {
            case .dot: bytes = Array(StackGraphDOTRenderer().render(graph).utf8)
            case .mermaid: bytes = Array(StackGraphMermaidRenderer().render(graph).utf8)
            case .svg: bytes = try await GraphvizRunner(environment: runtime.environment).svg(fromDOT: StackGraphDOTRenderer().render(graph))
            }
            try InventoryOutput.write(bytes, to: output, console: runtime.console)
        }
    }
}
