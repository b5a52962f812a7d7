/// `environment`, `labels`, `sysctls`, `driver_opts` and `options`: a mapping, or a list of `KEY=VALUE`.
struct KeyValueParser {
    let context: SpecParseContext

    /// One pair with where it is written.
    struct Pair {
        var key: String
        var value: String
        var location: SourceLocation
    }

    /// The pairs in order. In the list form an item without `=` is an error; a `null` value in the
    /// mapping form is an error too, since there is no shell to take it from.
    func pairs(_ node: YAMLNode, for key: String, listAllowed: Bool = true) -> [Pair] {
        if let items = node.sequence {
            guard listAllowed else {
                context.typeError(node, expected: "a mapping", for: key)
                return []
            }
            return items.compactMap { listItem($0, for: key) }
        }
        guard let entries = context.mapping(node, for: key) else { return [] }
        return entries.compactMap { entry in
            guard entry.value.scalar != nil else {
                context.typeError(entry.value, expected: "a string", for: "\(key).\(entry.key)")
                return nil
            }
            if entry.value.isNull {
                context.diagnostics.error(entry.value.location, "`\(entry.key)` in `\(key)` has no value",
                                          hint: "write `\(entry.key): \"\"` for an empty value, or `\(entry.key): ${setting}`")
                return nil
            }
            guard let value = context.string(entry.value, for: "\(key).\(entry.key)") else { return nil }
            return Pair(key: entry.key, value: value, location: entry.keyLocation)
        }
    }

    /// The pairs as a dictionary; a key repeated in the list form is reported (the mapping form's
    /// repeated keys are reported by ``SpecParseContext/mapping(_:for:)``).
    func dictionary(_ node: YAMLNode, for key: String, listAllowed: Bool = true) -> [String: String] {
        let pairs = pairs(node, for: key, listAllowed: listAllowed)
        for (pair, first) in SpecRepeats.find(in: pairs, key: \.key) {
            context.diagnostics.error(pair.location, "duplicate key `\(pair.key)` in `\(key)`",
                                      hint: "`\(pair.key)` is already set at line \(first.location.line); keep one of them")
        }
        return Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Environment variables in declaration order; repeated names are left for the validator, which
    /// checks them for every spec, loaded or built in code.
    func environment(_ node: YAMLNode) -> [EnvironmentVariable] {
        pairs(node, for: "environment").map { EnvironmentVariable(name: $0.key, value: $0.value, location: $0.location) }
    }

    private func listItem(_ item: YAMLNode, for key: String) -> Pair? {
        guard let text = context.string(item, for: key) else { return nil }
        guard let equals = text.firstIndex(of: "=") else {
            context.diagnostics.error(item.location, "`\(text)` in `\(key)` has no `=`",
                                      hint: "write `\(text)=value`, or use the mapping form `\(text): value`")
            return nil
        }
        return Pair(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]), location: item.location)
    }
}
