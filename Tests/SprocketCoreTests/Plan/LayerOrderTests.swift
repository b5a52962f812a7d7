import Foundation
import SprocketCore
import Testing

/// Layers as `name: needs` text, e.g. `["app: data", "data: edge", "edge:"]`.
struct LayerGraph: Sendable, CustomTestStringConvertible {
    let text: [String]
    let expected: [String]

    var layers: [(name: String, needs: [String])] {
        text.map { entry in
            let parts = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let needs = parts.count > 1 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
            return (String(parts[0]), needs.filter { !$0.isEmpty })
        }
    }

    var testDescription: String { text.joined(separator: "; ") }
}

@Suite("LayerOrder")
struct LayerOrderTests {
    static let graphs = [
        LayerGraph(text: ["a:"], expected: ["a"]),
        LayerGraph(text: ["a:", "b:", "c:"], expected: ["a", "b", "c"]),
        LayerGraph(text: ["app: data", "data: edge", "edge:"], expected: ["edge", "data", "app"]),
        LayerGraph(text: ["x: base", "y: base", "base:"], expected: ["base", "x", "y"]),
        LayerGraph(text: ["app: data, edge", "edge:", "data: edge"], expected: ["edge", "data", "app"]),
        LayerGraph(text: ["a: ghost"], expected: ["a"]),
        LayerGraph(text: ["c:", "a: b", "b: a"], expected: ["c", "a", "b"]),
        LayerGraph(text: ["a: b", "b: a", "c:"], expected: ["c", "a", "b"]),
        LayerGraph(text: ["a: b", "b: a", "c: a"], expected: ["a", "b", "c"]),
    ]

    @Test("every layer comes after the layers it needs; ties, unknown needs and cycles keep file order", arguments: graphs)
    func order(_ graph: LayerGraph) {
        #expect(LayerOrder.sorted(graph.layers) == graph.expected)
    }

    @Test("no layer is lost or duplicated", arguments: graphs)
    func keepsEveryLayer(_ graph: LayerGraph) {
        #expect(LayerOrder.sorted(graph.layers).sorted() == graph.layers.map(\.name).sorted())
    }
}
