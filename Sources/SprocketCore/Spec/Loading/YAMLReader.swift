import Yams

/// Turns the text of one spec file into a ``YAMLNode`` tree; every failure becomes a diagnostic.
///
/// Yams rejects a whole document when a mapping repeats a key, which would hide every other problem in
/// the file. The reader works around it: it renames the first occurrence in a private copy of the text
/// (one Unicode scalar swapped for a private-use one, so no line or column moves), parses again, and
/// maps the renamed key back to its real name. The parsers then see both occurrences and report the
/// duplicate where it is written.
///
/// Every YAML file the loader reads (stack.yaml with its secret manifest, layer files, Compose files) comes through
/// ``read(_:reportingAt:what:diagnostics:)``, so the limits on size and on alias expansion (``YAMLExpansionGuard``)
/// hold for all of them.
enum YAMLReader {
    /// At most this many renames per file; a file with more duplicate keys reports the rest as one error.
    private static let maximumRenames = 200
    /// The largest spec file read: far above any hand-written one (a generated 10,000-service layer, `bench/gen-stack.py`,
    /// has 2.4 MB), small enough that reading it is never the problem.
    static let maximumFileBytes = 8 << 20

    /// What reading a file gave.
    enum Outcome {
        case document(YAMLNode)
        /// No content at all, or only comments.
        case empty
        /// A syntax error, already reported.
        case invalid
    }

    /// Reads the file of `origin` and parses it; a missing or unreadable file is reported at `location`, one too
    /// large at its own start, before it is read.
    static func read(
        _ origin: SpecFileOrigin, reportingAt location: SourceLocation, what: String, diagnostics: SpecDiagnosticCollector
    ) -> Outcome {
        if let size = SpecFiles.size(of: origin.absolutePath), size > maximumFileBytes {
            reportTooLarge(size, what: what, file: origin.displayPath, diagnostics: diagnostics)
            return .invalid
        }
        guard let text = SpecFiles.text(at: origin.absolutePath, displayPath: origin.displayPath, reportingAt: location, what: what,
                                        diagnostics: diagnostics)
        else { return .invalid }
        return parse(text, file: origin.displayPath, what: what, diagnostics: diagnostics)
    }

    /// Parses `text` (already decoded) as a single YAML document.
    static func parse(_ text: String, file: String, what: String = "spec file", diagnostics: SpecDiagnosticCollector) -> Outcome {
        guard text.utf8.count <= maximumFileBytes else {
            reportTooLarge(text.utf8.count, what: what, file: file, diagnostics: diagnostics)
            return .invalid
        }
        var source = text
        var renamedKeys: [Position: String] = [:]
        for attempt in 0...maximumRenames {
            do {
                if let mark = try YAMLExpansionGuard.aliasKey(in: source) {
                    diagnostics.error(SourceLocation(file: file, line: mark.line, column: mark.column),
                                      "a mapping key here is an alias (`*name`)", hint: "write the key as a plain string")
                    return .invalid
                }
                guard let root = try Yams.compose(yaml: source, .default, .default, .utf8) else { return .empty }
                if let violation = YAMLExpansionGuard.check(root) {
                    report(violation, file: file, diagnostics: diagnostics)
                    return .invalid
                }
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
                var converter = NodeConverter(file: file, lines: lines, renamedKeys: renamedKeys, diagnostics: diagnostics)
                return .document(converter.convert(root))
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                let position = Position(line: context.mark.line, column: context.mark.column)
                guard attempt < maximumRenames, let key = duplicates.first,
                    let renamed = renameKey(in: source, at: position, serial: attempt)
                else {
                    diagnostics.error(
                        SourceLocation(file: file, line: position.line, column: position.column),
                        "duplicate keys \(duplicates.map { "`\($0)`" }.joined(separator: ", ")) in one mapping",
                        hint: "each key may appear once per mapping; remove or merge the repeated entries")
                    return .invalid
                }
                source = renamed
                renamedKeys[position] = key
            } catch {
                report(error, file: file, text: source, diagnostics: diagnostics)
                return .invalid
            }
        }
        return .invalid
    }

    /// A 1-based line and column as Yams reports them.
    struct Position: Hashable {
        var line: Int
        var column: Int
    }

    /// Replaces the first character of the key written at `position` (after its opening quote, if any).
    private static func renameKey(in text: String, at position: Position, serial: Int) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let lineIndex = position.line - 1
        var column = position.column - 1
        guard lines.indices.contains(lineIndex), lines[lineIndex].indices.contains(column) else { return nil }
        if lines[lineIndex][column] == "\"" || lines[lineIndex][column] == "'" { column += 1 }
        // Only a key that starts like a word can be renamed safely; indicators (`[`, `?`, `*`) cannot.
        guard lines[lineIndex].indices.contains(column), Self.isRenamable(lines[lineIndex][column]),
            let replacement = Unicode.Scalar(0xE000 + serial)
        else { return nil }
        lines[lineIndex][column] = replacement
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    private static func isRenamable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil || "<_-.$/".unicodeScalars.contains(scalar)
    }

    private static func reportTooLarge(_ size: Int, what: String, file: String, diagnostics: SpecDiagnosticCollector) {
        diagnostics.error(
            SourceLocation(file: file, line: 1, column: 1),
            "\(what) `\(file)` has \(size) bytes, more than the \(maximumFileBytes) (\(maximumFileBytes >> 20) MiB) a spec file may have",
            hint: "check that this is the file you meant; split a large stack into layer files (`layers:` in stack.yaml)")
    }

    private static func report(_ violation: YAMLExpansionGuard.Violation, file: String, diagnostics: SpecDiagnosticCollector) {
        switch violation {
        case .aliasValues(let mark):
            diagnostics.error(
                SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                "the aliases (`*name`) of `\(file)` expand to more than \(YAMLExpansionGuard.maximumAliasValues) values; "
                    + "this is where the alias that crossed the limit is used",
                hint: "aliases that repeat aliases multiply (a \"billion laughs\" file); write the values out, or repeat them fewer times")
        case .depth(let mark):
            diagnostics.error(
                SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                "`\(file)` nests more than \(YAMLExpansionGuard.maximumDepth) levels deep (aliases expanded)",
                hint: "a spec needs a few levels; check for aliases (`*name`) that refer to lists or mappings containing other aliases")
        }
    }

    private static func report(_ error: any Error, file: String, text: String, diagnostics: SpecDiagnosticCollector) {
        let hint = "check the indentation and quoting near this position"
        guard let yamlError = error as? YamlError else {
            diagnostics.error(SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(error)", hint: hint)
            return
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text))" } ?? ""
            diagnostics.error(
                SourceLocation(file: file, line: mark.line, column: mark.column),
                "invalid YAML: \(problem)\(detail)", hint: hint)
        case .reader(let problem, let offset, _, _):
            let (line, column) = SpecTextPosition.lineAndColumn(ofUTF8Offset: offset ?? 0, in: text)
            diagnostics.error(
                SourceLocation(file: file, line: line, column: column), "invalid YAML input: \(problem)",
                hint: "remove control characters; spec files are UTF-8 text")
        default:
            diagnostics.error(SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(yamlError)", hint: hint)
        }
    }
}

/// Converts Yams nodes, applying merge keys and restoring renamed duplicate keys.
private struct NodeConverter {
    let file: String
    /// The original source lines, to tell whether a scalar's text is written verbatim on its line.
    let lines: [[Unicode.Scalar]]
    let renamedKeys: [YAMLReader.Position: String]
    let diagnostics: SpecDiagnosticCollector

    mutating func convert(_ node: Node) -> YAMLNode {
        let location = self.location(of: node.mark)
        switch node {
        case .scalar(let scalar):
            let style = Self.style(scalar.style)
            let offset = verbatimOffset(of: scalar.string, style: style, at: location)
            return YAMLNode(content: .scalar(YAMLScalar(text: scalar.string, style: style, verbatimOffset: offset)), location: location)
        case .sequence(let sequence):
            return YAMLNode(content: .sequence(sequence.map { convert($0) }), location: location)
        case .mapping(let mapping):
            return YAMLNode(content: .mapping(convertEntries(mapping)), location: location)
        case .alias:
            // Yams resolves aliases while composing; an unresolved one cannot reach here, but stay total.
            return YAMLNode(content: .scalar(YAMLScalar(text: "", style: .plain)), location: location)
        }
    }

    private mutating func convertEntries(_ mapping: Node.Mapping) -> [YAMLEntry] {
        var entries: [YAMLEntry] = []
        var merged: [YAMLEntry] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                diagnostics.error(location(of: keyNode.mark), "mapping keys must be plain strings",
                                  hint: "write the key as a string")
                continue
            }
            let value = convert(valueNode)
            if keyScalar.string == "<<" && keyScalar.style == .plain {
                merged.append(contentsOf: mergeSources(value))
                continue
            }
            let position = keyScalar.mark.map { YAMLReader.Position(line: $0.line, column: $0.column) }
            let key = position.flatMap { renamedKeys[$0] } ?? keyScalar.string
            entries.append(YAMLEntry(key: key, keyLocation: location(of: keyScalar.mark), value: value))
        }
        // YAML merge keys: explicit keys win, then earlier merge sources win over later ones.
        var seen = Set(entries.map(\.key))
        for entry in merged where !seen.contains(entry.key) {
            seen.insert(entry.key)
            entries.append(entry)
        }
        return entries
    }

    private func mergeSources(_ value: YAMLNode) -> [YAMLEntry] {
        if let entries = value.mapping { return entries }
        if let items = value.sequence, items.allSatisfy({ $0.mapping != nil }) { return items.flatMap { $0.mapping ?? [] } }
        diagnostics.error(value.location, "a merge key `<<` takes a mapping or a list of mappings, found \(value.kindDescription)",
                          hint: "merge an anchored mapping, e.g. `<<: *defaults`")
        return []
    }

    /// 0 or 1 when the scalar's source line holds exactly its text (after the opening quote), else nil.
    private func verbatimOffset(of text: String, style: YAMLScalar.Style, at location: SourceLocation) -> Int? {
        guard lines.indices.contains(location.line - 1), location.column >= 1 else { return nil }
        let line = lines[location.line - 1]
        guard location.column - 1 <= line.count else { return nil }
        let rest = line[(location.column - 1)...]
        let written: String
        switch style {
        case .plain: written = text
        // An escaped `''` would shift every later column by one; give up on exact columns then.
        case .singleQuoted where text.contains("'"): return nil
        case .singleQuoted: written = "'" + text + "'"
        case .doubleQuoted: written = "\"" + text + "\""
        case .literal, .folded: return nil
        }
        guard rest.starts(with: written.unicodeScalars) else { return nil }
        return style == .plain ? 0 : 1
    }

    private func location(of mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func style(_ style: Node.Scalar.Style) -> YAMLScalar.Style {
        switch style {
        case .singleQuoted: .singleQuoted
        case .doubleQuoted: .doubleQuoted
        case .literal: .literal
        case .folded: .folded
        case .any, .plain: .plain
        }
    }
}
