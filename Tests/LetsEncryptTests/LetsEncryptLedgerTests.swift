import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
@testable import LetsEncrypt

@Suite("LetsEncrypt certificate ledger")
struct LetsEncryptLedgerTests {
    /// A fresh ledger in its own folder.
    func makeLedger(_ clock: TestClock, threshold: Double = 0.8) throws -> (CertificateLedger, TemporaryDirectory) {
        let folder = try TemporaryDirectory(prefix: "le-ledger")
        return (try CertificateLedger(path: "\(folder.path)/ledger.json", warningThreshold: threshold, now: clock.function),
                folder)
    }

    func check(_ assessment: RateLimitAssessment, _ kind: RateLimit.Kind) -> RateLimitCheck? {
        assessment.checks.first { $0.limit == kind }
    }

    @Test("50 certificates per registered domain: warn from the 40th, refuse the 51st", arguments: [
        (38, RateLimitCheck.Status.ok), (39, .warning), (49, .warning), (50, .exceeded),
    ])
    func registeredDomainLimit(issued: Int, expected: RateLimitCheck.Status) throws {
        let clock = TestClock()
        var (ledger, folder) = try makeLedger(clock)
        defer { folder.remove() }
        for index in 0..<issued {
            try ledger.recordIssued(names: ["host\(index).example.com"], environment: .production)
            clock.advance(by: 60)
        }
        let result = try #require(check(ledger.assess(names: ["next.example.com"], environment: .production),
                                        .certificatesPerRegisteredDomain))
        #expect(result.subject == "example.com")
        #expect(result.used == issued)
        #expect(result.maximum == 50)
        #expect(result.status == expected)
        #expect(result.message.hasPrefix("example.com: \(issued) of 50 certificates per registered domain used in the "
            + "last 7 days (Let's Encrypt production)"))
    }

    @Test("the 7-day window slides: the limit frees up exactly when the oldest certificate leaves it")
    func slidingWindow() throws {
        let clock = TestClock()
        let start = clock.now
        var (ledger, folder) = try makeLedger(clock)
        defer { folder.remove() }
        for index in 0..<50 {
            try ledger.recordIssued(names: ["h\(index).example.com"], environment: .production)
            clock.advance(by: hour)
        }
        let blocked = try #require(check(ledger.assess(names: ["x.example.com"], environment: .production),
                                         .certificatesPerRegisteredDomain))
        #expect(blocked.status == .exceeded)
        #expect(blocked.availableAt == start.addingTimeInterval(7 * day))
        #expect(blocked.message.contains("it would refuse another until 2027-01-22 08:00:00 UTC"))

        clock.advance(by: start.addingTimeInterval(7 * day).timeIntervalSince(clock.now) - 1)
        #expect(check(ledger.assess(names: ["x.example.com"], environment: .production),
                      .certificatesPerRegisteredDomain)?.status == .exceeded)
        clock.advance(by: 1)
        let freed = try #require(check(ledger.assess(names: ["x.example.com"], environment: .production),
                                       .certificatesPerRegisteredDomain))
        #expect(freed.used == 49)
        #expect(freed.status == .warning)
    }

    @Test("registered domains are counted apart; staging and production are counted apart")
    func separateCounters() throws {
        let clock = TestClock()
        var (ledger, folder) = try makeLedger(clock)
        defer { folder.remove() }
        for index in 0..<50 {
            try ledger.recordIssued(names: ["h\(index).example.com"], environment: .production)
        }
        #expect(ledger.assess(names: ["h.example.co.uk"], environment: .production).isBlocked == false)
        #expect(ledger.assess(names: ["h.example.com"], environment: .staging).isBlocked == false)
        #expect(ledger.assess(names: ["a.example.com"], environment: .production).isBlocked)
        // A certificate naming two registered domains counts against both.
        let both = ledger.assess(names: ["a.example.com", "a.example.org"], environment: .production)
        #expect(both.checks.filter { $0.limit == .certificatesPerRegisteredDomain }.map(\.subject)
            == ["example.com", "example.org"])
        #expect(both.isBlocked)
    }

    @Test("5 duplicates of the exact same set per 7 days; renewals of the set are exempt from the domain limit")
    func duplicateLimit() throws {
        let clock = TestClock()
        var (ledger, folder) = try makeLedger(clock)
        defer { folder.remove() }
        for count in 1...5 {
            try ledger.recordIssued(names: ["www.example.com", "example.com"], environment: .production)
            clock.advance(by: hour)
            let exactSet = try #require(check(ledger.assess(names: ["example.com", "WWW.example.com"],
                                                            environment: .production), .certificatesPerExactSet))
            #expect(exactSet.used == count)
            #expect(exactSet.subject == "example.com,www.example.com")
            #expect(exactSet.status == (count == 5 ? .exceeded : count >= 3 ? .warning : .ok))
        }
        #expect(ledger.orders.map(\.isRenewal) == [false, true, true, true, true])
        let another = ledger.assess(names: ["other.example.com"], environment: .production)
        #expect(check(another, .certificatesPerRegisteredDomain)?.used == 1)
        let renewal = ledger.assess(names: ["example.com", "www.example.com"], environment: .production)
        #expect(renewal.isRenewal)
        #expect(check(renewal, .certificatesPerRegisteredDomain) == nil)
        #expect(check(renewal, .newOrdersPerAccount) == nil)
    }

    @Test("5 failed validations per name per hour, then the hour frees it")
    func failedValidationLimit() throws {
        let clock = TestClock()
        var (ledger, folder) = try makeLedger(clock)
        defer { folder.remove() }
        for _ in 0..<5 {
            try ledger.recordFailure(names: ["api.example.com", "web.example.com"], failedIdentifiers: ["api.example.com"],
                                     environment: .production)
            clock.advance(by: 5 * 60)
        }
        let assessment = ledger.assess(names: ["api.example.com", "web.example.com"], environment: .production)
        let failures = assessment.checks.filter { $0.limit == .authorizationFailuresPerIdentifier }
        #expect(failures.map(\.subject) == ["api.example.com", "web.example.com"])
        #expect(failures.map(\.used) == [5, 0])
        #expect(failures.map(\.status) == [.exceeded, .ok])
        #expect(assessment.isBlocked)
        clock.advance(by: hour - 25 * 60)
        #expect(check(ledger.assess(names: ["api.example.com"], environment: .production),
                      .authorizationFailuresPerIdentifier)?.used == 4)
    }

    @Test("new orders per account count issued and failed orders in a 3-hour window")
    func newOrdersLimit() throws {
        let clock = TestClock()
        let folder = try TemporaryDirectory(prefix: "le-ledger")
        defer { folder.remove() }
        var ledger = try CertificateLedger(
            path: "\(folder.path)/ledger.json",
            limits: { _ in [RateLimit(.newOrdersPerAccount, maximum: 3, window: 3 * 3600)] }, now: clock.function)
        try ledger.recordIssued(names: ["a.example.com"], environment: .production)
        try ledger.recordFailure(names: ["b.example.org"], environment: .production)
        try ledger.recordIssued(names: ["c.example.net"], environment: .production)
        #expect(check(ledger.assess(names: ["d.example.io"], environment: .production), .newOrdersPerAccount)?.status
            == .exceeded)
        clock.advance(by: 3 * hour)
        #expect(check(ledger.assess(names: ["d.example.io"], environment: .production), .newOrdersPerAccount)?.used == 0)
    }

    @Test("authorize refuses at the limit unless forced")
    func authorize() throws {
        let clock = TestClock()
        var (ledger, folder) = try makeLedger(clock)
        defer { folder.remove() }
        for _ in 0..<5 { try ledger.recordIssued(names: ["app.example.com"], environment: .production) }
        do {
            try ledger.authorize(names: ["app.example.com"], environment: .production)
            Issue.record("not refused")
        } catch let error as SprocketError {
            #expect(error.code == .rateLimited)
            #expect(error.message.contains("5 of 5 duplicate certificates"))
            #expect(error.hint?.contains(ledger.path) == true)
        }
        #expect(try ledger.authorize(names: ["app.example.com"], environment: .production, force: true).isBlocked)
    }

    @Test("the ledger survives a restart: a new instance reads what the old one wrote")
    func survivesRestart() throws {
        let clock = TestClock()
        var (ledger, folder) = try makeLedger(clock)
        defer { folder.remove() }
        try ledger.recordIssued(names: ["app.example.com"], environment: .staging)
        try ledger.recordIssued(names: ["app.example.com"], environment: .production)
        try ledger.recordFailure(names: ["api.example.com"], environment: .production)
        let reopened = try CertificateLedger(path: ledger.path, now: clock.function)
        #expect(reopened.orders == ledger.orders)
        #expect(reopened.hasIssued("APP.example.com", in: .production))
        #expect(!reopened.hasIssued("api.example.com", in: .production))
        #expect(reopened.assess(names: ["x.example.com"], environment: .production)
            == ledger.assess(names: ["x.example.com"], environment: .production))
        let text = try String(contentsOfFile: ledger.path, encoding: .utf8)
        #expect(text.contains("\"schemaVersion\" : 1"))
        #expect(text.contains("\"outcome\" : \"issued\""))
    }

    @Test("a corrupt ledger file is an error naming the path and what is wrong", arguments: [
        ("{ not json", "not valid JSON"),
        (#"{"schemaVersion":1,"orders":[{"environment":"prod","names":[],"date":"2026-01-01T00:00:00Z"}]}"#, "not valid JSON"),
        (#"{"schemaVersion":1}"#, "missing \"orders\""),
        (#"{"schemaVersion":7,"orders":[]}"#, "schema version 7"),
    ])
    func corruptFile(contents: String, expected: String) throws {
        let folder = try TemporaryDirectory(prefix: "le-ledger")
        defer { folder.remove() }
        try folder.write("ledger.json", contents)
        let path = "\(folder.path)/ledger.json"
        do {
            _ = try CertificateLedger(path: path)
            Issue.record("accepted")
        } catch let error as SprocketError {
            #expect(error.code == .stateCorrupt)
            #expect(error.subject == path)
            #expect(error.description.hasPrefix("\(path): "))
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test("registered domains from the built-in public suffixes, with overrides", arguments: [
        ("api.sprocket.gg", "sprocket.gg", true), ("www.example.co.uk", "example.co.uk", true),
        ("a.b.example.com", "example.com", true), ("*.example.org", "example.org", true),
        ("user.github.io", "user.github.io", true), ("app.example.com.mx", "example.com.mx", true),
        ("x.example.com.zz", "com.zz", false), ("example.com", "example.com", true), ("co.uk", "co.uk", true),
        ("203.0.113.9", "203.0.113.9", true),
    ])
    func registeredDomains(name: String, domain: String, isKnown: Bool) {
        let result = PublicSuffixes().registeredDomain(of: name)
        #expect(result.domain == domain)
        #expect(result.isKnownSuffix == isKnown)
    }

    @Test("an added public suffix changes the registered domain")
    func addedSuffix() {
        #expect(PublicSuffixes().registeredDomain(of: "a.shop.example.zz").domain == "example.zz")
        #expect(PublicSuffixes(additional: ["example.zz"]).registeredDomain(of: "a.shop.example.zz").domain == "shop.example.zz")
    }
}
