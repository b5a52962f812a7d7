/// Finds where each label of a `labels:` node is written, for errors inside hand-written Traefik labels.
///
/// It reads the raw YAML without reporting anything (``KeyValueParser`` already reported the shape
/// problems) and computes the column of each value's first character when the value is written
/// verbatim on one line, so a bad rule can be reported at its own column in the file.
enum RouteLabelLocations {
    static func positions(of node: YAMLNode?) -> [String: LabelPosition] {
        guard let node else { return [:] }
        var positions: [String: LabelPosition] = [:]
        if let items = node.sequence {
            for item in items {
                guard let scalar = item.scalar, let equals = scalar.text.firstIndex(of: "=") else { continue }
                let key = String(scalar.text[..<equals])
                let offset = scalar.text[...equals].unicodeScalars.count
                positions[key] = LabelPosition(entry: item.location, valueStart: start(of: scalar, at: item.location, after: offset))
            }
        } else if let entries = node.mapping {
            for entry in entries {
                guard let scalar = entry.value.scalar else { continue }
                positions[entry.key] = LabelPosition(entry: entry.keyLocation, valueStart: start(of: scalar, at: entry.value.location, after: 0))
            }
        }
        return positions
    }

    /// The `deploy.labels` node of a service's `deploy:` value, if any.
    static func deployLabels(of deploy: YAMLNode?) -> YAMLNode? {
        deploy?.mapping?.first { $0.key == "labels" }?.value
    }

    private static func start(of scalar: YAMLScalar, at location: SourceLocation, after offset: Int) -> SourceLocation? {
        guard let verbatim = scalar.verbatimOffset, !scalar.text.contains("$") else { return nil }
        var start = location
        start.column += verbatim + offset
        return start
    }
}
