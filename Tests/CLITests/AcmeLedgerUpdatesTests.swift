import Foundation
import LetsEncrypt
import SprocketCore
import SprocketTestSupport
import Testing
import Traefik
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

    @Test("a host never issued goes to staging; after verify saw its staging certificate, production; flags override")
    func stagingFirst() throws {
        let folder = try TemporaryDirectory(prefix: "acme-up")
        defer { folder.remove() }
        let ledger = "\(folder.path)/ledger.json"
        let spec = try Self.stack(folder)
        #expect(Self.caServer(spec) == "production")
        var warnings: [String] = []
        let first = try AcmeLedgerUpdates.stagingFirst(spec, forceStaging: false, allowProduction: false, ledgerPath: ledger) { warnings.append($0) }
        #expect(Self.caServer(first) == "staging")
        #expect(warnings.count == 1 && warnings[0].contains("example.org never had a certificate"))

        let forced = try AcmeLedgerUpdates.stagingFirst(spec, forceStaging: false, allowProduction: true, ledgerPath: ledger) { _ in }
        #expect(Self.caServer(forced) == "production")

        // verify routes --probe saw the staging certificate: recorded once, however often it is seen.
        let seen = try Self.probe("example.org", issuer: "CN=(STAGING) Pretend Pear X1,O=(STAGING) Let's Encrypt,C=US")
        #expect(try AcmeLedgerUpdates.record([seen], ledgerPath: ledger) == ["example.org"])
        #expect(try AcmeLedgerUpdates.record([seen], ledgerPath: ledger).isEmpty)
        let other = try Self.probe("other.example.org", issuer: "CN=TRAEFIK DEFAULT CERT")
        #expect(try AcmeLedgerUpdates.record([other], ledgerPath: ledger).isEmpty)

        let second = try AcmeLedgerUpdates.stagingFirst(spec, forceStaging: false, allowProduction: false, ledgerPath: ledger) { _ in
            Issue.record("no warning expected once the host had a certificate")
        }
        #expect(Self.caServer(second) == "production")
        let staged = try AcmeLedgerUpdates.stagingFirst(spec, forceStaging: true, allowProduction: false, ledgerPath: ledger) { _ in }
        #expect(Self.caServer(staged) == "staging")
    }
}
