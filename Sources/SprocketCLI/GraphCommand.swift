import ArgumentParser
import SprocketCore

/// `sprocketctl graph`: the stack as a picture, from the spec alone (no engine, no secrets).
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Draw the stack: layers, services, routes and secret flows, one view at a time (DOT, Mermaid, SVG, PNG).",
        discussion: """
            --view overview (the default): layers top-down in deploy order, each service with its image, replicas, \
            networks, volumes and the URLs that reach it. --view secrets: each secret from its source (Doppler \
            project/config/name, environment variable, file, generated, external, local, Vault token) through the \
            Vault field a `secrets:` manifest entry is written to, the Docker secret, to the services, PostgreSQL \
            roles and S3 buckets that take it. --view routes: each access profile's URLs and the service each \
            reaches. --view full: everything in one drawing. Values are never read. \
            SVG and PNG need Graphviz (`apt install graphviz`).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dot
        case mermaid
        case svg
        case png
    }

    @OptionGroup var options: GlobalOptions

    @Option(name: .customLong("format"), help: "dot, mermaid, svg or png (svg and png through Graphviz `dot`).")
    var format: Format = .dot

    @Option(name: .customLong("view"), help: "overview, secrets, routes or full.")
    var view: StackGraphView = .overview

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write to this file instead of stdout.")
    var output: String?

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let graph = StackGraphBuilder(stack: try runtime.loadSpec()).build(view)
            let bytes: [UInt8]
            switch format {
            case .dot: bytes = Array(StackGraphDOTRenderer().render(graph).utf8)
            case .mermaid: bytes = Array(StackGraphMermaidRenderer().render(graph).utf8)
            case .svg, .png:
                bytes = try await GraphvizRunner(environment: runtime.environment).render(StackGraphDOTRenderer().render(graph), format: format.rawValue)
            }
            try InventoryOutput.write(bytes, to: output, console: runtime.console)
        }
    }
}

extension StackGraphView: ExpressibleByArgument {}
