import Foundation

/// Chooses, per hostname, between the staging and the production Let's Encrypt resolver.
///
/// The rules, in order:
/// 1. `--acme-staging` (``stagingRequested``) sends every host to staging.
/// 2. A host that already has a production certificate in the ledger stays on production, so a DNS hiccup never
///    swaps a live site to an untrusted staging certificate; preflight problems and rate-limit concerns become
///    warnings (its renewal may fail).
/// 3. A host never issued in production goes to staging first.
/// 4. After a staging certificate is recorded in the ledger, it moves to production only when the production DNS
///    preflight passes and no production rate limit is reached (unless ``force``).
public struct ACMEResolverPolicy: Sendable {
    /// `--acme-staging`: every host uses staging.
    public var stagingRequested: Bool
    /// Go to production even when the ledger says a rate limit is reached.
    public var force: Bool
    /// The Traefik resolver name for production (`letsencrypt`).
    public var productionResolver: String
    /// The Traefik resolver name for staging (`letsencrypt-staging`).
    public var stagingResolver: String

    public init(
        stagingRequested: Bool, force: Bool = false,
        productionResolver: String = ACMEEnvironment.production.defaultResolverName,
        stagingResolver: String = ACMEEnvironment.staging.defaultResolverName
    ) {
        self.stagingRequested = stagingRequested
        self.force = force
        self.productionResolver = productionResolver
        self.stagingResolver = stagingResolver
    }

    /// Runs the DNS preflight for every host (for production, or for staging under `--acme-staging`) and decides.
    public func evaluate(hosts: [String], preflight: ACMEPreflight, ledger: CertificateLedger) async -> ACMESafetyReport {
        let results = await preflight.check(hosts, for: stagingRequested ? .staging : .production)
        let decisions = results.map { decide(host: $0.host, preflight: $0, ledger: ledger) }
        return ACMESafetyReport(stagingRequested: stagingRequested, ledgerPath: ledger.path, decisions: decisions)
    }

    /// Decides for one host.
    /// - Parameter preflight: this host's DNS preflight for production; nil when none was run (then a new host
    ///   cannot move to production).
    public func decide(host rawHost: String, preflight: HostPreflight?, ledger: CertificateLedger) -> ResolverDecision {
        let host = DNSName.normalize(rawHost)
        let dnsProblems = preflight?.findings.filter { $0.kind != .wildcard }.map(\.message) ?? []
        var decision = ResolverDecision(host: host, environment: .staging, resolver: stagingResolver, reasons: [],
                                        warnings: [], preflight: preflight, rateLimits: nil)
        if stagingRequested {
            decision.reasons = ["--acme-staging: every host uses the staging resolver"]
            decision.warnings = dnsProblems.map { "the staging order will fail too: \($0)" }
                + Self.failedSince(ledger.lastIssuance(of: host, in: .staging), host: host, in: .staging, ledger: ledger)
            return decision
        }
        if let issued = ledger.lastIssuance(of: host, in: .production) {
            let assessment = ledger.assess(names: [host], environment: .production)
            decision.choose(.production, resolver: productionResolver)
            decision.rateLimits = assessment
            decision.reasons = ["a production certificate for \(host) was issued on \(Self.day(issued)) (ledger)"]
            decision.warnings = dnsProblems.map { "its renewal may fail: \($0)" } + assessment.concerns.map(\.message)
                + Self.failedSince(issued, host: host, in: .production, ledger: ledger).map { "its renewal may fail: \($0)" }
            return decision
        }
        guard let staged = ledger.lastIssuance(of: host, in: .staging) else {
            decision.reasons = ["\(host) has never had a production certificate: staging first; production follows "
                + "once a staging certificate is recorded and the DNS preflight passes"]
            decision.warnings = dnsProblems.map { "the staging order will fail too: \($0)" }
                + Self.failedSince(nil, host: host, in: .staging, ledger: ledger)
            return decision
        }
        // A staging order that failed after the staging certificate says what production would meet now.
        if let failure = Self.failedSince(staged, host: host, in: .staging, ledger: ledger).first {
            decision.reasons = [failure + "; production would fail the same way and cost one of its 5 failed validations "
                + "per hour: fix it and let a staging order succeed first"]
            return decision
        }
        guard let preflight, preflight.environment == .production else {
            decision.reasons = ["no production DNS preflight was run for \(host): staying on staging"]
            return decision
        }
        guard preflight.isAllowed else {
            decision.reasons = ["the DNS preflight refused production:"] + preflight.errors.map(\.message)
            return decision
        }
        let assessment = ledger.assess(names: [host], environment: .production)
        decision.rateLimits = assessment
        let exceeded = assessment.checks.filter { $0.status == .exceeded }.map(\.message)
        if !exceeded.isEmpty, !force {
            decision.reasons = ["a Let's Encrypt production limit is reached:"] + exceeded
            return decision
        }
        decision.choose(.production, resolver: productionResolver)
        decision.reasons = ["a staging certificate was issued on \(Self.day(staged)) and the DNS preflight passed"]
        decision.warnings = preflight.findings.map(\.message)
            + assessment.concerns.map { $0.status == .exceeded ? "forced past the limit: \($0.message)" : $0.message }
        return decision
    }

    /// The last failed order for `host` in `environment` after `date` (any time when nil), as a sentence quoting
    /// the CA; empty when there is none.
    static func failedSince(_ date: Date?, host: String, in environment: ACMEEnvironment, ledger: CertificateLedger) -> [String] {
        guard let last = ledger.failures(of: host, in: environment).last, date.map({ last.date > $0 }) ?? true else { return [] }
        return ["the last \(environment) order for \(host) failed on \(day(last.date)): \(last.reason ?? "no reason recorded")"]
    }

    private static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}

extension ResolverDecision {
    fileprivate mutating func choose(_ environment: ACMEEnvironment, resolver: String) {
        self.environment = environment
        self.resolver = resolver
    }
}
