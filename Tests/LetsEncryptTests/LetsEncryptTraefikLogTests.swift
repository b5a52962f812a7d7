import Foundation
import SprocketTestSupport
import Testing
@testable import LetsEncrypt

/// Lines real Traefik 3.7.15 logged on the test swarm while pebble 2.4.0 refused an order (the host resolved to an
/// address where nothing listens on 443) and issued another; copied from `docker service logs`.
enum RealTraefikACMELog {
    static let refused = #"2026-12-06T21:58:22Z ERR Unable to obtain ACME certificate for domains error="unable to generate a certificate for the domains [bad.example.test]: resolver: one or more domains had a problem: [bad.example.test: invalid authorization: acme: error: 403 :: urn:ietf:params:acme:error:unauthorized :: Failed to connect to 10.0.25.4:443 for the tls-alpn-01 challenge]" ACME CA=https://pebble:14000/dir acmeCA=https://pebble:14000/dir domains=["bad.example.test"] providerName=letsencrypt.acme routerName=bad@swarm rule=Host(`bad.example.test`)"#
    static let refusedLater = refused.replacingOccurrences(of: "21:58:22Z", with: "21:58:24Z")
    static let progress = [
        "2026-12-06T21:58:22Z INF The server validated our request. domain=app.example.test lib=lego",
        "2026-12-06T21:58:23Z INF Server responded with a certificate. domains=app.example.test lib=lego",
    ]
    /// The shape of an order that never reached the CA (Traefik's message around lego's error; no problem document).
    static let unreachable = #"2026-12-06T22:10:00Z ERR Unable to obtain ACME certificate for domains error="unable to generate a certificate for the domains [app.example.test]: cannot get ACME client get directory at 'https://pebble:14000/dir': Get \"https://pebble:14000/dir\": dial tcp: lookup pebble on 127.0.0.11:53: no such host" acmeCA=https://pebble:14000/dir domains=["app.example.test"] providerName=letsencrypt.acme routerName=app@swarm"#
}

@Suite("LetsEncrypt: failed orders from Traefik's log into the ledger")
struct LetsEncryptTraefikLogTests {
    let parser = TraefikACMELogParser()

    @Test("a refused order: date, names, resolver, CA, router and pebble's problem document, verbatim")
    func parsesRefusal() throws {
        let failure = try #require(parser.failure(in: RealTraefikACMELog.refused))
        #expect(failure.date == Date(timeIntervalSince1970: 1_796_594_302))
        #expect(failure.domains == ["bad.example.test"])
        #expect(failure.resolver == "letsencrypt")
        #expect(failure.caServer == "https://pebble:14000/dir")
        #expect(failure.router == "bad@swarm")
        #expect(failure.problems == [ACMEProblem(
            identifier: "bad.example.test", status: 403, type: "urn:ietf:params:acme:error:unauthorized",
            detail: "Failed to connect to 10.0.25.4:443 for the tls-alpn-01 challenge")])
        #expect(failure.isFailedValidation)
        #expect(failure.failedIdentifiers == ["bad.example.test"])
        #expect(failure.reason == "403 urn:ietf:params:acme:error:unauthorized: Failed to connect to 10.0.25.4:443 for the tls-alpn-01 challenge")
        #expect(failure.environment(fallback: .staging) == .staging)
    }

    @Test("docker's task prefix in front of the line changes nothing; progress lines are not failures")
    func prefixAndNoise() {
        let prefixed = "tp-1-traefik.1.mh7jkktzu836@vm    | " + RealTraefikACMELog.refused
        #expect(parser.failure(in: prefixed) == parser.failure(in: RealTraefikACMELog.refused))
        #expect(parser.failures(in: RealTraefikACMELog.progress).isEmpty)
    }

    @Test("an order that never reached the CA is reported, but is no failed validation")
    func unreachableCA() throws {
        let failure = try #require(parser.failure(in: RealTraefikACMELog.unreachable))
        #expect(failure.problems.isEmpty)
        #expect(!failure.isFailedValidation)
        #expect(failure.reason.contains(#"Get "https://pebble:14000/dir": dial tcp: lookup pebble"#), "\(failure.reason)")
        #expect(ACMEFailureAdvice.remedy(for: failure).hasPrefix("the order never reached a validation"))
    }

    @Test("Let's Encrypt's own directories decide the environment; any other CA falls back")
    func environments() throws {
        var failure = try #require(parser.failure(in: RealTraefikACMELog.refused))
        failure.caServer = ACMEEnvironment.production.directoryURL
        #expect(failure.environment(fallback: .staging) == .production)
        failure.caServer = ACMEEnvironment.staging.directoryURL
        #expect(failure.environment(fallback: .production) == .staging)
    }

    @Test("recording the same log twice adds nothing; a longer log adds only its new failures; reasons are kept")
    func recordsOnce() throws {
        let folder = try TemporaryDirectory(prefix: "le-log-ledger")
        defer { folder.remove() }
        // The ledger's clock: ten minutes after the logged failures, inside the one-hour window of the limit.
        let clock = TestClock(Date(timeIntervalSince1970: 1_796_594_302 + 600))
        var ledger = try CertificateLedger(path: "\(folder.path)/ledger.json", now: clock.function)
        // Two failures in the same second are two orders at the CA: both count.
        let first = parser.failures(in: [RealTraefikACMELog.refused, RealTraefikACMELog.refused] + RealTraefikACMELog.progress)
        #expect(try ledger.recordFailures(first, unknownCA: .staging).count == 2)
        #expect(try ledger.recordFailures(first, unknownCA: .staging).isEmpty)
        let longer = first + parser.failures(in: [RealTraefikACMELog.refusedLater, RealTraefikACMELog.unreachable])
        #expect(try ledger.recordFailures(longer, unknownCA: .staging).count == 1)

        let reopened = try CertificateLedger(path: "\(folder.path)/ledger.json", now: clock.function)
        let failures = reopened.failures(of: "bad.example.test")
        #expect(failures.count == 3)
        #expect(failures.allSatisfy { $0.environment == .staging && $0.resolver == "letsencrypt" })
        #expect(failures.allSatisfy { $0.reason?.hasSuffix("Failed to connect to 10.0.25.4:443 for the tls-alpn-01 challenge") == true })
        #expect(reopened.failures(of: "app.example.test").isEmpty, "an unreachable CA is no failed validation")
        // The rate-limit assessment counts them (staging allows 200 failed validations per name per hour).
        let check = reopened.assess(names: ["bad.example.test"], environment: .staging).checks.first { $0.limit == .authorizationFailuresPerIdentifier }
        #expect(check?.used == 3, "\(String(describing: check))")
    }

    @Test("a ledger written before failures carried a reason still opens")
    func olderLedger() throws {
        let folder = try TemporaryDirectory(prefix: "le-log-old")
        defer { folder.remove() }
        try folder.write("ledger.json", """
            {"schemaVersion": 1, "orders": [{"environment": "staging", "names": ["a.example.com"], "date": "2026-01-01T00:00:00Z",
              "outcome": "failed", "failedIdentifiers": ["a.example.com"], "isRenewal": false}]}
            """)
        let ledger = try CertificateLedger(path: "\(folder.path)/ledger.json")
        #expect(ledger.failures(of: "a.example.com").first?.reason == nil)
        #expect(ledger.failures(of: "a.example.com").count == 1)
    }

    @Test("the summary per host says what to do for the CA's problem", arguments: [
        ("connection", "the CA could not connect to bad.example.test"),
        ("dns", "the CA could not resolve bad.example.test"),
        ("caa", "a CAA record forbids this CA"),
        ("unauthorized", "the CA reached a server that did not answer the challenge"),
        ("rateLimited", "the CA's rate limit is reached"),
        ("rejectedIdentifier", "the CA will not issue for bad.example.test"),
    ])
    func advice(kind: String, expected: String) throws {
        var failure = try #require(parser.failure(in: RealTraefikACMELog.refused))
        failure.problems = [ACMEProblem(identifier: "bad.example.test", status: 403, type: "urn:ietf:params:acme:error:\(kind)", detail: "d")]
        failure.error = "acme: error: 403 :: urn:ietf:params:acme:error:\(kind) :: d"
        let summary = try #require(ACMEHostFailures.summarize([failure], hosts: ["bad.example.test", "app.example.test"]).first)
        #expect(summary.remedy.hasPrefix(expected), "\(summary.remedy)")
        #expect(summary.host == "bad.example.test" && summary.failedOrders == 1 && summary.reason.hasSuffix(": d"))
    }

    @Test("the policy: a staging order that failed after the staging certificate keeps the host on staging, with the CA's words")
    func policyAfterFailure() throws {
        let clock = TestClock()
        let folder = try TemporaryDirectory(prefix: "le-log-policy")
        defer { folder.remove() }
        var ledger = try CertificateLedger(path: "\(folder.path)/ledger.json", now: clock.function)
        let preflight = HostPreflight(
            host: "bad.example.test", environment: .production, isAllowed: true, cnameChain: ["bad.example.test"],
            addresses: [ip(nodeIPv4)], caaDomain: nil, caaRecords: [], findings: [])
        try ledger.recordIssued(names: ["bad.example.test"], environment: .staging, date: clock.now.addingTimeInterval(-day))
        let policy = ACMEResolverPolicy(stagingRequested: false)
        #expect(policy.decide(host: "bad.example.test", preflight: preflight, ledger: ledger).environment == .production)

        var failure = try #require(parser.failure(in: RealTraefikACMELog.refused))
        failure.date = clock.now
        try ledger.recordFailures([failure], unknownCA: .staging)
        let decision = policy.decide(host: "bad.example.test", preflight: preflight, ledger: ledger)
        #expect(decision.environment == .staging)
        #expect(decision.reasons.first?.contains("Failed to connect to 10.0.25.4:443 for the tls-alpn-01 challenge") == true,
                "\(decision.reasons)")
        // --acme-staging shows it as a warning.
        let staged = ACMEResolverPolicy(stagingRequested: true).decide(host: "bad.example.test", preflight: nil, ledger: ledger)
        #expect(staged.warnings.contains { $0.contains("Failed to connect") }, "\(staged.warnings)")
    }
}

@Suite("LetsEncrypt: Traefik's log fields")
struct LetsEncryptLogfmtTests {
    @Test("quoted values keep escaped quotes and newlines; bare values end at a space; the message is skipped")
    func fields() {
        let fields = LogfmtFields(#"2026-12-06T21:58:22Z ERR Unable to obtain x=1 error="a \"b\"\nc" domains=["a.example","b.example"] providerName=le.acme"#)
        #expect(fields["x"] == "1")
        #expect(fields["error"] == "a \"b\"\nc")
        #expect(fields["domains"] == #"["a.example","b.example"]"#)
        #expect(fields["providerName"] == "le.acme")
        #expect(fields["Unable"] == nil)
    }

    @Test("two names in one order (lego lists their errors space separated): both are listed, each problem names its own")
    func twoNames() throws {
        let line = #"2026-12-06T21:58:22Z ERR Unable to obtain ACME certificate for domains error="unable to generate a certificate for the domains [a.example.test b.example.test]: resolver: one or more domains had a problem: [a.example.test: invalid authorization: acme: error: 400 :: urn:ietf:params:acme:error:dns :: no A record b.example.test: invalid authorization: acme: error: 403 :: urn:ietf:params:acme:error:caa :: CAA forbids]" providerName=le.acme"#
        let failure = try #require(TraefikACMELogParser().failure(in: line))
        #expect(failure.domains == ["a.example.test", "b.example.test"], "from the error text when there is no domains= field")
        #expect(failure.problems.map(\.identifier) == ["a.example.test", "b.example.test"])
        #expect(failure.problems.map(\.kind) == [.dns, .caa])
        #expect(failure.resolver == "le")
        #expect(failure.caServer == nil)
    }

    @Test("a detail with brackets of its own (an IPv6 address) is kept whole")
    func bracketsInDetail() throws {
        let line = RealTraefikACMELog.refused.replacingOccurrences(of: "10.0.25.4:443", with: "[2001:db8::1]:443")
        let failure = try #require(TraefikACMELogParser().failure(in: line))
        #expect(failure.problems.first?.detail == "Failed to connect to [2001:db8::1]:443 for the tls-alpn-01 challenge")
    }
}
