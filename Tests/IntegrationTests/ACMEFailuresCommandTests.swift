import Foundation
import SprocketTestSupport
import Testing

/// `acme failures` when there is nothing it can read: it says where it looked and what to do, and exits non-zero.
@Suite("acme failures without a Traefik to read", .tags(.integration))
struct ACMEFailuresCommandTests {
    static let stack = """
        stack: {{stack}}
        environments:
          test:
            access: [public]
        routing:
          domain: example.test
          acme: {resolver: letsencrypt, email: ops@example.test}
        layers: [app]

        """

    static let app = """
        services:
          site:
            image: sprocket-local/web:1
            routes:
              - port: 8080

        """

    func folder() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory(prefix: "sprocket-acme-cli")
        try folder.write("stack.yaml", Self.stack.replacingOccurrences(of: "{{stack}}", with: "ta-\(uniqueSuffix())"))
        try folder.write("app.yaml", Self.app)
        return folder
    }

    @Test("a stack that runs no Traefik of its own: the error asks for --traefik-service")
    func noTraefik() throws {
        let folder = try folder()
        defer { folder.remove() }
        let run = try CLIBinary.run(["acme", "failures", "-f", folder.path, "--env", "test", "--ledger", "\(folder.path)/ledger.json"])
        #expect(run.status != 0 && run.status != 2, "exit \(run.status)\n\(run.stdout)")
        #expect(run.stderr.contains("runs no Traefik of its own") && run.stderr.contains("--traefik-service"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/ledger.json"), "nothing was read, so nothing is written")
    }

    @Test("a Traefik service that does not exist: the error names it and says to deploy first")
    func missingService() throws {
        let folder = try folder()
        defer { folder.remove() }
        let service = "ta-nowhere-\(uniqueSuffix())"
        let run = try CLIBinary.run(["acme", "failures", "-f", folder.path, "--env", "test", "--traefik-service", service,
                                     "--ledger", "\(folder.path)/ledger.json"])
        #expect(run.status == 1, "exit \(run.status)\n\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("cannot read the log of Traefik's service \(service)"), "\(run.stderr)")
        #expect(run.stderr.contains("deploy the stack first"), "\(run.stderr)")
    }
}
