import Foundation

/// One of Let's Encrypt's issuance rate limits, as the ledger approximates it: at most ``maximum`` events in any
/// sliding ``window``.
///
/// Let's Encrypt computes its limits with token buckets (capacity `maximum`, refilled evenly over `window`). A
/// sliding window never allows what such a bucket would refuse, so the ledger can only be more careful than the
/// CA, never less. Values are from Let's Encrypt's rate-limit documentation (docs/wire-formats.md §4).
public struct RateLimit: Codable, Sendable, Equatable {
    /// Which limit; stable for `--json` consumers.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// New certificates per registered domain (renewals of an exact set are exempt).
        case certificatesPerRegisteredDomain = "certificates-per-registered-domain"
        /// New certificates per exact set of identifiers (the "duplicate certificate" limit).
        case certificatesPerExactSet = "certificates-per-exact-set"
        /// Authorization failures per identifier per account (the "failed validation" limit).
        case authorizationFailuresPerIdentifier = "authorization-failures-per-identifier"
        /// New orders per account (renewals of an exact set are exempt).
        case newOrdersPerAccount = "new-orders-per-account"

        /// Words for messages.
        public var phrase: String {
            switch self {
            case .certificatesPerRegisteredDomain: "certificates per registered domain"
            case .certificatesPerExactSet: "duplicate certificates for this exact set of names"
            case .authorizationFailuresPerIdentifier: "failed validations for this name"
            case .newOrdersPerAccount: "new orders per ACME account"
            }
        }
    }

    public var kind: Kind
    public var maximum: Int
    /// The window length in seconds.
    public var window: TimeInterval

    public init(_ kind: Kind, maximum: Int, window: TimeInterval) {
        self.kind = kind
        self.maximum = maximum
        self.window = window
    }

    static let hour: TimeInterval = 3600
    static let week: TimeInterval = 7 * 24 * hour

    /// Let's Encrypt's limits for `environment`.
    ///
    /// Staging's per-registered-domain limit is documented as "30000 per second", most likely a typo for per week;
    /// it is taken as per week.
    public static func letsEncrypt(_ environment: ACMEEnvironment) -> [RateLimit] {
        switch environment {
        case .production:
            [RateLimit(.certificatesPerRegisteredDomain, maximum: 50, window: week),
             RateLimit(.certificatesPerExactSet, maximum: 5, window: week),
             RateLimit(.authorizationFailuresPerIdentifier, maximum: 5, window: hour),
             RateLimit(.newOrdersPerAccount, maximum: 300, window: 3 * hour)]
        case .staging:
            [RateLimit(.certificatesPerRegisteredDomain, maximum: 30000, window: week),
             RateLimit(.certificatesPerExactSet, maximum: 30000, window: week),
             RateLimit(.authorizationFailuresPerIdentifier, maximum: 200, window: hour),
             RateLimit(.newOrdersPerAccount, maximum: 1500, window: 3 * hour)]
        }
    }
}
