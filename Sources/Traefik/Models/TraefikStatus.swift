/// The status Traefik gives a router, service or middleware: `enabled`, `disabled` (a critical error) or
/// `warning` (a non-critical one).
///
/// A struct rather than an enum so a status a newer Traefik adds still decodes and is shown as it was sent.
public struct TraefikStatus: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The status as Traefik spells it.
    public var rawValue: String

    /// Wraps a status text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Working, no error.
    public static let enabled = TraefikStatus(rawValue: "enabled")
    /// Not serving: a critical error (missing service, no valid entry point, bad rule).
    public static let disabled = TraefikStatus(rawValue: "disabled")
    /// Serving, with a non-critical error (an entry point that does not exist, among others that do).
    public static let warning = TraefikStatus(rawValue: "warning")

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
