import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// `graph` and `docs` run as the built binary on the quickstart example and on ``InventoryFixture`` (routes, a Vault
/// token, PostgreSQL and S3).
@Suite("graph and docs commands")
struct InventoryCommandTests {
    static let quickstart = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/quickstart").path

    static func fixture() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory(prefix: "inventory-cli")
        try InventoryFixture.write(into: folder)
        return folder
    }

    @Test("graph --view full --format dot on the quickstart: one cluster per layer in deploy order, balanced, deterministic")
    func graphQuickstart() async throws {
        let run = try await CLIBinary.runDetached(["graph", "-f", Self.quickstart, "--env", "local", "--view", "full"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("digraph \"quickstart/local\" {"))
        let clusters = run.stdout.split(separator: "\n").filter { $0.contains("subgraph \"cluster_") }
        #expect(clusters.map { $0.trimmingCharacters(in: .whitespaces) } == [
            "subgraph \"cluster_0_edge\" {", "subgraph \"cluster_1_data\" {", "subgraph \"cluster_2_app\" {",
        ])
        #expect(run.stdout.filter { $0 == "{" }.count == run.stdout.filter { $0 == "}" }.count)
        #expect(run.stdout.contains("\"secret:store-password\" -> \"service:api\""))
        #expect(try await CLIBinary.runDetached(["graph", "-f", Self.quickstart, "--env", "local", "--view", "full"]).stdout == run.stdout)
    }

    @Test("graph without --view draws the overview, top-down; --view secrets and routes draw theirs; an unknown view is a usage error naming the views")
    func graphViews() async throws {
        let overview = try await CLIBinary.runDetached(["graph", "-f", Self.quickstart, "--env", "local"])
        #expect(overview.status == 0, "\(overview.stderr)")
        #expect(overview.stdout.hasPrefix("digraph \"quickstart/local: overview\" {") && overview.stdout.contains("rankdir=TB;"))
        #expect(!overview.stdout.contains("\"secret:"), "no secret in the overview")
        let folder = try Self.fixture()
        defer { folder.remove() }
        let secrets = try await CLIBinary.runDetached(["graph", "-f", folder.path, "--env", "prod", "--view", "secrets"])
        #expect(secrets.status == 0 && secrets.stdout.contains("\"secret:pg-app\" -> \"postgresRole:app_user\""), "\(secrets.stdout)\(secrets.stderr)")
        #expect(!secrets.stdout.contains("\"route:"))
        let routes = try await CLIBinary.runDetached(["graph", "-f", folder.path, "--env", "prod", "--view", "routes", "--format", "mermaid"])
        #expect(routes.status == 0 && routes.stdout.contains("https://api.example.test/graphql") && !routes.stdout.contains("pg-app"), "\(routes.stdout)")
        let unknown = try await CLIBinary.runDetached(["graph", "-f", folder.path, "--view", "everything"])
        #expect(unknown.status == 64 && unknown.stderr.contains("overview") && unknown.stderr.contains("secrets"), "\(unknown.status) \(unknown.stderr)")
    }

    @Test("graph --format mermaid -o FILE on the fixture writes a flowchart with routes and secret flows")
    func graphMermaid() async throws {
        let folder = try Self.fixture()
        defer { folder.remove() }
        let output = "\(folder.path)/out/graph.mmd"
        let run = try await CLIBinary.runDetached(["graph", "-f", folder.path, "--env", "prod", "--view", "full", "--format", "mermaid", "-o", output])
        #expect(run.status == 0, "\(run.stderr)")
        let text = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        #expect(text.hasPrefix("flowchart LR\n"))
        #expect(text.contains("public: https://api.example.test/graphql") && text.contains("vault token platform"))
        #expect(text.contains("postgres role app_user") && text.contains("s3 bucket inv-replays"))
    }

    @Test("graph --format svg and png: through Graphviz; without `dot` on PATH an error naming apt install graphviz")
    func graphSVG() async throws {
        let folder = try Self.fixture()
        defer { folder.remove() }
        let missing = try await CLIBinary.runDetached(["graph", "-f", folder.path, "--format", "svg"], environment: ["PATH": "\(folder.path)/no-bin"])
        #expect(missing.status == 1 && missing.stderr.contains("apt install graphviz"), "\(missing.stderr)")
        // scripts/test installs Graphviz (SPROCKET_TEST_DOT): without it this test fails rather than passing unseen.
        let dot = try #require(ProcessInfo.processInfo.environment["SPROCKET_TEST_DOT"].flatMap { $0.isEmpty ? nil : $0 },
                               "SPROCKET_TEST_DOT is not set: run the tests through scripts/test, which installs graphviz")
        let output = "\(folder.path)/graph.svg"
        let directory = (dot as NSString).deletingLastPathComponent
        let run = try await CLIBinary.runDetached(["graph", "-f", folder.path, "--format", "svg", "-o", output],
                                                  environment: ["PATH": "\(directory):/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.stderr)")
        let svg = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        #expect(svg.contains("<svg") && svg.contains("</svg>") && svg.contains("layer 1: edge"))
        let png = "\(folder.path)/secrets.png"
        let pngRun = try await CLIBinary.runDetached(["graph", "-f", folder.path, "--view", "secrets", "--format", "png", "-o", png],
                                                     environment: ["PATH": "\(directory):/usr/bin:/bin"])
        #expect(pngRun.status == 0, "\(pngRun.stderr)")
        #expect(FileManager.default.contents(atPath: png)?.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG file")
    }

    @Test("docs on the quickstart: Markdown with every service and secret, same bytes twice")
    func docsQuickstart() async throws {
        let run = try await CLIBinary.runDetached(["docs", "-f", Self.quickstart, "--env", "local"])
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["| api |", "| worker |", "| proxy |", "| store |", "| store-password |", "| store-data |"] {
            #expect(run.stdout.contains(name), "\(name)")
        }
        #expect(try await CLIBinary.runDetached(["docs", "-f", Self.quickstart, "--env", "local"]).stdout == run.stdout)
    }

    @Test("docs --json on the fixture: routes per profile, secrets with consumers, tokens, PostgreSQL, S3; no secret value")
    func docsJSON() async throws {
        let folder = try Self.fixture()
        defer { folder.remove() }
        let canary = "canary-\(UUID().uuidString)"
        let run = try await CLIBinary.runDetached(["docs", "-f", folder.path, "--env", "prod", "--json"],
                                    environment: ["PG_ADMIN": canary, "S3_ID": canary, "S3_SECRET": canary])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains(canary) && !run.stderr.contains(canary))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let routes = try #require(object["routes"] as? [[String: Any]])
        #expect(routes.contains { ($0["urls"] as? [String])?.contains("https://api.example.test/graphql") == true })
        let secrets = try #require(object["secrets"] as? [[String: Any]])
        #expect(secrets.contains { $0["name"] as? String == "pg-app" && ($0["consumers"] as? [String]) == ["api", "postgres role app_user"] })
        #expect((object["vaultTokens"] as? [[String: Any]])?.first?["name"] as? String == "platform")
        #expect((object["postgres"] as? [String: Any])?["host"] as? String == "db.example.test")
        #expect((object["buckets"] as? [[String: Any]])?.first?["name"] as? String == "inv-replays")
    }

    @Test("docs shows a Vault token's expiry as the local sealed store recorded it")
    func docsTokenExpiry() async throws {
        let folder = try Self.fixture()
        defer { folder.remove() }
        let keyFile = "\(folder.path)/key"
        let stateDirectory = "\(folder.path)/state"
        let identity = StackIdentity(stack: "inv", environment: "prod")
        let store = try SealedSecretStore(path: "\(stateDirectory)/secrets.sealed", key: try SecretKey.loadOrCreate(at: keyFile), identity: identity)
        let expiry = Date(timeIntervalSince1970: 1_900_000_000)
        let record: [String: Any] = [
            "accessor": "acc", "policies": ["platform-read"], "lifetimeSeconds": 2_764_800, "periodic": true,
            "createdAt": expiry.timeIntervalSinceReferenceDate - 100, "expiresAt": expiry.timeIntervalSinceReferenceDate,
        ]
        try store.replace(named: SealedStoreKey.vaultTokenRecord("platform").rawValue, with: Array(try JSONSerialization.data(withJSONObject: record)))
        let run = try await CLIBinary.runDetached(["docs", "-f", folder.path, "--env", "prod"],
                                    environment: ["SPROCKET_KEY_FILE": keyFile, "SPROCKET_STATE_DIR": stateDirectory])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("| platform | vault-token-platform | platform-read | period 768h | api | 2030-03-17T17:46:40Z |"), "\(run.stdout)")
    }
}
