/// A small YAML value written deterministically: mapping keys sorted, every string double-quoted
/// (so no value is ever read back as another type), two-space indentation.
enum StaticYAML: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case list([StaticYAML])
    case mapping([String: StaticYAML])

    /// The document text, ending with a newline.
    var text: String {
        var lines: [String] = []
        write(into: &lines, indent: 0)
        return lines.joined(separator: "\n") + "\n"
    }

    private func write(into lines: inout [String], indent: Int) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .mapping(let entries):
            for key in entries.keys.sorted() {
                guard let value = entries[key] else { continue }
                if let inline = value.inline {
                    lines.append("\(pad)\(key): \(inline)")
                } else {
                    lines.append("\(pad)\(key):")
                    value.write(into: &lines, indent: indent + 2)
                }
            }
        case .list(let items):
            for item in items {
                if let inline = item.inline {
                    lines.append("\(pad)- \(inline)")
                } else {
                    var nested: [String] = []
                    item.write(into: &nested, indent: indent + 2)
                    if let first = nested.first { lines.append(pad + "- " + first.dropFirst(indent + 2)) }
                    lines.append(contentsOf: nested.dropFirst())
                }
            }
        case .string, .integer, .boolean:
            lines.append(pad + (inline ?? ""))
        }
    }

    /// The one-line form of scalars and empty collections; nil for a non-empty collection.
    private var inline: String? {
        switch self {
        case .string(let value): Self.quoted(value)
        case .integer(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        case .list(let items): items.isEmpty ? "[]" : nil
        case .mapping(let entries): entries.isEmpty ? "{}" : nil
        }
    }

    private static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
