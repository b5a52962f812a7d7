/// Which Let's Encrypt server a certificate comes from.
///
/// Staging certificates are not trusted by browsers, but staging has rate limits high enough that testing
/// cannot lock a domain out for a week (the original system hit the production limits while testing).
public enum ACMEEnvironment: String, Codable, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case staging
    case production

    /// The ACME directory URL to use as Traefik's `caServer`.
    public var directoryURL: String {
        switch self {
        case .staging: "https://acme-staging-v02.api.letsencrypt.org/directory"
        case .production: "https://acme-v02.api.letsencrypt.org/directory"
        }
    }

    /// The default Traefik certificate resolver name for this environment (`letsencrypt-staging` / `letsencrypt`).
    public var defaultResolverName: String {
        switch self {
        case .staging: "letsencrypt-staging"
        case .production: "letsencrypt"
        }
    }

    public var description: String { rawValue }
}
