/// The outcome for one router: the expectation's name, the full name looked up, and what was wrong.
public struct RouterVerdict: Sendable, Equatable, Codable {
    /// The full name looked up in the API, e.g. `sprocket-prod-web@swarm`.
    public var router: String
    /// Everything wrong with it, in the order checked; empty when it passed.
    public var findings: [RouteFinding]

    /// Creates a verdict.
    public init(router: String, findings: [RouteFinding]) {
        self.router = router
        self.findings = findings
    }

    /// True when nothing is wrong.
    public var passed: Bool { findings.isEmpty }

    /// `ok    web@swarm` or `FAIL  web@swarm: rule is …; service web@swarm has no servers`.
    public var summaryLine: String {
        passed ? "ok    \(router)" : "FAIL  \(router): " + findings.map(\.description).joined(separator: "; ")
    }

    enum CodingKeys: String, CodingKey {
        case router, passed, findings
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(router, forKey: .router)
        try container.encode(passed, forKey: .passed)
        try container.encode(findings, forKey: .findings)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        router = try container.decode(String.self, forKey: .router)
        findings = try container.decode([RouteFinding].self, forKey: .findings)
    }
}
