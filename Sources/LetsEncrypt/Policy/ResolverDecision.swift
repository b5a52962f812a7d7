/// Which certificate resolver one hostname should use, and why.
public struct ResolverDecision: Codable, Sendable, Equatable {
    /// The hostname, normalised.
    public var host: String
    /// The Let's Encrypt environment chosen.
    public var environment: ACMEEnvironment
    /// The Traefik certificate resolver name to put on the host's routers.
    public var resolver: String
    /// Why this environment was chosen, for people.
    public var reasons: [String]
    /// Problems that did not change the choice but deserve attention (rate limits close, DNS that would fail).
    public var warnings: [String]
    /// The DNS preflight result the decision used, if one was run.
    public var preflight: HostPreflight?
    /// The production rate-limit assessment, when production was considered.
    public var rateLimits: RateLimitAssessment?
}

/// The whole Let's Encrypt safety picture for a deployment: one decision per host. Encodes as the `--json` output.
public struct ACMESafetyReport: Codable, Sendable, Equatable {
    /// True when `--acme-staging` forced every host to staging.
    public var stagingRequested: Bool
    /// The ledger file consulted.
    public var ledgerPath: String
    /// One decision per host, in the order asked.
    public var decisions: [ResolverDecision]

    public init(stagingRequested: Bool, ledgerPath: String, decisions: [ResolverDecision]) {
        self.stagingRequested = stagingRequested
        self.ledgerPath = ledgerPath
        self.decisions = decisions
    }

    /// Hosts that will use the production resolver.
    public var productionHosts: [String] { decisions.filter { $0.environment == .production }.map(\.host) }
    /// Hosts that will use the staging resolver.
    public var stagingHosts: [String] { decisions.filter { $0.environment == .staging }.map(\.host) }
}
