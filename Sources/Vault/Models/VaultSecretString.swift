/// A secret text from or for Vault (a token, an unseal key share, a secret value) that never prints itself.
///
/// `description`, `debugDescription`, string interpolation and `dump` all show a placeholder, so a secret that ends
/// up in a log line, an error message or a test failure is not disclosed. The value is reached only through
/// ``unredactedValue``, a name meant to stand out in review.
///
/// It encodes as the plain JSON string (the wire needs it); never encode it into anything that is logged.
public struct VaultSecretString: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret itself. Use only to send it where it belongs (an HTTP header, a request body, an encrypted file).
    public let unredactedValue: String

    /// Wraps a secret.
    public init(_ value: String) {
        self.unredactedValue = value
    }

    /// True when the secret is the empty string (Vault uses `""` for "no token", e.g. in lookup-accessor answers).
    public var isEmpty: Bool { unredactedValue.isEmpty }

    /// A placeholder that says how long the secret is, never what it is.
    public var description: String { "<redacted \(unredactedValue.count) chars>" }

    /// The same placeholder as ``description``.
    public var debugDescription: String { description }

    /// A mirror without children, so `dump` and test failure output show nothing secret.
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// Decodes a JSON string.
    public init(from decoder: any Decoder) throws {
        self.unredactedValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the secret as a plain JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(unredactedValue)
    }
}
