/// Draws a ``StackGraph`` as Graphviz DOT: one `cluster_` subgraph per layer in deploy order, shapes by node kind.
///
/// Every identifier is a quoted DOT string (so any name is valid) and the output is sorted, so CI can diff it.
public struct StackGraphDOTRenderer: Sendable {
    public init() {}

    public func render(_ graph: StackGraph) -> String {
        var lines = ["digraph \(Self.quoted(graph.title)) {", "  rankdir=LR;", "  compound=true;",
                     "  node [fontname=\"Helvetica\", fontsize=10];", "  edge [fontname=\"Helvetica\", fontsize=9];"]
        for (index, layer) in graph.layers.enumerated() {
            lines.append("  subgraph \(Self.quoted("cluster_\(index)_\(layer)")) {")
            lines.append("    label=\(Self.quoted("layer \(index + 1): \(layer)"));")
            lines.append("    style=rounded;")
            for node in graph.nodes(in: layer) { lines.append("    " + Self.node(node)) }
            lines.append("  }")
        }
        for node in graph.nodes where node.layer == nil || !graph.layers.contains(node.layer ?? "") {
            lines.append("  " + Self.node(node))
        }
        for edge in graph.edges {
            var attributes = ["style=\(Self.style(edge.kind))"]
            if let label = edge.label { attributes.append("label=\(Self.quoted(label))") }
            lines.append("  \(Self.quoted(edge.from)) -> \(Self.quoted(edge.to)) [\(attributes.joined(separator: ", "))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func node(_ node: StackGraph.Node) -> String {
        "\(quoted(node.id)) [label=\(quoted(node.label)), shape=\(shape(node.kind))];"
    }

    static func shape(_ kind: StackGraph.NodeKind) -> String {
        switch kind {
        case .layer: "tab"
        case .service: "box"
        case .network: "ellipse"
        case .volume: "cylinder"
        case .route: "cds"
        case .secretSource: "note"
        case .vaultPath: "component"
        case .secret: "octagon"
        case .vaultToken: "hexagon"
        case .postgresRole: "cylinder"
        case .s3Bucket: "folder"
        }
    }

    private static func style(_ kind: StackGraph.EdgeKind) -> String {
        switch kind {
        case .needs: "bold"
        case .network: "dotted"
        case .volume, .route: "solid"
        case .secret: "dashed"
        }
    }

    /// A DOT double-quoted string: backslashes and quotes escaped, newlines as `\n`.
    static func quoted(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\r": continue
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    }
}
