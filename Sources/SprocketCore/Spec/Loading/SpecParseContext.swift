/// The shared state of one load (diagnostics, interpolation, Compose mode) and the typed readers every
/// parser uses. Each reader reports a wrong shape or value where it is written and returns nil, so
/// parsing always continues with the next key.
final class SpecParseContext {
    let diagnostics: SpecDiagnosticCollector
    var interpolator: Interpolator
    /// Plain Compose files allow a few Compose-only conveniences (bare-second durations).
    let isCompose: Bool

    init(diagnostics: SpecDiagnosticCollector, interpolator: Interpolator, isCompose: Bool) {
        self.diagnostics = diagnostics
        self.interpolator = interpolator
        self.isCompose = isCompose
    }

    // MARK: - Shapes

    /// The entries of a mapping, first occurrence of each key, in order; `null` is an empty mapping.
    /// Repeated keys are reported at the repetition.
    func mapping(_ node: YAMLNode, for key: String) -> [YAMLEntry]? {
        mapping(node, described: "`\(key)`")
    }

    /// ``mapping(_:for:)`` with the mapping already described for messages (`service `web``).
    private func mapping(_ node: YAMLNode, described: String) -> [YAMLEntry]? {
        if node.isNull { return [] }
        guard let entries = node.mapping else {
            diagnostics.error(node.location, "expected a mapping for \(described), found \(node.kindDescription)",
                              hint: "write a mapping of `key: value` lines here; docs/spec.md shows its keys")
            return nil
        }
        let repeats = SpecRepeats.find(in: entries, key: \.key)
        for (entry, first) in repeats {
            diagnostics.error(entry.keyLocation, "duplicate key `\(entry.key)` in \(described)",
                              hint: "`\(entry.key)` is already set at line \(first.keyLocation.line); keep one of them")
        }
        let repeated = Set(repeats.map(\.item.keyLocation))
        return entries.filter { !repeated.contains($0.keyLocation) }
    }

    /// A mapping with a fixed set of keys. Unknown keys are errors with a suggestion; keys in
    /// `unsupported` are warnings with their hint; `x-*` extension keys and `ignored` keys are skipped.
    func fields(
        _ node: YAMLNode, of what: String, known: [String], ignored: Set<String> = [],
        unsupported: [String: UnsupportedComposeKey] = [:]
    ) -> SpecFields? {
        guard let entries = mapping(node, described: what) else { return nil }
        var fields = SpecFields(location: node.location)
        for entry in entries {
            if known.contains(entry.key) {
                fields.entries[entry.key] = entry
            } else if entry.key.hasPrefix("x-") || ignored.contains(entry.key) {
                continue
            } else if let unsupportedKey = unsupported[entry.key] {
                diagnostics.warning(entry.keyLocation, "`\(entry.key)` in \(what) is ignored: \(unsupportedKey.reason)",
                                    hint: unsupportedKey.hint)
            } else {
                let fallback = known.count <= 12
                    ? "known keys: \(known.map { "`\($0)`" }.joined(separator: ", "))"
                    : "remove it; docs/spec.md lists the supported keys"
                diagnostics.error(entry.keyLocation, "unknown key `\(entry.key)` in \(what)",
                                  hint: SpecSuggestions.hint(for: entry.key, in: known, otherwise: fallback))
            }
        }
        return fields
    }

    /// The items of a list; `null` is an empty list.
    func list(_ node: YAMLNode, for key: String) -> [YAMLNode]? {
        if node.isNull { return [] }
        guard let items = node.sequence else {
            typeError(node, expected: "a list", for: key)
            return nil
        }
        return items
    }

    func typeError(_ node: YAMLNode, expected: String, for key: String, hint: String? = nil) {
        diagnostics.error(node.location, "expected \(expected) for `\(key)`, found \(node.kindDescription)",
                          hint: hint ?? "write \(expected) here; docs/spec.md shows the form of each key")
    }

    // MARK: - Scalars

    /// A scalar's text after `${}` interpolation. Numbers and booleans are accepted as their text.
    func string(_ node: YAMLNode, for key: String) -> String? {
        guard let scalar = node.scalar, !scalar.isNull else {
            typeError(node, expected: "a string", for: key)
            return nil
        }
        return interpolator.interpolate(scalar, at: node.location, diagnostics: diagnostics)
    }

    /// A scalar's text without interpolation, for the keys read before settings exist (`stack:`,
    /// `default_environment:`, Compose `name:`); a `${` there is reported, since it cannot resolve.
    func literal(_ node: YAMLNode, for key: String) -> String? {
        guard let scalar = node.scalar, !scalar.isNull else {
            typeError(node, expected: "a string", for: key)
            return nil
        }
        if scalar.text.contains("${") {
            diagnostics.error(node.location, "`\(key)` cannot use `${...}`",
                              hint: "settings are resolved after `\(key)` is read; write the value literally")
        }
        return scalar.text
    }

    /// A string, or nil without a report when the node is absent.
    func optionalString(_ node: YAMLNode?, for key: String) -> String? {
        node.flatMap { string($0, for: key) }
    }

    /// A typed scalar: interpolated, then parsed; a parse problem is reported at the scalar, naming `key`.
    func value<T>(_ node: YAMLNode, for key: String, expected: String, _ parse: (String) -> Result<T, SpecValueProblem>) -> T? {
        guard node.scalar != nil, !node.isNull else {
            typeError(node, expected: expected, for: key)
            return nil
        }
        guard let text = string(node, for: key) else { return nil }
        switch parse(text) {
        case .success(let value):
            return value
        case .failure(let problem):
            diagnostics.error(node.location, "\(problem.message) for `\(key)`", hint: problem.hint)
            return nil
        }
    }

    func integer(_ node: YAMLNode, for key: String) -> Int? {
        value(node, for: key, expected: "an integer") { text in
            ScalarParsers.integer(text).map { .success($0) }
                ?? .failure(SpecValueProblem(message: "expected an integer, found `\(text)`", hint: "write a whole number, e.g. `3`"))
        }
    }

    func int64(_ node: YAMLNode, for key: String) -> Int64? {
        integer(node, for: key).map(Int64.init)
    }

    func boolean(_ node: YAMLNode, for key: String) -> Bool? {
        value(node, for: key, expected: "a boolean") { text in
            ScalarParsers.boolean(text).map { .success($0) }
                ?? .failure(SpecValueProblem(message: "expected a boolean, found `\(text)`", hint: "write `true` or `false`"))
        }
    }

    func double(_ node: YAMLNode, for key: String) -> Double? {
        value(node, for: key, expected: "a number") { text in
            Double(ScalarParsers.trim(text)).map { .success($0) }
                ?? .failure(SpecValueProblem(message: "expected a number, found `\(text)`", hint: "write a decimal number, e.g. `0.2`"))
        }
    }

    func duration(_ node: YAMLNode, for key: String) -> Duration? {
        value(node, for: key, expected: "a duration") { DurationParser.parse($0, bareSeconds: isCompose) }
    }

    /// One of a fixed set of words (`mode: global`), with a suggestion for a near miss.
    func choice<T: RawRepresentable<String>>(_ node: YAMLNode, for key: String, as type: T.Type, allowed: [T]) -> T? {
        value(node, for: key, expected: "a string") { text in
            if let value = T(rawValue: text), allowed.contains(where: { $0.rawValue == value.rawValue }) { return .success(value) }
            let names = allowed.map(\.rawValue)
            return .failure(SpecValueProblem(
                message: "invalid value `\(text)`",
                hint: SpecSuggestions.hint(for: text, in: names, otherwise: "use one of \(SpecSuggestions.list(names))")))
        }
    }

    /// A list of strings; a single string is accepted as a one-item list where Compose allows it.
    func strings(_ node: YAMLNode, for key: String, acceptsSingle: Bool = false) -> [String] {
        if acceptsSingle, let scalar = node.scalar, !scalar.isNull { return string(node, for: key).map { [$0] } ?? [] }
        guard let items = list(node, for: key) else { return [] }
        return items.compactMap { string($0, for: key) }
    }
}

/// The known keys of a mapping, found by ``SpecParseContext/fields(_:of:known:ignored:unsupported:)``.
struct SpecFields {
    var entries: [String: YAMLEntry] = [:]
    var location: SourceLocation

    subscript(key: String) -> YAMLNode? { entries[key]?.value }
}

/// A key that is valid Compose but means nothing here: a warning, not an error.
struct UnsupportedComposeKey: Sendable {
    var reason: String
    var hint: String
}
