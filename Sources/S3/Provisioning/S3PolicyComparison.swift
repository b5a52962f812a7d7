import Foundation
import SprocketCore

/// Compares bucket policies by meaning, not text: key order, whitespace, the order of list items and a single
/// value written with or without a list around it (`"Action": "s3:GetObject"` vs `["s3:GetObject"]`) do not matter.
enum S3PolicyComparison {
    static func equivalent(_ left: JSONValue, _ right: JSONValue) -> Bool {
        normalize(left) == normalize(right)
    }

    static func normalize(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields):
            return .object(fields.mapValues(normalize))
        case .array(let items):
            let normalized = items.map(normalize)
            if normalized.count == 1, let only = normalized.first { return only }
            return .array(normalized.sorted { canonicalText($0) < canonicalText($1) })
        case .integer(let number):
            return .string(String(number))
        default:
            return value
        }
    }

    private static func canonicalText(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
