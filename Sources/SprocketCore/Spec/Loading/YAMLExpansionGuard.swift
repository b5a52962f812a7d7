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

    enum Violation {
        /// Aliases stand for more than ``maximumAliasValues``; the mark is where the alias that crossed it is used.
        case aliasValues(at: Mark?)
        /// Nesting deeper than ``maximumDepth``, at the first node too deep.
        case depth(at: Mark?)
    }

    private var aliasValues = 0

    /// Stands for `*` in the copy that ``aliasKey(in:)`` composes: a private-use scalar, one column wide like `*`,
    /// apart from the ones `YAMLReader` renames duplicate keys with (U+E000 onwards).
    private static let aliasMarker: Unicode.Scalar = "\u{F8FF}"

    /// Where a mapping key is (or holds) an alias, found before Yams composes `text`.
    ///
    /// Yams hashes every mapping key while composing, to find duplicates, and a key that is an alias is hashed
    /// with all it stands for, resolving the tag of each scalar on the way: an alias bomb used as a key would run
    /// before ``check(_:)`` sees the tree. So a copy in which `*` is plain text (nothing to expand) is composed
    /// first, and its keys are looked at. Keys are plain strings in a spec anyway.
    /// - Throws: what Yams throws for the copy: syntax errors and duplicate keys, at the same positions as in `text`.
    static func aliasKey(in text: String) throws -> Mark? {
        guard text.unicodeScalars.contains("*") else { return nil }
        let literal = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "*" ? aliasMarker : $0 }))
        do {
            guard let root = try Yams.compose(yaml: literal, .default, .default, .utf8) else { return nil }
            return firstAliasKey(in: root)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context)
            where duplicates.contains(where: { $0.unicodeScalars.first == aliasMarker }) {
            // The same alias twice as a key: report the alias, not a duplicate named with the marker.
            return context.mark
        }
    }

    private static func firstAliasKey(in node: Node) -> Mark? {
        switch node {
        case .scalar, .alias:
            return nil
        case .sequence(let sequence):
            return sequence.lazy.compactMap { firstAliasKey(in: $0) }.first
        case .mapping(let mapping):
            for (key, value) in mapping {
                if holdsAlias(key) { return key.mark }
                if let mark = firstAliasKey(in: value) { return mark }
            }
            return nil
        }
    }

    /// Whether `node` of the copy is, or contains, an alias (now a plain scalar starting with the marker).
    private static func holdsAlias(_ node: Node) -> Bool {
        switch node {
        case .scalar(let scalar): scalar.style == .plain && scalar.string.unicodeScalars.first == aliasMarker
        case .alias: true
        case .sequence(let sequence): sequence.contains { holdsAlias($0) }
        case .mapping(let mapping): mapping.contains { holdsAlias($0.key) || holdsAlias($0.value) }
        }
    }

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
