/// One secret value from Doppler or a secrets file, redacted in every description.
///
/// `description`, `debugDescription`, interpolation and `dump` show only the length. Read the value through
/// ``unredactedValue`` (or ``utf8Bytes``) only to hand it to where it belongs (Vault, a Docker secret).
public struct DopplerSecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable, ExpressibleByStringLiteral
{
    /// The secret itself.
    public let unredactedValue: String

    /// Wraps a value.
    public init(_ value: String) {
        self.unredactedValue = value
    }

    /// Wraps a literal (for tests and fixtures).
    public init(stringLiteral value: String) {
        self.unredactedValue = value
    }

    /// The value's UTF-8 bytes, as written to Vault or a Docker secret.
    public var utf8Bytes: [UInt8] { Array(unredactedValue.utf8) }

    /// A placeholder that says how long the value is, never what it is.
    public var description: String { "<redacted \(unredactedValue.utf8.count) bytes>" }

    /// The same placeholder as ``description``.
    public var debugDescription: String { description }

    /// A mirror without children, so `dump` shows nothing secret.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
