import Foundation
import SprocketCore

/// How close one limit is for a planned certificate.
public struct RateLimitCheck: Codable, Sendable, Equatable {
    /// Where the limit stands.
    public enum Status: String, Codable, Sendable {
        case ok
        /// At or past the warning threshold; the next certificate is still allowed.
        case warning
        /// The limit is reached: Let's Encrypt would refuse the next one.
        case exceeded
    }

    public var limit: RateLimit.Kind
    /// What the limit is counted on: a registered domain, a set of names, one name, or `account`.
    public var subject: String
    /// Events counted in the window so far (before the planned certificate).
    public var used: Int
    public var maximum: Int
    /// The window in seconds.
    public var window: TimeInterval
    public var status: Status
    /// When exceeded: when enough old events leave the window for one more.
    public var availableAt: Date?
    /// What this means and what to do.
    public var message: String
}

/// The ledger's view of Let's Encrypt's limits for one planned certificate.
public struct RateLimitAssessment: Codable, Sendable, Equatable {
    public var environment: ACMEEnvironment
    /// The planned certificate's names, normalised and sorted.
    public var names: [String]
    /// True when the same set was issued within 90 days (exempt from two limits).
    public var isRenewal: Bool
    /// Every limit that applies, including those still far away (`ok`).
    public var checks: [RateLimitCheck]

    /// True when at least one limit is reached.
    public var isBlocked: Bool { checks.contains { $0.status == .exceeded } }
    /// Checks at or past the warning threshold, or exceeded.
    public var concerns: [RateLimitCheck] { checks.filter { $0.status != .ok } }
}

extension SprocketError.Code {
    /// A Let's Encrypt rate limit would be exceeded.
    public static let rateLimited = SprocketError.Code(rawValue: "rate-limited")
}
