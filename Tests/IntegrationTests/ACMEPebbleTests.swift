import Foundation
import LetsEncrypt
import SprocketCore
import SprocketTestSupport
import Testing

/// The Let's Encrypt flow against Let's Encrypt's own test CA: real Traefik 3.7 on the test swarm, running the static
/// configuration sprocketctl generates with its ACME resolver's `caServer` pointed at a real pebble on the same
/// overlay network, pebble validating (for real, TLS-ALPN-01) against Traefik's entry points through the DNS answers
/// of pebble-challtestsrv. One pebble and one Traefik serve the suite.
@Suite("Let's Encrypt flow against pebble and real Traefik", .tags(.integration), .sharedPebble(challenge: "tls-alpn"))
struct ACMEPebbleTests {
    @Test("a route's certificate is issued by pebble through real Traefik's ACME resolver (TLS-ALPN-01) and served on websecure: its issuer is pebble's intermediate and it chains to pebble's root (pebble)")
    func certificateIssued() async throws {
        try await SharedPebble.fixture().expectIssued("issued")
    }

    @Test("pebble refusing an order (the host resolves where no Traefik answers): `acme failures` records it in the ledger with pebble's own error and names the host, the resolver, the reason and what to do; the policy keeps the host on staging (pebble)")
    func refusedOrder() async throws {
        let fixture = try SharedPebble.fixture()
        let host = try #require(try fixture.certificateHosts(of: "refused").first, "the route compiles no certificate resolver")
        // Inside pebble's container nothing listens on 127.0.0.1:443: the TLS-ALPN-01 validation cannot connect.
        try await fixture.testbed.pebble.resolve(host, to: "127.0.0.1")
        try await fixture.deploy("refused")
        let logged = await fixture.waitForFailureLog(host: host)
        try #require(!logged.isEmpty, "Traefik never logged a failed order for \(host)")
        #expect(logged.contains { $0.contains("Failed to connect to 127.0.0.1:443") }, "\(logged.prefix(2))")

        let ledgerPath = "\(fixture.folder.path)/acme-ledger.json"
        let arguments = ["acme", "failures", "-f", fixture.folder.path, "--env", "test", "--ledger", ledgerPath,
                         "--traefik-service", fixture.testbed.traefik.serviceName]
        let run = try await CLIBinary.runDetached(arguments)
        #expect(run.status == 2, "exit \(run.status)\n\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("\(host): no certificate:"), "\(run.stdout)")
        #expect(run.stdout.contains("resolver letsencrypt"), "\(run.stdout)")
        #expect(run.stdout.contains("CA \(PebbleSwarm.directoryURL)"), "\(run.stdout)")
        #expect(run.stdout.contains("urn:ietf:params:acme:error:") && run.stdout.contains("Failed to connect to 127.0.0.1:443"), "\(run.stdout)")
        #expect(run.stdout.contains("what to do: the CA could not connect to \(host)"), "\(run.stdout)")
        #expect(run.stdout.contains("newly recorded"), "\(run.stdout)")
        // The issued host has no failure: the command tells the two apart.
        let issued = try fixture.certificateHosts(of: "issued")
        for other in issued { #expect(!run.stdout.contains("\(other): no certificate"), "\(run.stdout)") }

        let ledger = try CertificateLedger(path: ledgerPath)
        let failures = ledger.failures(of: host)
        try #require(!failures.isEmpty, "nothing recorded in \(ledgerPath)")
        #expect(failures.allSatisfy { $0.environment == .staging }, "a test CA is filed under staging")
        #expect(failures.allSatisfy { $0.resolver == "letsencrypt" && $0.caServer == PebbleSwarm.directoryURL })
        #expect(failures.allSatisfy { $0.reason?.contains("Failed to connect to 127.0.0.1:443 for the tls-alpn-01 challenge") == true },
                "\(failures.map { $0.reason ?? "nil" })")

        // What the ledger now holds reaches the staging-first policy: the host stays on staging, with pebble's reason.
        let decision = ACMEResolverPolicy(stagingRequested: false).decide(host: host, preflight: nil, ledger: ledger)
        #expect(decision.environment == .staging)
        #expect(decision.warnings.contains { $0.contains("Failed to connect to 127.0.0.1:443") }, "\(decision.warnings)")

        // A second read (JSON this time) names the same host and reason, and records nothing twice: the ledger never
        // holds more failures than Traefik's log has lines for the host (read after both runs; the log only grows).
        let json = try await CLIBinary.runDetached(arguments + ["--json"])
        #expect(json.status == 2, "exit \(json.status)\n\(json.stderr)")
        #expect(json.stdout.contains(host) && json.stdout.contains("Failed to connect to 127.0.0.1:443"), "\(json.stdout)")
        let reread = try CertificateLedger(path: ledgerPath).failures(of: host).count
        let lines = await fixture.waitForFailureLog(host: host).count
        #expect(reread >= failures.count && reread <= lines, "ledger \(reread) failures, Traefik's log \(lines) lines")
    }
}

/// The same issuance with the HTTP-01 challenge: pebble fetches the token from Traefik's `web` entry point (port 80),
/// which Traefik answers before any redirect to https.
@Suite("Let's Encrypt HTTP-01 against pebble and real Traefik", .tags(.integration), .sharedPebble(challenge: "http"))
struct ACMEPebbleHTTPChallengeTests {
    @Test("a route's certificate is issued by pebble through real Traefik's ACME resolver with HTTP-01 on the web entry point and served on websecure (pebble)")
    func certificateIssued() async throws {
        try await SharedPebble.fixture().expectIssued("issued")
    }
}
