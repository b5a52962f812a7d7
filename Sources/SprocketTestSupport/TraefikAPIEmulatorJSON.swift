/// JSON written the way Go's `encoding/json` `Encoder.Encode` writes it: compact, object keys in the order the
/// Go struct declares them (maps sorted), `&`, `<`, `>` escaped as `\u0026`, `\u003c`, `\u003e`, and a trailing
/// newline after the value. The Traefik API emulator builds its bodies from these so they match Traefik byte for
/// byte, not only in meaning.
public indirect enum TraefikAPIEmulatorJSON: Sendable, Equatable {
    /// A string, escaped as Go escapes it.
    case string(String)
    /// An integer (Traefik's priorities need 64 bits).
    case integer(Int64)
    /// A Boolean.
    case bool(Bool)
    /// An array.
    case array([TraefikAPIEmulatorJSON])
    /// Keys in the order given (Go struct field order).
    case object([(String, TraefikAPIEmulatorJSON)])
    /// Already-encoded JSON, inserted as is (a middleware's own configuration).
    case raw(String)

    /// Equal when the encoded texts are.
    public static func == (lhs: TraefikAPIEmulatorJSON, rhs: TraefikAPIEmulatorJSON) -> Bool {
        lhs.compact == rhs.compact
    }

    /// A Go map: keys sorted, as `encoding/json` sorts map keys.
    public static func map(_ entries: [String: TraefikAPIEmulatorJSON]) -> TraefikAPIEmulatorJSON {
        .object(entries.sorted { $0.key < $1.key })
    }

    /// The body `json.NewEncoder(w).Encode(v)` writes: compact text plus `\n`.
    public var goEncoded: String { compact + "\n" }

    /// The compact text without the trailing newline.
    public var compact: String {
        switch self {
        case .string(let text): return Self.quoted(text)
        case .integer(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .raw(let text): return text
        case .array(let items): return "[" + items.map(\.compact).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.map { Self.quoted($0.0) + ":" + $0.1.compact }.joined(separator: ",") + "}"
        }
    }

    /// A Go string literal: `"` and `\` escaped, control characters as `\n`/`\r`/`\t`/`\u00XX`, HTML-sensitive
    /// characters and U+2028/U+2029 as `\uXXXX` (Go's default `SetEscapeHTML(true)`).
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "&", "<", ">", "\u{2028}", "\u{2029}":
                output += "\\u" + hex4(scalar.value)
            default:
                if scalar.value < 0x20 { output += "\\u" + hex4(scalar.value) } else { output.unicodeScalars.append(scalar) }
            }
        }
        return output + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
