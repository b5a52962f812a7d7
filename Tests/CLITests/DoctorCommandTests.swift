import Foundation
import SprocketTestSupport
import Testing

/// `doctor` through the built binary: the git leak scan on temporary repositories, the spec check, and the docker
/// check against a daemon that is not there.
@Suite("DoctorCLI: git leak scan, spec and docker checks")
struct DoctorCommandTests {
    /// A Vault-token-shaped canary (never a real token).
    static let token = "hvs.CANARYdoctor0123456789abcdefXYZ"

    static let gitEnvironment = [
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
    ]

    static func git(_ arguments: [String], in folder: TemporaryDirectory) throws -> String {
        let run = try CLIBinary.run(["git", "-C", folder.path] + arguments, environment: gitEnvironment, executable: "/usr/bin/env")
        guard run.status == 0 else { throw GitFailed(message: "git \(arguments.joined(separator: " ")): \(run.stderr)") }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct GitFailed: Error { var message: String }

    /// A repository with a valid spec committed.
    static func withRepository(_ body: (TemporaryDirectory) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "doctor-cli")
        defer { folder.remove() }
        try folder.write("stack.yaml", "stack: doc\nlayers: [app]\n")
        try folder.write("app.yaml", "services:\n  web:\n    image: example/web\n")
        _ = try git(["init", "-q", "-b", "main"], in: folder)
        _ = try git(["add", "."], in: folder)
        _ = try git(["commit", "-q", "-m", "spec"], in: folder)
        try await body(folder)
    }

    static func doctor(_ folder: TemporaryDirectory, _ extra: [String] = ["--skip-docker"]) async throws -> CLIRun {
        try await CLIBinary.runDetached(["doctor"] + extra, environment: ["SPROCKET_KEY_FILE": "\(folder.path)/.key-unused"], directory: folder.path)
    }

    @Test("a clean repository passes: spec ok, git ok, exit 0")
    func clean() async throws {
        try await Self.withRepository { folder in
            let run = try await Self.doctor(folder)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("ok   spec") && run.stdout.contains("ok   git-secrets"), "\(run.stdout)")
        }
    }

    @Test("a token committed and later reverted is found in history with file:line and the commit; the value is masked")
    func revertedToken() async throws {
        try await Self.withRepository { folder in
            try folder.write("settings.env", "# settings\nLOG_LEVEL=info\nVAULT_TOKEN=\(Self.token)\n")
            _ = try Self.git(["add", "settings.env"], in: folder)
            _ = try Self.git(["commit", "-q", "-m", "oops"], in: folder)
            let leaked = try Self.git(["rev-parse", "--short", "HEAD"], in: folder)
            _ = try Self.git(["revert", "--no-edit", "HEAD"], in: folder)
            #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/settings.env"), "the revert removed the file")

            let run = try await Self.doctor(folder)
            #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("FAIL git-secrets"), "\(run.stdout)")
            #expect(run.stdout.contains("settings.env:3 in commit \(leaked)"), "\(run.stdout)")
            #expect(run.stdout.contains("Vault token") && run.stdout.contains("what to do"), "\(run.stdout)")
            #expect(!run.stdout.contains(Self.token) && !run.stderr.contains(Self.token) && !run.stdout.contains("CANARYdoctor"))

            let json = try await Self.doctor(folder, ["--skip-docker", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["ok"] as? Bool == false)
            #expect(!json.stdout.contains("CANARYdoctor"))
        }
    }

    @Test("a token still in a tracked file is listed once, with the commit that added it")
    func trackedToken() async throws {
        try await Self.withRepository { folder in
            try folder.write("app.env", "VAULT_TOKEN=\(Self.token)\n")
            _ = try Self.git(["add", "app.env"], in: folder)
            _ = try Self.git(["commit", "-q", "-m", "token"], in: folder)
            let added = try Self.git(["rev-parse", "--short", "HEAD"], in: folder)
            let run = try await Self.doctor(folder)
            #expect(run.status == 1)
            #expect(run.stdout.contains("app.env:1 in the working tree (added in commit \(added))"), "\(run.stdout)")
            #expect(run.stdout.components(separatedBy: "app.env:1").count == 2, "listed once: \(run.stdout)")
            #expect(!run.stdout.contains("CANARYdoctor"))
        }
    }

    @Test("committed state and key files are reported")
    func committedState() async throws {
        try await Self.withRepository { folder in
            try folder.write(".sprocket/doc/default/secrets.sealed", "{}\n")
            try folder.write("vault.keys", "{\n  \"cipher\" : \"AES-256-GCM\",\n  \"format\" : \"sprocketctl-sealed\",\n  \"version\" : 1\n}\n")
            _ = try Self.git(["add", "."], in: folder)
            _ = try Self.git(["commit", "-q", "-m", "state"], in: folder)
            let run = try await Self.doctor(folder)
            #expect(run.status == 1)
            #expect(run.stdout.contains(".sprocket/doc/default/secrets.sealed") && run.stdout.contains("state (.sprocket/)"), "\(run.stdout)")
            #expect(run.stdout.contains("vault.keys:3") && run.stdout.contains("sealed key file"), "\(run.stdout)")
        }
    }

    @Test("an invalid spec and an unreachable docker daemon fail with what to do")
    func specAndDocker() async throws {
        try await Self.withRepository { folder in
            try folder.write("app.yaml", "services:\n  web:\n    imag: example/web\n")
            let run = try await CLIBinary.runDetached(
                ["doctor"], environment: ["DOCKER_HOST": "unix://\(folder.path)/absent.sock", "SPROCKET_KEY_FILE": "\(folder.path)/.key-unused"],
                directory: folder.path)
            #expect(run.status == 1)
            #expect(run.stdout.contains("FAIL spec") && run.stdout.contains("app.yaml:3"), "\(run.stdout)")
            #expect(run.stdout.contains("FAIL docker") && run.stdout.contains("start dockerd"), "\(run.stdout)")
        }
    }

    @Test("paths listed in .sprocket-secrets-allow (test fixtures) are not reported")
    func allowFile() async throws {
        try await Self.withRepository { folder in
            try folder.write("fixtures/fake.env", "VAULT_TOKEN=\(Self.token)\n")
            try folder.write(".sprocket-secrets-allow", "# fakes for tests\nfixtures/\n")
            _ = try Self.git(["add", "."], in: folder)
            _ = try Self.git(["commit", "-q", "-m", "fixtures"], in: folder)
            let run = try await Self.doctor(folder)
            #expect(run.status == 0, "\(run.stdout)")
            #expect(run.stdout.contains("ok   git-secrets"), "\(run.stdout)")
        }
    }

    @Test("the original's failure modes in a spec: moving tags, the admin's DB password mounted, Vault over HTTP, guest credentials, missing host folders, hosts shared by environments")
    func painPoints() async throws {
        try await Self.withRepository { folder in
            try folder.write("stack.yaml", """
                stack: doc
                environments: {a: {}, b: {}}
                routing: {domain: example.org, subdomain: main, network: edge, access: [public]}
                postgres:
                  host: db.example.org
                  port: 25060
                  database: defaultdb
                  admin: {user: doadmin, password_secret: pg-admin}
                  roles: {app: {password_secret: pg-app}}
                  databases: {app: {owner: app}}
                layers: [app]
                """)
            try folder.write("app.yaml", """
                networks: {edge: {driver: overlay}}
                secrets:
                  pg-admin: {generate: true}
                  pg-app: {generate: true}
                services:
                  grafana:
                    image: grafana/grafana:main
                    networks: [edge]
                    secrets: [pg-admin]
                    environment: {RABBITMQ_DEFAULT_USER: guest, RABBITMQ_DEFAULT_PASS: guest}
                    volumes: ["/srv/doctor-missing-\(UUID().uuidString):/data"]
                  vault:
                    image: hashicorp/vault:1.18
                    networks: [edge]
                    routes: [{subdomain: vault, port: 8200, tls: none}]
                """)
            _ = try Self.git(["add", "."], in: folder)
            _ = try Self.git(["commit", "-q", "-m", "bad spec"], in: folder)
            let run = try await Self.doctor(folder, ["--skip-docker", "--env", "a", "--json"])
            #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let checks = (object["checks"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) { $0[$1["name"] as? String ?? ""] = $1["status"] as? String }
            #expect(checks["pinned-images"] == "warn")
            #expect(checks["db-least-privilege"] == "FAIL")
            #expect(checks["admin-planes"] == "FAIL")
            #expect(checks["default-credentials"] == "FAIL")
            #expect(checks["host-paths"] == "warn")
            #expect(checks["routes-across-environments"] == "FAIL", "a and b both use subdomain main: \(checks)")
        }
    }

    /// A memorable password (short, so `validate`'s entropy guard lets it through) that must never be printed.
    static let canary = "pw-canary-\(Int.random(in: 100_000...999_999))"

    @Test("no doctor output, text or --json, contains a literal secret of the spec; the plaintext-secrets check fails naming the keys")
    func canaryNeverPrinted() async throws {
        try await Self.withRepository { folder in
            try folder.write("app.yaml", """
                services:
                  web:
                    image: example/web:1
                    environment: {DB_PASSWORD: \(Self.canary), DATABASE_URL: "postgres://app:\(Self.canary)@db:5432/app"}
                    command: [web, --api-token, \(Self.canary)]
                    deploy: {labels: {backup.secret: \(Self.canary)}}
                """)
            _ = try Self.git(["add", "."], in: folder)
            _ = try Self.git(["commit", "-q", "-m", "literal password"], in: folder)
            let text = try await Self.doctor(folder)
            #expect(text.status == 1, "\(text.stdout)\(text.stderr)")
            #expect(text.stdout.contains("FAIL plaintext-secrets") && text.stdout.contains("web: environment DB_PASSWORD"), "\(text.stdout)")
            #expect(text.stdout.contains("--api-token") && text.stdout.contains("label backup.secret"), "\(text.stdout)")
            let json = try await Self.doctor(folder, ["--skip-docker", "--json"])
            #expect(json.stdout.contains("\"plaintext-secrets\""), "\(json.stdout)")
            for output in [text.stdout, text.stderr, json.stdout, json.stderr] { #expect(!output.contains(Self.canary)) }
        }
    }

    static var sprocketStack: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("stacks/sprocket").path
    }

    /// The git scan reads the whole repository this stack is in (its findings are about the repository, not the stack),
    /// so it is left out here; every check of the stack must pass or warn.
    @Test("doctor --skip-docker finds no failure in stacks/sprocket", arguments: ["prod", "staging", "local"])
    func sprocketStackPasses(environment: String) async throws {
        let folder = try TemporaryDirectory(prefix: "doctor-sprocket")
        defer { folder.remove() }
        let run = try await CLIBinary.runDetached(
            ["doctor", "--skip-docker", "--json", "-f", Self.sprocketStack, "--env", environment],
            environment: ["SPROCKET_KEY_FILE": "\(folder.path)/key", "SPROCKET_VAULT_KEY_FILE": "\(folder.path)/vault-keys"], directory: folder.path)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\(run.stderr)")
        let checks = try #require(object["checks"] as? [[String: Any]])
        let failing = checks.filter { $0["status"] as? String == "FAIL" && $0["name"] as? String != "git-secrets" }
        #expect(failing.isEmpty, "\(failing)")
        let names = Set(checks.compactMap { $0["name"] as? String })
        for name in ["plaintext-secrets", "tls-verification", "vault-kv-paths", "vault-writers", "credential-sources", "unused-configs",
                     "hard-coded-addresses", "http-redirect", "acme-storage", "certificate-expiry", "acme-rate-limits", "monitoring-targets",
                     "vault-root-credentials"] {
            #expect(names.contains(name), "\(name) ran")
        }
    }
}
