/// The key/value pairs of one KV v2 secret version. Never printed: its description lists only the key names.
public struct VaultSecretData: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The values as Vault holds them (usually strings, but any JSON is allowed).
    public var values: [String: VaultJSONValue]

    /// Wraps JSON values.
    public init(values: [String: VaultJSONValue]) {
        self.values = values
    }

    /// Secret strings, the common case.
    public init(_ strings: [String: VaultSecretString]) {
        self.values = strings.mapValues { .string($0.unredactedValue) }
    }

    /// The key names, sorted.
    public var keys: [String] { values.keys.sorted() }

    /// The value of `key` when it is a string.
    public subscript(key: String) -> VaultSecretString? {
        values[key]?.stringValue.map(VaultSecretString.init)
    }

    /// Key names only, e.g. `<secret data: password, username>`.
    public var description: String { "<secret data: \(keys.joined(separator: ", "))>" }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without children, so `dump` shows nothing secret.
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// Decodes a JSON object.
    public init(from decoder: any Decoder) throws {
        self.values = try decoder.singleValueContainer().decode([String: VaultJSONValue].self)
    }

    /// Encodes a JSON object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}
