/// Draws a ``StackGraph`` as Graphviz DOT: one `cluster_` subgraph per layer in deploy order, shapes by node kind.
///
/// Every identifier is a quoted DOT string (so any name is valid) and the output is sorted, so CI can diff it.
public struct StackGraphDOTRenderer: Sendable {
    public init() {}

    public func render(_ graph: StackGraph) -> String {
        var lines = ["digraph \(Self.quoted(graph.title)) {", "  rankdir=\(graph.direction.rawValue);", "  compound=true;",
                     "  node [fontname=\"Helvetica\", fontsize=10];", "  edge [fontname=\"Helvetica\", fontsize=9];"]
        if graph.concentratesEdges { lines.append("  concentrate=true;") }
        if let separation = graph.nodeSeparation { lines.append("  nodesep=\(separation);") }
        let clusters = Dictionary(graph.layers.enumerated().map { ($1, "cluster_\($0)_\($1)") }, uniquingKeysWith: { first, _ in first })
        let anchors = Dictionary(graph.nodes.filter(\.isAnchor).map { ($0.id, $0.layer) }, uniquingKeysWith: { first, _ in first })
        for (index, layer) in graph.layers.enumerated() {
            lines.append("  subgraph \(Self.quoted(clusters[layer] ?? "cluster_\(index)_\(layer)")) {")
            lines.append("    label=\(Self.quoted(graph.clusterTitle(layer, index: index)));")
            lines.append("    style=rounded;")
            for node in graph.nodes(in: layer) { lines.append("    " + Self.node(node)) }
            lines.append("  }")
        }
        for node in graph.nodes where node.layer == nil || !graph.layers.contains(node.layer ?? "") {
            lines.append("  " + Self.node(node))
        }
        for edge in graph.edges {
            var attributes = ["style=\(Self.style(edge.kind))"]
            if edge.kind == .layout { attributes.append("weight=10") }
            // An edge between two anchors is drawn from cluster to cluster.
            if let from = anchors[edge.from].flatMap({ $0 }).flatMap({ clusters[$0] }),
                let to = anchors[edge.to].flatMap({ $0 }).flatMap({ clusters[$0] }), from != to {
                attributes += ["ltail=\(Self.quoted(from))", "lhead=\(Self.quoted(to))"]
            }
            if let label = edge.label { attributes.append("label=\(Self.quoted(label))") }
            lines.append("  \(Self.quoted(edge.from)) -> \(Self.quoted(edge.to)) [\(attributes.joined(separator: ", "))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func node(_ node: StackGraph.Node) -> String {
        if node.isAnchor { return "\(quoted(node.id)) [label=\"\", shape=point, style=invis, width=0, height=0];" }
        let style = node.kind == .secret ? ", style=rounded" : ""
        return "\(quoted(node.id)) [label=\(quoted(node.label)), shape=\(shape(node.kind))\(style)];"
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
        case .secret: "box"
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
        case .layout: "invis"
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
