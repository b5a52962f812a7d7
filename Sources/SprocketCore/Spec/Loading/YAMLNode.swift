/// A YAML value with the position it was written at.
///
/// The loader converts Yams' `Node` into this small value type once, so that every parser works on
/// plain `Sendable` Swift values, mapping keys are already strings, merge keys (`<<`) are applied and
/// duplicate keys are kept (Yams would refuse the whole document) for the parsers to report.
struct YAMLNode: Sendable, Hashable {
    enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLEntry])
    }

    var content: Content
    var location: SourceLocation

    var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    var mapping: [YAMLEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// True for an empty plain value, `~` or `null`: YAML's way of writing "nothing".
    var isNull: Bool { scalar?.isNull ?? false }

    /// How the value reads in a type error: "expected an integer for `replicas`, found a mapping".
    var kindDescription: String {
        switch content {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): scalar.isNull ? "nothing" : "`\(scalar.text)`"
        }
    }
}

/// A scalar's text and how it was written; quoting matters for column arithmetic and typing.
struct YAMLScalar: Sendable, Hashable {
    enum Style: Sendable, Hashable {
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }

    var text: String
    var style: Style
    /// How many columns after the node's start the text begins when it is written verbatim on one line
    /// (0 for plain, 1 for quoted without escapes); nil when folding or escapes make columns unknowable.
    var verbatimOffset: Int? = nil

    var isNull: Bool {
        style == .plain && ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// A plain `true`/`false` (YAML 1.2 core schema; `yes`/`no` stay strings, as in Compose).
    var plainBoolean: Bool? {
        guard style == .plain else { return nil }
        return ScalarParsers.boolean(text)
    }

    /// A plain decimal integer.
    var plainInteger: Int? {
        guard style == .plain else { return nil }
        return ScalarParsers.integer(text)
    }
}

/// One `key: value` pair of a mapping.
struct YAMLEntry: Sendable, Hashable {
    var key: String
    var keyLocation: SourceLocation
    var value: YAMLNode
}
