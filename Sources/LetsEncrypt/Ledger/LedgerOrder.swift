import Foundation

/// One ACME order the ledger remembers: which names, when, in which environment, and how it ended.
public struct LedgerOrder: Codable, Sendable, Equatable {
    /// How an order ended.
    public enum Outcome: String, Codable, Sendable {
        /// A certificate was issued.
        case issued
        /// Validation failed for ``LedgerOrder/failedIdentifiers``.
        case failed
    }

    public var environment: ACMEEnvironment
    /// The certificate's names, normalised and sorted (so equal sets compare equal).
    public var names: [String]
    public var date: Date
    public var outcome: Outcome
    /// For failed orders: the names whose authorization failed.
    public var failedIdentifiers: [String]
    /// True when the same exact set was issued within the previous 90 days (a non-ARI renewal, exempt from the
    /// per-registered-domain and new-orders limits).
    public var isRenewal: Bool
    /// For failed orders: what the CA said (its problem documents, verbatim), when known.
    public var reason: String?
    /// The Traefik certificate resolver that placed the order, when known.
    public var resolver: String?
    /// The ACME directory the order went to, when known (a test CA stands in for staging).
    public var caServer: String?

    public init(environment: ACMEEnvironment, names: [String], date: Date, outcome: Outcome,
                failedIdentifiers: [String] = [], isRenewal: Bool = false, reason: String? = nil, resolver: String? = nil,
                caServer: String? = nil) {
        self.environment = environment
        self.names = Self.canonical(names)
        self.date = date
        self.outcome = outcome
        self.failedIdentifiers = Self.canonical(failedIdentifiers)
        self.isRenewal = isRenewal
        self.reason = reason
        self.resolver = resolver
        self.caServer = caServer
    }

    /// Normalised, de-duplicated and sorted names.
    static func canonical(_ names: [String]) -> [String] {
        Array(Set(names.map(DNSName.normalize))).sorted()
    }
}

/// The ledger file's JSON document.
struct LedgerDocument: Codable, Equatable {
    static let currentSchemaVersion = 1
    var schemaVersion: Int = currentSchemaVersion
    var orders: [LedgerOrder] = []
}
