import Foundation
import LetsEncrypt
import SprocketCore
import SprocketTestSupport
import Testing
import Traefik
@testable import Orchestration
@testable import SprocketCLI

@Suite("Staging first in up, fed by the certificates verify routes sees")
struct AcmeLedgerUpdatesTests {
    static func certificate(issuer: String, notBefore: String) throws -> PeerCertificate {
        let json = """
            {"subject": "CN=example.org", "issuer": "\(issuer)", "dnsNames": ["example.org"], "notBefore": "\(notBefore)",
             "notAfter": "2027-01-01T00:00:00Z", "isTraefikDefault": false}
            """
        return try JSONDecoder().decode(PeerCertificate.self, from: Data(json.utf8))
    }

    static func probe(_ host: String, issuer: String, notBefore: String = "2026-11-01T00:00:00Z") throws -> RouteProbeResult {
        RouteProbeResult(
            target: RouteProbeTarget(scheme: .https, host: host, address: "127.0.0.1"), statusCode: 200,
            certificate: try certificate(issuer: issuer, notBefore: notBefore))
    }

    static func stack(_ folder: TemporaryDirectory) throws -> StackSpec {
        try folder.write("stack.yaml", """
            stack: acme-up
            environments:
              prod: {}
            routing:
              domain: example.org
              subdomain: main
              network: ingress
              access: [public]
              acme: {email: ops@example.org}
            layers: [edge]
            """)
        try folder.write("edge.yaml", """
            networks:
              ingress: {}
            configs:
              traefik-static:
                generated: traefik-static
            services:
              web:
                image: example/web
                networks: [ingress]
                routes:
                  - port: 8080
            """)
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: "prod")
    }

    static func caServer(_ stack: StackSpec) -> String {
        let text = String(decoding: stack.layers.first?.configs.first?.content ?? [], as: UTF8.self)
        return text.contains(ACMESettings.stagingServer) ? "staging" : (text.contains(ACMESettings.productionServer) ? "production" : "none")
    }

    @Test("issuers: Let's Encrypt staging, production, and anything else", arguments: [
        ("CN=(STAGING) Pretend Pear X1,O=(STAGING) Let's Encrypt,C=US", ACMEEnvironment?.some(.staging)),
        ("CN=R11,O=Let's Encrypt,C=US", .some(.production)),
        ("CN=TRAEFIK DEFAULT CERT", nil),
    ])
    func issuers(issuer: String, expected: ACMEEnvironment?) {
        #expect(AcmeLedgerUpdates.environment(ofIssuer: issuer) == expected)
    }

    /// Answers A questions from a table and everything else with NODATA (so no CAA record restricts issuance).
    struct TableResolver: DNSResolver {
        var addresses: [String: String]
        var serverDescription: String { "table" }

        func query(_ name: String, type: DNSRecordType) async throws -> [DNSResourceRecord] {
            guard let address = addresses[name] else { throw DNSError.nameNotFound(name: name, server: serverDescription) }
            guard type == .a, let ip = IPAddress(address) else { return [] }
            return [DNSResourceRecord(name: name, data: .a(ip))]
        }
    }

    static let node = "203.0.113.7"

    static func preflight(resolving address: String) throws -> ACMEPreflight {
        ACMEPreflight(resolver: TableResolver(addresses: ["example.org": address]), nodeAddresses: [try #require(IPAddress(node))])
    }

    static func decide(
        _ spec: StackSpec, ledger: String, forceStaging: Bool = false, allowProduction: Bool = false,
        preflight: ACMEPreflight?, warn: (String) -> Void = { _ in }
    ) async throws -> StackSpec {
        try await AcmeLedgerUpdates.resolverForRun(
            spec, forceStaging: forceStaging, allowProduction: allowProduction, ledgerPath: ledger, preflight: preflight, warn: warn)
    }

    @Test("a host never issued goes to staging; after verify saw its staging certificate, production; flags override")
    func stagingFirst() async throws {
        let folder = try TemporaryDirectory(prefix: "acme-up")
        defer { folder.remove() }
        let ledger = "\(folder.path)/ledger.json"
        let spec = try Self.stack(folder)
        let goodDNS = try Self.preflight(resolving: Self.node)
        #expect(Self.caServer(spec) == "production")
        var warnings: [String] = []
        let first = try await Self.decide(spec, ledger: ledger, preflight: goodDNS) { warnings.append($0) }
        #expect(Self.caServer(first) == "staging")
        #expect(warnings.count == 1 && warnings[0].contains("example.org never had a certificate"))

        let forced = try await Self.decide(spec, ledger: ledger, allowProduction: true, preflight: goodDNS)
        #expect(Self.caServer(forced) == "production")

        // verify routes --probe saw the staging certificate: recorded once, however often it is seen.
        let seen = try Self.probe("example.org", issuer: "CN=(STAGING) Pretend Pear X1,O=(STAGING) Let's Encrypt,C=US")
        #expect(try AcmeLedgerUpdates.record([seen], ledgerPath: ledger) == ["example.org"])
        #expect(try AcmeLedgerUpdates.record([seen], ledgerPath: ledger).isEmpty)
        let other = try Self.probe("other.example.org", issuer: "CN=TRAEFIK DEFAULT CERT")
        #expect(try AcmeLedgerUpdates.record([other], ledgerPath: ledger).isEmpty)

        let second = try await Self.decide(spec, ledger: ledger, preflight: goodDNS) { _ in
            Issue.record("no warning expected once the host had a certificate")
        }
        #expect(Self.caServer(second) == "production")
        let staged = try await Self.decide(spec, ledger: ledger, forceStaging: true, preflight: goodDNS)
        #expect(Self.caServer(staged) == "staging")
    }

    @Test("production needs the DNS preflight: a name resolving elsewhere or no known node address stops the run; staging is allowed")
    func productionNeedsPreflight() async throws {
        let folder = try TemporaryDirectory(prefix: "acme-up-dns")
        defer { folder.remove() }
        let ledger = "\(folder.path)/ledger.json"
        let spec = try Self.stack(folder)
        let elsewhere = try Self.preflight(resolving: "198.51.100.99")

        let refused = await #expect(throws: SprocketError.self) {
            try await Self.decide(spec, ledger: ledger, allowProduction: true, preflight: elsewhere)
        }
        #expect(refused?.code == .preflightFailed)
        #expect(refused?.message.contains("example.org") == true && refused?.message.contains("198.51.100.99") == true)
        #expect(refused?.message.contains(Self.node) == true, "the message says where the record must point")

        let unknownNode = await #expect(throws: SprocketError.self) {
            try await Self.decide(spec, ledger: ledger, allowProduction: true, preflight: nil)
        }
        #expect(unknownNode?.subject == "routing.public_ip")

        // Staging (forced, or first for a never-issued host) needs no preflight: its orders cost nothing.
        #expect(Self.caServer(try await Self.decide(spec, ledger: ledger, forceStaging: true, preflight: elsewhere)) == "staging")
        #expect(Self.caServer(try await Self.decide(spec, ledger: ledger, preflight: elsewhere)) == "staging")

        // A host issued before still goes through the preflight before production.
        _ = try AcmeLedgerUpdates.record(
            [try Self.probe("example.org", issuer: "CN=R11,O=Let's Encrypt,C=US")], ledgerPath: ledger)
        await #expect(throws: SprocketError.self) { try await Self.decide(spec, ledger: ledger, preflight: elsewhere) }
        let skipped = try await AcmeLedgerUpdates.resolverForRun(
            spec, forceStaging: false, allowProduction: false, ledgerPath: ledger, preflight: elsewhere, skipPreflight: true) { _ in }
        #expect(Self.caServer(skipped) == "production")
    }
}
