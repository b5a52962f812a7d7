/// Draws a ``StackGraph`` as a Mermaid `flowchart`: layers as subgraphs, node ids reduced to `[A-Za-z0-9_]`
/// (made unique with a numeric suffix when two names reduce to the same id), labels quoted.
public struct StackGraphMermaidRenderer: Sendable {
    public init() {}

    public func render(_ graph: StackGraph) -> String {
        let ids = Self.identifiers(for: graph.nodes.map(\.id))
        func id(_ node: String) -> String { ids[node] ?? Self.sanitised(node) }
        var lines = ["flowchart \(graph.direction.rawValue)"]
        for (index, layer) in graph.layers.enumerated() {
            lines.append("  subgraph layer_\(index + 1)[\(Self.label(graph.clusterTitle(layer, index: index)))]")
            for node in graph.nodes(in: layer) { lines.append("    " + Self.node(node, id: id(node.id))) }
            lines.append("  end")
        }
        for node in graph.nodes where node.layer == nil || !graph.layers.contains(node.layer ?? "") {
            lines.append("  " + Self.node(node, id: id(node.id)))
        }
        for edge in graph.edges {
            let arrow = switch edge.kind {
            case .secret: "-.->"
            case .network: "---"
            case .layout: "~~~"
            case .needs, .volume, .route: "-->"
            }
            let label = edge.label.map { "|\(Self.label($0))|" } ?? ""
            lines.append("  \(id(edge.from)) \(arrow)\(label) \(id(edge.to))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func node(_ node: StackGraph.Node, id: String) -> String {
        let text = label(node.label)
        return switch node.kind {
        case .layer: "\(id)[/\(text)/]"
        case .service: "\(id)[\(text)]"
        case .network: "\(id)([\(text)])"
        case .volume, .postgresRole: "\(id)[(\(text))]"
        case .route: "\(id)>\(text)]"
        case .secretSource: "\(id)[/\(text)\\]"
        case .vaultPath: "\(id)(\(text))"
        case .secret: "\(id){{\(text)}}"
        case .vaultToken: "\(id){\(text)}"
        case .s3Bucket: "\(id)[[\(text)]]"
        }
    }

    /// A quoted Mermaid label; `"` becomes `#quot;` (Mermaid's entity), so no label can end the string early.
    static func label(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "\n", with: " ") + "\""
    }

    /// `[A-Za-z0-9_]` only, never starting with a digit, and never a Mermaid keyword (`end`, `graph`, ...).
    static func sanitised(_ id: String) -> String {
        let mapped = String(id.unicodeScalars.map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || (48...57).contains(scalar.value)) ? Character(scalar) : "_"
        })
        return "n_" + mapped
    }

    /// One unique sanitised id per graph id, assigned in sorted order so it is stable.
    public static func identifiers(for ids: [String]) -> [String: String] {
        var result: [String: String] = [:]
        var used: Set<String> = []
        for id in ids.sorted() {
            var candidate = sanitised(id)
            var suffix = 2
            while used.contains(candidate) {
                candidate = "\(sanitised(id))_\(suffix)"
                suffix += 1
            }
            used.insert(candidate)
            result[id] = candidate
        }
        return result
    }
}
