import Foundation
import SprocketTestSupport
import Testing
@testable import LetsEncrypt

@Suite("LetsEncrypt resolver policy")
struct LetsEncryptPolicyTests {
    let clock = TestClock()

    func makeLedger() throws -> (CertificateLedger, TemporaryDirectory) {
        let folder = try TemporaryDirectory(prefix: "le-policy")
        return (try CertificateLedger(path: "\(folder.path)/ledger.json", now: clock.function), folder)
    }

    /// A production preflight verdict built directly (the preflight itself is tested against a DNS server).
    func preflight(_ host: String, problems: [String] = []) -> HostPreflight {
        HostPreflight(host: host, environment: .production, isAllowed: problems.isEmpty, cnameChain: [host],
                      addresses: [ip(nodeIPv4)], caaDomain: nil, caaRecords: [],
                      findings: problems.map { PreflightFinding(.addressMismatch, .error, $0) })
    }

    @Test("a name never issued goes to staging first, even when its DNS is right")
    func stagingFirst() throws {
        let (ledger, folder) = try makeLedger()
        defer { folder.remove() }
        let decision = ACMEResolverPolicy(stagingRequested: false)
            .decide(host: "New.Example.com", preflight: preflight("new.example.com"), ledger: ledger)
        #expect(decision.host == "new.example.com")
        #expect(decision.environment == .staging)
        #expect(decision.resolver == "letsencrypt-staging")
        #expect(decision.reasons == ["new.example.com has never had a production certificate: staging first; "
            + "production follows once a staging certificate is recorded and the DNS preflight passes"])
        #expect(decision.warnings.isEmpty)
    }

    @Test("after a staging certificate and a passing preflight, production is allowed")
    func productionAfterStaging() throws {
        var (ledger, folder) = try makeLedger()
        defer { folder.remove() }
        try ledger.recordIssued(names: ["app.example.com"], environment: .staging)
        let decision = ACMEResolverPolicy(stagingRequested: false)
            .decide(host: "app.example.com", preflight: preflight("app.example.com"), ledger: ledger)
        #expect(decision.environment == .production)
        #expect(decision.resolver == "letsencrypt")
        #expect(decision.reasons == ["a staging certificate was issued on 2027-01-15 and the DNS preflight passed"])
        #expect(decision.rateLimits?.isBlocked == false)
    }

    @Test("after a staging certificate, a failing preflight keeps the name on staging with the fix")
    func preflightKeepsStaging() throws {
        var (ledger, folder) = try makeLedger()
        defer { folder.remove() }
        try ledger.recordIssued(names: ["app.example.com"], environment: .staging)
        let problem = "app.example.com resolves to 203.0.113.9, not this node's 198.51.100.4: point the A record at 198.51.100.4"
        let decision = ACMEResolverPolicy(stagingRequested: false)
            .decide(host: "app.example.com", preflight: preflight("app.example.com", problems: [problem]), ledger: ledger)
        #expect(decision.environment == .staging)
        #expect(decision.reasons == ["the DNS preflight refused production:", problem])
    }

    @Test("without a production preflight a new name cannot move to production")
    func noPreflight() throws {
        var (ledger, folder) = try makeLedger()
        defer { folder.remove() }
        try ledger.recordIssued(names: ["app.example.com"], environment: .staging)
        let decision = ACMEResolverPolicy(stagingRequested: false).decide(host: "app.example.com", preflight: nil, ledger: ledger)
        #expect(decision.environment == .staging)
    }

    @Test("--acme-staging sends every host to staging, also those already in production")
    func stagingFlag() throws {
        var (ledger, folder) = try makeLedger()
        defer { folder.remove() }
        try ledger.recordIssued(names: ["app.example.com"], environment: .production)
        let decision = ACMEResolverPolicy(stagingRequested: true)
            .decide(host: "app.example.com", preflight: preflight("app.example.com"), ledger: ledger)
        #expect(decision.environment == .staging)
        #expect(decision.reasons == ["--acme-staging: every host uses the staging resolver"])
    }

    @Test("a name already issued in production stays there; DNS problems become warnings")
    func stickyProduction() throws {
        var (ledger, folder) = try makeLedger()
        defer { folder.remove() }
        try ledger.recordIssued(names: ["app.example.com"], environment: .production)
        let decision = ACMEResolverPolicy(stagingRequested: false)
            .decide(host: "app.example.com", preflight: preflight("app.example.com", problems: ["moved away"]), ledger: ledger)
        #expect(decision.environment == .production)
        #expect(decision.warnings == ["its renewal may fail: moved away"])
    }

    @Test("a reached production limit keeps a staged name on staging unless forced")
    func rateLimitKeepsStaging() throws {
        var (ledger, folder) = try makeLedger()
        defer { folder.remove() }
        try ledger.recordIssued(names: ["app.example.com"], environment: .staging)
        for index in 0..<50 { try ledger.recordIssued(names: ["h\(index).example.com"], environment: .production) }
        let held = ACMEResolverPolicy(stagingRequested: false)
            .decide(host: "app.example.com", preflight: preflight("app.example.com"), ledger: ledger)
        #expect(held.environment == .staging)
        #expect(held.reasons.first == "a Let's Encrypt production limit is reached:")
        #expect(held.reasons.dropFirst().first?.hasPrefix("example.com: 50 of 50 certificates per registered domain") == true)

        let forced = ACMEResolverPolicy(stagingRequested: false, force: true)
            .decide(host: "app.example.com", preflight: preflight("app.example.com"), ledger: ledger)
        #expect(forced.environment == .production)
        #expect(forced.warnings.contains { $0.hasPrefix("forced past the limit: example.com: 50 of 50") })
    }

    @Test("end to end: preflight against a DNS server, then one decision per host, encoded as JSON")
    func evaluate() async throws {
        var (ledger, folder) = try makeLedger()
        defer { folder.remove() }
        try ledger.recordIssued(names: ["ready.example.com"], environment: .staging)
        try ledger.recordIssued(names: ["moved.example.com"], environment: .staging)
        let zone = [aRecord("ready.example.com", nodeIPv4), aRecord("moved.example.com", "203.0.113.9"),
                    aRecord("fresh.example.com", nodeIPv4)]
        try await withDNSServer(zone) { server in
            let check = ACMEPreflight(resolver: resolver(for: server), nodeAddresses: [ip(nodeIPv4)])
            let report = await ACMEResolverPolicy(stagingRequested: false)
                .evaluate(hosts: ["ready.example.com", "moved.example.com", "fresh.example.com"], preflight: check,
                          ledger: ledger)
            #expect(report.productionHosts == ["ready.example.com"])
            #expect(report.stagingHosts == ["moved.example.com", "fresh.example.com"])
            #expect(report.decisions[1].reasons.last?.contains("point the A record at 198.51.100.4") == true)

            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            let data = try encoder.encode(report)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            #expect(try decoder.decode(ACMESafetyReport.self, from: data) == report)
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let decisions = try #require(json["decisions"] as? [[String: Any]])
            #expect(decisions.map { $0["resolver"] as? String } == ["letsencrypt", "letsencrypt-staging", "letsencrypt-staging"])
            let preflight = try #require(decisions[1]["preflight"] as? [String: Any])
            #expect(preflight["addresses"] as? [String] == ["203.0.113.9"])
            #expect((preflight["findings"] as? [[String: Any]])?.first?["kind"] as? String == "address-mismatch")
        }
    }
}
