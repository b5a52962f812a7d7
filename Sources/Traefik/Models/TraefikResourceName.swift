import Foundation

/// A Traefik resource name split into its own part and its provider, as in `web@swarm` or `auth@file`.
///
/// Traefik's API names every router, service and middleware `<name>@<provider>`, while labels refer to resources of
/// the same provider without the suffix (`middlewares=redirect`) and to others with it (`middlewares=auth@file`).
/// Comparing the two needs both sides qualified with the same provider, which is what ``qualified(in:)`` does.
public struct TraefikResourceName: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The name without its provider, e.g. `web`.
    public var name: String
    /// The provider, e.g. `swarm`, `docker`, `file`, `internal`; nil when the text had no `@`.
    public var provider: String?

    /// Creates a name from its parts.
    public init(name: String, provider: String?) {
        self.name = name
        self.provider = provider
    }

    /// Splits `text` at its last `@` (names themselves may not contain `@`, Traefik forbids it).
    public init(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let at = trimmed.lastIndex(of: "@") else {
            self.init(name: trimmed, provider: nil)
            return
        }
        let provider = String(trimmed[trimmed.index(after: at)...])
        self.init(name: String(trimmed[..<at]), provider: provider.isEmpty ? nil : provider)
    }

    /// The same name with `provider` filled in when it had none: how Traefik resolves a reference made from a
    /// resource of that provider.
    public func qualified(in provider: String) -> TraefikResourceName {
        TraefikResourceName(name: name, provider: self.provider ?? provider)
    }

    /// `name@provider`, or just `name` without a provider.
    public var description: String { provider.map { "\(name)@\($0)" } ?? name }

    /// Qualifies a textual reference (`redirect`, `auth@file`) with `provider` and returns `name@provider`.
    public static func qualify(_ text: String, in provider: String) -> String {
        TraefikResourceName(parsing: text).qualified(in: provider).description
    }
}
