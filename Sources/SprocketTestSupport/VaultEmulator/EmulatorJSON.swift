import Foundation

/// A JSON value as the Vault emulator reads requests and writes answers (sorted keys, like Go's maps).
enum EmulatorJSON: Sendable, Equatable, Codable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([EmulatorJSON])
    case object([String: EmulatorJSON])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(dictionaryLiteral elements: (String, EmulatorJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    init(arrayLiteral elements: EmulatorJSON...) { self = .array(elements) }
    init(nilLiteral: ()) { self = .null }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([EmulatorJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: EmulatorJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    subscript(key: String) -> EmulatorJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Integers, integral doubles and numeric strings (Vault's parameters accept all three).
    var int: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value: return Int(value)
        case .string(let value): return Int(value)
        default: return nil
        }
    }

    /// Booleans and the strings "true"/"false" (Vault's parameter parsing accepts both).
    var bool: Bool? {
        switch self {
        case .bool(let value): return value
        case .string(let value): return Bool(value.lowercased())
        default: return nil
        }
    }

    var object: [String: EmulatorJSON]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Arrays, or comma-separated strings (Vault accepts `"a,b"` for string lists).
    var stringList: [String]? {
        switch self {
        case .array(let values): return values.compactMap(\.string)
        case .string(let value): return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        default: return nil
        }
    }

    /// The encoded text with a trailing newline, as Go's `json.Encoder` writes it.
    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "null\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func parse(_ bytes: [UInt8]) -> EmulatorJSON? {
        try? JSONDecoder().decode(EmulatorJSON.self, from: Data(bytes))
    }
}
