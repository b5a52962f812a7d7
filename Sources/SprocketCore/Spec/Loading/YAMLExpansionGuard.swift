import Yams

/// Bounds what a composed YAML document grows to once its aliases (`*name`) are expanded, before anything is
/// built from it.
///
/// Yams shares an anchored node with every alias to it, so composing stays small; the cost comes when the tree
/// is walked. Nine lists of nine aliases to the list before (the "billion laughs" shape, under 1 KB) stand for
/// 9^9 values: converting them ran for minutes and took gigabytes. The guard counts the values aliases stand
/// for, stopping at a limit no real spec comes near (a spec merging `<<: *defaults` into thousands of services
/// stays far below it), and bounds the nesting, which aliases can deepen beyond what the parser allows in text,
/// so the recursive walks of the loader (`YAMLReader.swift`) stay within the stack.
struct YAMLExpansionGuard {
    /// Values that aliases may add to one file.
    static let maximumAliasValues = 1_000_000
    /// Nesting levels a file may reach, aliases expanded.
    static let maximumDepth = 256

    enum Violation: Equatable {
        /// Aliases stand for more than ``maximumAliasValues``; the mark is where the alias that crossed it is used.
        case aliasValues(at: Mark?)
        /// Nesting deeper than ``maximumDepth``, at the first node too deep.
        case depth(at: Mark?)
    }

    private var aliasValues = 0

    /// The first limit `root` crosses, or nil.
    static func check(_ root: Node) -> Violation? {
        var guardState = YAMLExpansionGuard()
        return guardState.visit(root, parent: nil, depth: 1, aliasUse: nil)
    }

    /// - Parameter aliasUse: where the outermost alias on the path to `node` is used; nil outside any alias.
    private mutating func visit(_ node: Node, parent: Mark?, depth: Int, aliasUse: Mark?) -> Violation? {
        guard depth <= Self.maximumDepth else { return .depth(at: node.mark) }
        var aliasUse = aliasUse
        // An anchor comes before its aliases, so a node that starts before its parent got there through an alias
        // written inside that parent: it and everything below it are copies.
        if aliasUse == nil, let parent, let mark = node.mark, Self.precedes(mark, parent) {
            aliasUse = parent
        }
        if aliasUse != nil {
            aliasValues += 1
            if aliasValues > Self.maximumAliasValues { return .aliasValues(at: aliasUse) }
        }
        switch node {
        case .scalar, .alias:
            return nil
        case .sequence(let sequence):
            for item in sequence {
                if let violation = visit(item, parent: node.mark, depth: depth + 1, aliasUse: aliasUse) { return violation }
            }
        case .mapping(let mapping):
            for (key, value) in mapping {
                if let violation = visit(key, parent: node.mark, depth: depth + 1, aliasUse: aliasUse) { return violation }
                // A value is written after its key, so a written key places an alias value on its own line.
                let written = key.mark.flatMap { keyMark in node.mark.map { Self.precedes(keyMark, $0) } == true ? nil : keyMark }
                if let violation = visit(value, parent: written ?? node.mark, depth: depth + 1, aliasUse: aliasUse) { return violation }
            }
        }
        return nil
    }

    private static func precedes(_ mark: Mark, _ other: Mark) -> Bool {
        (mark.line, mark.column) < (other.line, other.column)
    }
}
