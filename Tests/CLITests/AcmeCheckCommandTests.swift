import Foundation
import SprocketTestSupport
import Testing

/// `acme check` through the built binary, with a hosts file standing in for DNS (no resolver of ours answers for
/// example.org here) and a private ledger.
@Suite("acme check: staging first, DNS preflight, exit codes")
struct AcmeCheckCommandTests {
    static func writeSpec(_ folder: TemporaryDirectory, staging: Bool) throws {
        try folder.write("stack.yaml", """
            stack: acme-it
            environments:
              prod: {}
            settings:
              hostname: example.org
            routing:
              domain: ${hostname}
              subdomain: main
              network: ingress
              access: [public]
              acme:
                resolver: letsencrypt
                email: ops@example.org
                staging: \(staging)
            layers: [app]
            """)
        try folder.write("app.yaml", """
            networks:
              ingress: {}
            services:
              web:
                image: example/web
                networks: [ingress]
                routes:
                  - port: 8080
                  - name: api
                    subdomain: api
                    port: 3001
            """)
    }

    /// Runs `acme check` with a hosts file mapping both hosts to `address`; CAA lookups go to a DNS server that
    /// does not exist, so they time out quickly and count as preflight problems only for production.
    static func check(_ folder: TemporaryDirectory, address: String, extra: [String] = []) async throws -> CLIRun {
        try folder.write("hosts", "\(address) example.org api.example.org\n")
        return try await CLIBinary.runDetached(
            ["acme", "check", "-f", folder.path, "--env", "prod", "--hosts-file", "\(folder.path)/hosts",
             "--dns-server", "127.0.0.1:9", "--ledger", "\(folder.path)/ledger.json"] + extra)
    }

    @Test("a production resolver for hosts never issued before: refused with staging first, exit 2, nothing recorded")
    func productionNeedsStagingFirst() async throws {
        let folder = try TemporaryDirectory(prefix: "acme-check")
        defer { folder.remove() }
        try Self.writeSpec(folder, staging: false)
        let run = try await Self.check(folder, address: "203.0.113.7", extra: ["--node-address", "203.0.113.7", "--json"])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let decisions = try #require(report["decisions"] as? [[String: Any]])
        #expect(decisions.compactMap { $0["host"] as? String }.sorted() == ["api.example.org", "example.org"])
        #expect(decisions.allSatisfy { $0["environment"] as? String == "staging" })
        #expect(run.stderr.contains("must use staging first"))
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/ledger.json"), "a check must not write the ledger")
    }

    @Test("a name that resolves elsewhere is refused production even when forced past staging-first, and staging is allowed")
    func resolvesElsewhere() async throws {
        let folder = try TemporaryDirectory(prefix: "acme-check")
        defer { folder.remove() }
        try Self.writeSpec(folder, staging: false)
        let refused = try await Self.check(folder, address: "198.51.100.9", extra: ["--node-address", "203.0.113.7", "--force"])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stdout.contains("198.51.100.9"), "the reason names where the host points:\n\(refused.stdout)")
        let staging = try await Self.check(folder, address: "198.51.100.9", extra: ["--acme-staging"])
        #expect(staging.status == 0, "\(staging.stdout)\(staging.stderr)")
        #expect(staging.stdout.contains("example.org: staging"))
    }

    @Test("production without the node's address is a usage error naming the flag")
    func needsNodeAddress() async throws {
        let folder = try TemporaryDirectory(prefix: "acme-check")
        defer { folder.remove() }
        try Self.writeSpec(folder, staging: false)
        let run = try await Self.check(folder, address: "203.0.113.7")
        #expect(run.status != 0)
        #expect(run.stderr.contains("--node-address"))
    }
}
