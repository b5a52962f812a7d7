import Foundation

/// Field-level differences between two values of the same `Encodable` type, computed over their JSON form so
/// that every field is covered without a hand-written comparison per field.
public enum FieldDiff {
    public static func changes(from old: some Encodable, to new: some Encodable) -> [FieldChange] {
        var changes: [FieldChange] = []
        compare(JSONValue.of(old), JSONValue.of(new), path: "", into: &changes)
        return changes
    }

    /// The same over plain string dictionaries (network and volume attributes).
    public static func changes(from old: [String: String], to new: [String: String]) -> [FieldChange] {
        Set(old.keys).union(new.keys).sorted().compactMap { key in
            old[key] == new[key] ? nil : FieldChange(path: key, old: old[key], new: new[key])
        }
    }

    private static func compare(_ old: JSONValue?, _ new: JSONValue?, path: String, into changes: inout [FieldChange]) {
        switch (old, new) {
        case (.object(let oldMap), .object(let newMap)):
            for key in Set(oldMap.keys).union(newMap.keys).sorted() {
                compare(oldMap[key], newMap[key], path: path.isEmpty ? key : "\(path).\(key)", into: &changes)
            }
        case (.array(let oldList), .array(let newList)) where oldList.count == newList.count:
            for index in oldList.indices {
                compare(oldList[index], newList[index], path: "\(path)[\(index)]", into: &changes)
            }
        default:
            let oldText = old?.compactText
            let newText = new?.compactText
            if oldText != newText { changes.append(FieldChange(path: path, old: oldText, new: newText)) }
        }
    }
}

/// What field-level diffs need: any of our `Codable` model values as a JSON tree, and one-line text of a node.
extension JSONValue {
    static func of(_ value: some Encodable) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(CanonicalJSON.encode(value)))
    }

    /// One-line text; nil for null and empty collections so that "absent" and "empty" read the same.
    var compactText: String? {
        switch self {
        case .null: return nil
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return value
        case .array(let values):
            if values.isEmpty { return nil }
            return "[" + values.map { $0.compactText ?? "null" }.joined(separator: ", ") + "]"
        case .object(let map):
            if map.isEmpty { return nil }
            return "{" + map.keys.sorted().map { "\($0): \(map[$0]?.compactText ?? "null")" }.joined(separator: ", ") + "}"
        }
    }}
