/// A small structural reader of the DOT that ``StackGraphDOTRenderer`` writes: quoted ids, `subgraph` blocks,
/// node and edge statements. Enough to check the output is well formed without Graphviz.
struct DOTStructure {
    var nodes: Set<String> = []
    var edges: [(String, String)] = []
    var clusters: [String] = []
    var problems: [String] = []

    init(_ text: String) {
        var depth = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        for (number, line) in lines.enumerated() {
            if line.hasPrefix("digraph ") || line.hasPrefix("subgraph ") {
                guard line.hasSuffix("{") else { problems.append("line \(number + 1): block without {"); continue }
                depth += 1
                if line.hasPrefix("subgraph "), let name = Self.quotedStrings(line).first { clusters.append(name) }
            } else if line == "}" {
                depth -= 1
                if depth < 0 { problems.append("line \(number + 1): unbalanced }") }
            } else if !line.hasSuffix(";") {
                problems.append("line \(number + 1): statement without ;: \(line)")
            } else if line.contains(" -> ") {
                let quoted = Self.quotedStrings(line)
                guard quoted.count >= 2 else { problems.append("line \(number + 1): edge without two ids"); continue }
                edges.append((quoted[0], quoted[1]))
            } else if line.hasPrefix("\"") {
                if let id = Self.quotedStrings(line).first { nodes.insert(id) }
            }
        }
        if depth != 0 { problems.append("unbalanced braces: depth \(depth) at the end") }
        for (from, to) in edges where !nodes.contains(from) || !nodes.contains(to) {
            problems.append("edge \(from) -> \(to) names an undeclared node")
        }
    }

    /// The double-quoted strings of a line, unescaped; an unterminated string is reported by leaving it out.
    static func quotedStrings(_ line: String) -> [String] {
        var result: [String] = []
        var current: String?
        var escaping = false
        for character in line {
            guard var text = current else {
                if character == "\"" { current = "" }
                continue
            }
            if escaping {
                text.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                result.append(text)
                current = nil
                continue
            } else {
                text.append(character)
            }
            current = text
        }
        return result
    }
}
