import Foundation

/// What ``RouteVerifier`` found: a verdict per expected router, the unexpected routers, and how long it waited.
///
/// `Codable` for `--json`; ``summaryLines`` is the human form, one line per router.
public struct RouteVerificationReport: Sendable, Equatable, Codable {
    /// One verdict per expected router, in the order given.
    public var routers: [RouterVerdict]
    /// Routers of our provider carrying our name prefix that nothing expects, each with ``RouteFinding/unexpected``.
    public var unexpected: [RouterVerdict]
    /// How many times the API was read.
    public var polls: Int
    /// Time from the first read to the last, in seconds.
    public var waitedSeconds: Double
    /// The discovery budget, in seconds.
    public var budgetSeconds: Double
    /// The last API error when the final read failed and an earlier one is reported instead; nil otherwise.
    public var lastReadError: String?

    /// Creates a report.
    public init(
        routers: [RouterVerdict], unexpected: [RouterVerdict] = [], polls: Int = 1, waitedSeconds: Double = 0,
        budgetSeconds: Double = 0, lastReadError: String? = nil
    ) {
        self.routers = routers
        self.unexpected = unexpected
        self.polls = polls
        self.waitedSeconds = waitedSeconds
        self.budgetSeconds = budgetSeconds
        self.lastReadError = lastReadError
    }

    /// True when every expected router passed and nothing unexpected was found.
    public var passed: Bool { routers.allSatisfy(\.passed) && unexpected.isEmpty }

    /// The verdicts that failed, expected and unexpected.
    public var failures: [RouterVerdict] { (routers + unexpected).filter { !$0.passed } }

    /// One line per router, then a closing line: `3 of 4 routers ok after 2 reads in 15s (budget 60s)`.
    public var summaryLines: [String] {
        let ok = routers.filter(\.passed).count
        var closing = "\(ok) of \(routers.count) router\(routers.count == 1 ? "" : "s") ok"
        if !unexpected.isEmpty { closing += ", \(unexpected.count) unexpected" }
        closing += " after \(polls) read\(polls == 1 ? "" : "s") in \(Self.seconds(waitedSeconds))"
        closing += " (budget \(Self.seconds(budgetSeconds)))"
        if let lastReadError { closing += "; the last read failed: \(lastReadError)" }
        return (routers + unexpected).map(\.summaryLine) + [closing]
    }

    enum CodingKeys: String, CodingKey {
        case passed, routers, unexpected, polls, waitedSeconds, budgetSeconds, lastReadError
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(passed, forKey: .passed)
        try container.encode(routers, forKey: .routers)
        try container.encode(unexpected, forKey: .unexpected)
        try container.encode(polls, forKey: .polls)
        try container.encode(waitedSeconds, forKey: .waitedSeconds)
        try container.encode(budgetSeconds, forKey: .budgetSeconds)
        try container.encodeIfPresent(lastReadError, forKey: .lastReadError)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        routers = try container.decode([RouterVerdict].self, forKey: .routers)
        unexpected = try container.decode([RouterVerdict].self, forKey: .unexpected)
        polls = try container.decode(Int.self, forKey: .polls)
        waitedSeconds = try container.decode(Double.self, forKey: .waitedSeconds)
        budgetSeconds = try container.decode(Double.self, forKey: .budgetSeconds)
        lastReadError = try container.decodeIfPresent(String.self, forKey: .lastReadError)
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : String(format: "%.1fs", value)
    }
}
