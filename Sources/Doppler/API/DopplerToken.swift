/// A Doppler API token that never prints itself.
///
/// `description`, interpolation and `dump` show only the token's kind (read from its documented prefix), never its
/// characters. The value is reached only through ``unredactedValue``, a name meant to stand out in review.
public struct DopplerToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The kinds of token Doppler issues (docs/wire-formats.md §2.3), recognised by prefix.
    public enum Kind: String, Sendable, CaseIterable {
        /// `dp.st.…`: read (or read/write) access to one config; implies its project and config.
        case service
        /// `dp.said.…`: short-lived OIDC service-account identity token.
        case serviceAccountIdentity
        /// `dp.sa.…`: service account, granular access within a workplace.
        case serviceAccount
        /// `dp.pt.…`: personal token, the account's full access.
        case personal
        /// `dp.ct.…`: CLI token from `doppler login`, the account's full access.
        case cli
        /// Anything else (SCIM, audit, or a format this code does not know); the API decides what it may do.
        case unknown

        /// The documented prefix, or nil for ``unknown``.
        public var prefix: String? {
            switch self {
            case .service: "dp.st."
            case .serviceAccountIdentity: "dp.said."
            case .serviceAccount: "dp.sa."
            case .personal: "dp.pt."
            case .cli: "dp.ct."
            case .unknown: nil
            }
        }

        /// Service tokens are scoped to one config already; every other kind must name the project and config.
        public var isConfigScoped: Bool { self == .service }
    }

    /// The token itself. Use only to put it in the `Authorization` header.
    public let unredactedValue: String

    /// Wraps a token.
    public init(_ value: String) {
        self.unredactedValue = value
    }

    /// The token's kind, from its prefix (`dp.said.` is checked before `dp.sa.`).
    public var kind: Kind {
        Kind.allCases.first { kind in kind.prefix.map(unredactedValue.hasPrefix) ?? false } ?? .unknown
    }

    /// `<redacted Doppler service token>`: the kind, never the characters.
    public var description: String { "<redacted Doppler \(kind.rawValue) token>" }

    /// The same placeholder as ``description``.
    public var debugDescription: String { description }

    /// A mirror without children, so `dump` and test failure output show nothing secret.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
