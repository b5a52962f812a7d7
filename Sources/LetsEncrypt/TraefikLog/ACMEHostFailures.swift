import Foundation

/// The failed orders of one hostname, summarised for people and for `--json`: how many, when, the latest reason in
/// the CA's words, and what to do.
public struct ACMEHostFailures: Codable, Sendable, Equatable {
    public var host: String
    /// The resolver of the latest failure (nil if Traefik did not log it).
    public var resolver: String?
    /// The CA directory of the latest failure.
    public var caServer: String?
    /// The router that asked, from the latest failure.
    public var router: String?
    /// How many failed orders the log holds for this host.
    public var failedOrders: Int
    public var first: Date
    public var last: Date
    /// The latest failure's reason, verbatim from the CA (or Traefik's error when no CA problem was quoted).
    public var reason: String
    /// What to do (``ACMEFailureAdvice``).
    public var remedy: String
    /// True when the CA validated and refused: it counts against the failed-validations limit.
    public var isFailedValidation: Bool

    /// One summary per host of `hosts` that has failures, in the order of `hosts`.
    public static func summarize(_ failures: [ACMEOrderFailure], hosts: [String], challenge: String? = nil) -> [ACMEHostFailures] {
        hosts.map(DNSName.normalize).compactMap { host in
            let own = failures.filter { $0.domains.contains(host) }.sorted { $0.date < $1.date }
            guard let first = own.first, let latest = own.last else { return nil }
            return ACMEHostFailures(
                host: host, resolver: latest.resolver, caServer: latest.caServer, router: latest.router, failedOrders: own.count,
                first: first.date, last: latest.date, reason: latest.reason,
                remedy: ACMEFailureAdvice.remedy(for: latest, challenge: challenge), isFailedValidation: latest.isFailedValidation)
        }
    }
}
