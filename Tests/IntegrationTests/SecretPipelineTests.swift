import DockerEngine
import Foundation
import Logging
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

/// The secret manifest end to end on the real swarm: Doppler (emulator) -> Vault KV v2 (a real OpenBao process, or
/// the emulator; either stands in for the Vault service of layer `edge`) -> a content-hashed Docker secret mounted
/// by `api` in layer `app`; `bot` in the same layer consumes nothing and must never roll. Everything runs through
/// the built binary. Each test body runs against both Vaults (two thin tests).
@Suite("secret manifest: Doppler to Vault to the running containers", .tags(.integration))
struct SecretPipelineTests {
    static let passphrase = "secret pipeline passphrase 3"
    static let serviceToken = "dp.st.prd.pipelinetesttoken0123456789abcdef"
    static let target = "/app/secret/google.txt"
    static let vaultPath = "default/oauth/google"

    /// One stack with its emulators.
    struct Fixture {
        let stack: SwarmTestStack
        let vault: any VaultTestServer
        let doppler: DopplerEmulator
        var keyFile: String { "\(stack.stateFolder.path)/vault/keys" }

        func sprocketctl(_ arguments: [String], dopplerHost: String? = nil) async throws -> CLIRun {
            try await CLIBinary.runDetached(
                arguments + ["-f", stack.folder.path],
                environment: [
                    "SPROCKET_STATE_DIR": "\(stack.stateFolder.path)/\(stack.stackName)/default", "SPROCKET_KEY_FILE": stack.keyFile,
                    "SPROCKET_VAULT_PASSPHRASE": SecretPipelineTests.passphrase, "DOPPLER_TOKEN": SecretPipelineTests.serviceToken,
                    "DOPPLER_API_HOST": dopplerHost ?? doppler.baseURL,
                ])
        }

        /// A client with the root token from the key file `up` wrote.
        func rootClient() throws -> VaultClient {
            let material = try VaultKeyFile(path: keyFile).load(passphrase: SecretPipelineTests.passphrase)
            return try VaultClient(
                configuration: try VaultClientConfiguration(address: vault.address, token: VaultSecretString(material.rootToken)),
                logger: Logger(label: "secret-pipeline-test"))
        }

        /// The Vault version and field value of the Google secret (nil when absent).
        func vaultState() async throws -> (version: Int, value: String?) {
            let client = try rootClient()
            defer { Task { try? await client.shutdown() } }
            guard let secret = try await client.secretIfPresent(at: try VaultKVPath(mount: "platform", path: SecretPipelineTests.vaultPath)) else {
                return (0, nil)
            }
            return (secret.metadata.version, secret.data["client_secret"]?.unredactedValue)
        }

        /// The secret file as the running task of `service` sees it.
        func mounted(service: String, target: String = SecretPipelineTests.target) async throws -> String {
            let docker = { (arguments: [String]) in try await CLIBinary.runDetached(["docker"] + arguments, executable: "/usr/bin/env") }
            let containers = try await docker(["ps", "-q", "--filter", "label=com.docker.swarm.service.name=\(stack.stackName)-default_\(service)"])
            let container = try #require(containers.stdout.split(separator: "\n").first.map(String.init), "no task of \(service): \(containers.stderr)")
            let read = try await docker(["exec", container, "cat", target])
            #expect(read.status == 0, "\(read.stderr)")
            return read.stdout
        }

        /// The spec version of each service, to tell which ones were updated.
        func serviceVersions() async throws -> [String: UInt64] {
            var versions: [String: UInt64] = [:]
            for service in try await stack.services() {
                if let name = service.spec?.name, let index = service.version?.index { versions[name] = index }
            }
            return versions
        }

        /// Names of the Docker secrets holding a version of the Google secret.
        func googleSecrets() async throws -> [String] {
            try await stack.secrets().compactMap { $0.spec?.name }.filter { $0.contains("_google-client_") }
        }
    }

    /// - Parameters:
    ///   - vaultExtra: Lines appended to the `vault:` block (indented by 2).
    ///   - secretsExtra: Entries appended to `secrets:` (indented by 2).
    ///   - backend: The Vault `up` initialises, unseals and writes to: a fresh server per test.
    ///   - vaultAddress: What the stack names as Vault's address, when not the server's own (a proxy in front).
    static func with(
        prefix: String, backend: VaultTestBackend, google: String, vaultExtra: String = "", secretsExtra: String = "",
        vaultAddress: ((any VaultTestServer) async throws -> String)? = nil, _ body: (Fixture) async throws -> Void
    ) async throws {
        try await SwarmTestStack.with(prefix: prefix) { stack in
            let vault = try await backend.start()
            let doppler: DopplerEmulator
            do {
                doppler = try await DopplerEmulator.start(secrets: ["GOOGLE_CLIENT_SECRET": google, "UNUSED": "x"])
            } catch {
                await vault.shutdown()
                throw error
            }
            doppler.addToken(serviceToken, access: .serviceToken)
            defer {
                Task {
                    await vault.shutdown()
                    try? await doppler.stop()
                }
            }
            let address = try await vaultAddress?(vault) ?? vault.address
            let fixture = Fixture(stack: stack, vault: vault, doppler: doppler)
            try stack.write("stack.yaml", """
                stack: {{stack}}
                vault:
                  address: \(address)
                  key_file: \(fixture.keyFile)
                  layer: edge
                  mounts: [platform]
                \(vaultExtra)
                secrets:
                  google-client:
                    doppler: {name: GOOGLE_CLIENT_SECRET}
                    vault: platform/${env}/oauth/google#client_secret
                    consumers:
                      - {service: api, target: \(target)}
                  session-key:
                    generate: {length: 24}
                    consumers:
                      - {service: edge-svc, target: /run/secrets/session}
                \(secretsExtra)
                layers: [edge, app]
                """)
            try stack.write("edge.yaml", Self.services(["edge-svc"]))
            try stack.write("app.yaml", "needs: [edge]\n" + Self.services(["api", "bot"]))
            try await body(fixture)
        }
    }

    static func services(_ names: [String]) -> String {
        "services:\n" + names.map { name in
            """
              \(name):
                image: sprocket-local/busybox:latest
                command: ["sleep", "100000"]
                stop_grace_period: 1s
                deploy: { endpoint_mode: dnsrr }

            """
        }.joined()
    }

    static func summary(_ run: CLIRun) -> [String: Any] {
        let last = run.stdout.split(separator: "\n").last { $0.contains(#""event":"summary""#) }.map(String.init) ?? "{}"
        return (try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]) ?? [:]
    }

    static func mutatingCalls(_ run: CLIRun) -> Int? {
        (summary(run)["dockerCalls"] as? [String: Any])?["mutating"] as? Int
    }

    static func mutatingVaultCalls(_ run: CLIRun) -> Int? {
        (summary(run)["vaultCalls"] as? [String: Any])?["mutating"] as? Int
    }

    static func files(under path: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        return enumerator.compactMap { $0 as? String }.compactMap { try? String(contentsOfFile: "\(path)/\($0)", encoding: .utf8) }
    }

    @Test("a value changed in Doppler: up writes a new Vault version, a new Docker secret, rolls only api, prunes old versions; nothing changed: no write (emulator)")
    func rotationEmulator() async throws { try await rotation(.emulator) }

    @Test("a value changed in Doppler: up writes a new Vault version, a new Docker secret, rolls only api, prunes old versions; nothing changed: no write (real OpenBao)")
    func rotationOpenBao() async throws { try await rotation(.openBao) }

    private func rotation(_ backend: VaultTestBackend) async throws {
        let first = "canary-google-first-7f3a9c"
        let second = "canary-google-second-b81d2e"
        try await Self.with(prefix: "spipe", backend: backend, google: first) { fixture in
            let initial = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(initial.status == 0, "\(initial.stdout)\(initial.stderr)")
            #expect(try await fixture.vaultState() == (1, first))
            #expect(try await fixture.mounted(service: "api") == first)
            // A generated secret without Vault, consumed in Vault's own layer: created once, then kept.
            let session = try await fixture.mounted(service: "edge-svc", target: "/run/secrets/session")
            #expect(session.count == 24 && session.allSatisfy { $0.isLetter || $0.isNumber }, "\(session.count) characters")
            let firstSecrets = try await fixture.googleSecrets()
            #expect(firstSecrets.count == 1, "\(firstSecrets)")

            // Nothing changed in Doppler: no Vault write, no Docker mutating call.
            let versionsBefore = try await fixture.serviceVersions()
            let quiet = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(quiet.status == 0, "\(quiet.stdout)\(quiet.stderr)")
            #expect(Self.mutatingCalls(quiet) == 0 && Self.mutatingVaultCalls(quiet) == 0, "\(quiet.stdout)")
            #expect(quiet.stdout.contains(#""action":"unchanged""#), "\(quiet.stdout)")
            #expect(try await fixture.vaultState().version == 1)

            // Changed in Doppler: Vault v2, a new Docker secret, api rolled with the new value, bot untouched.
            fixture.doppler.setSecret("GOOGLE_CLIENT_SECRET", to: second)
            let rotated = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(rotated.status == 0, "\(rotated.stdout)\(rotated.stderr)")
            #expect(rotated.stdout.contains(#""action":"vault-written""#), "\(rotated.stdout)")
            #expect(Self.mutatingVaultCalls(rotated) == 1, "exactly the one KV write: \(rotated.stdout)")
            #expect(try await fixture.vaultState() == (2, second))
            #expect(try await fixture.mounted(service: "api") == second)
            let versionsAfter = try await fixture.serviceVersions()
            let prefix = "\(fixture.stack.stackName)-default_"
            #expect(versionsAfter[prefix + "api"] != versionsBefore[prefix + "api"], "api must roll")
            #expect(versionsAfter[prefix + "bot"] == versionsBefore[prefix + "bot"], "bot consumes nothing and must not roll")
            #expect(versionsAfter[prefix + "edge-svc"] == versionsBefore[prefix + "edge-svc"])
            #expect(try await fixture.mounted(service: "edge-svc", target: "/run/secrets/session") == session)
            // The version api's previous spec mounts is kept for Swarm's rollback; the one before that is pruned.
            let secondSecrets = try await fixture.googleSecrets()
            #expect(Set(secondSecrets).isSuperset(of: firstSecrets) && secondSecrets.count == 2, "\(secondSecrets)")
            let third = "canary-google-third-4c6e01"
            fixture.doppler.setSecret("GOOGLE_CLIENT_SECRET", to: third)
            let again = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(try await fixture.vaultState() == (3, third))
            #expect(try await fixture.mounted(service: "api") == third)
            let thirdSecrets = try await fixture.googleSecrets()
            #expect(thirdSecrets.count == 2 && Set(thirdSecrets).isDisjoint(with: firstSecrets), "the oldest version is pruned: \(thirdSecrets)")

            // Canaries: neither value in any output, state file or service definition.
            var haystacks = [initial, quiet, rotated, again].flatMap { [$0.stdout, $0.stderr] }
            haystacks += Self.files(under: "\(fixture.stack.stateFolder.path)/\(fixture.stack.stackName)")
            let inspect = try await CLIBinary.runDetached(
                ["docker", "service", "inspect", prefix + "api", prefix + "bot"], executable: "/usr/bin/env")
            haystacks.append(inspect.stdout)
            for canary in [first, second, third, session] {
                #expect(!haystacks.contains { $0.contains(canary) }, "a secret value leaked")
            }
        }
    }

    @Test("two entries in one Vault secret (a field each) are written in one version; changing one keeps the other (emulator)")
    func sharedVaultSecretEmulator() async throws { try await sharedVaultSecret(.emulator) }

    @Test("two entries in one Vault secret (a field each) are written in one version; changing one keeps the other (real OpenBao)")
    func sharedVaultSecretOpenBao() async throws { try await sharedVaultSecret(.openBao) }

    private func sharedVaultSecret(_ backend: VaultTestBackend) async throws {
        let idEntry = """
              google-id:
                doppler: {name: GOOGLE_CLIENT_ID}
                vault: platform/${env}/oauth/google#client_id
                consumers: [{service: api, target: /app/secret/google-id.txt}]
            """
        try await Self.with(prefix: "svshare", backend: backend, google: "canary-shared-secret-1", secretsExtra: idEntry) { fixture in
            fixture.doppler.setSecret("GOOGLE_CLIENT_ID", to: "canary-shared-id-1")
            let initial = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(initial.status == 0, "\(initial.stdout)\(initial.stderr)")
            #expect(try await fixture.vaultState() == (1, "canary-shared-secret-1"), "both fields in one first version")
            #expect(try await fixture.mounted(service: "api", target: "/app/secret/google-id.txt") == "canary-shared-id-1")

            fixture.doppler.setSecret("GOOGLE_CLIENT_ID", to: "canary-shared-id-2")
            let rotated = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(rotated.status == 0, "\(rotated.stdout)\(rotated.stderr)")
            #expect(try await fixture.vaultState() == (2, "canary-shared-secret-1"), "the other field is kept")
            #expect(try await fixture.mounted(service: "api", target: "/app/secret/google-id.txt") == "canary-shared-id-2")
            let diff = try await fixture.sprocketctl(["secrets", "diff"])
            #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
        }
    }

    @Test("secrets diff flags each stale hop: Doppler changed, Vault changed by hand, a service on an old secret (emulator)")
    func diffEmulator() async throws { try await diff(.emulator) }

    @Test("secrets diff flags each stale hop: Doppler changed, Vault changed by hand, a service on an old secret (real OpenBao)")
    func diffOpenBao() async throws { try await diff(.openBao) }

    private func diff(_ backend: VaultTestBackend) async throws {
        let first = "canary-diff-first-51c0d7"
        try await Self.with(prefix: "sdiff", backend: backend, google: first) { fixture in
            let initial = try await fixture.sprocketctl(["up", "--yes"])
            #expect(initial.status == 0, "\(initial.stdout)\(initial.stderr)")
            let clean = try await fixture.sprocketctl(["secrets", "diff"])
            #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
            #expect(clean.stdout.contains("google-client: in step"), "\(clean.stdout)")

            // 1. Doppler changed only.
            fixture.doppler.setSecret("GOOGLE_CLIENT_SECRET", to: "canary-diff-second-0a9e44")
            let dopplerChanged = try await fixture.sprocketctl(["secrets", "diff"])
            #expect(dopplerChanged.status == 2, "\(dopplerChanged.stdout)\(dopplerChanged.stderr)")
            #expect(dopplerChanged.stdout.contains("stale: Vault v1 differs from Doppler"), "\(dopplerChanged.stdout)")

            // 2. A service pinned to an old secret: sync moves Vault along, but no `up` rolls api.
            let sync = try await fixture.sprocketctl(["secrets", "sync"])
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            let pinned = try await fixture.sprocketctl(["secrets", "diff", "--json"])
            #expect(pinned.status == 2, "\(pinned.stdout)\(pinned.stderr)")
            #expect(pinned.stdout.contains("service api still mounts an old value"), "\(pinned.stdout)")
            #expect(!pinned.stdout.contains("stale: Vault"), "Vault v2 matches Doppler now: \(pinned.stdout)")
            #expect(pinned.stdout.contains(#""vaultVersion":2"#), "\(pinned.stdout)")

            // 3. Vault changed by hand (after an up put everything in step).
            let converge = try await fixture.sprocketctl(["up", "--yes"])
            #expect(converge.status == 0, "\(converge.stdout)\(converge.stderr)")
            let material = try VaultKeyFile(path: fixture.keyFile).load(passphrase: Self.passphrase)
            try await withVaultClient(address: fixture.vault.address, token: material.rootToken) { client in
                _ = try await client.writeSecret(
                    VaultSecretData(["client_secret": VaultSecretString("canary-by-hand-9d2f11")]),
                    at: try VaultKVPath(mount: "platform", path: Self.vaultPath), cas: 2)
            }
            let byHand = try await fixture.sprocketctl(["secrets", "diff"])
            #expect(byHand.status == 2, "\(byHand.stdout)\(byHand.stderr)")
            #expect(byHand.stdout.contains("stale: Vault v3 differs from Doppler"), "\(byHand.stdout)")

            for run in [clean, dopplerChanged, sync, pinned, byHand] {
                for canary in [first, "canary-diff-second-0a9e44", "canary-by-hand-9d2f11"] {
                    #expect(!(run.stdout + run.stderr).contains(canary), "a secret value leaked")
                }
            }
        }
    }

    @Test("Doppler 401, 429 and unreachable: up fails naming the endpoint, and nothing is applied (emulator)")
    func dopplerFailuresEmulator() async throws { try await dopplerFailures(.emulator) }

    @Test("Doppler 401, 429 and unreachable: up fails naming the endpoint, and nothing is applied (real OpenBao)")
    func dopplerFailuresOpenBao() async throws { try await dopplerFailures(.openBao) }

    private func dopplerFailures(_ backend: VaultTestBackend) async throws {
        try await Self.with(prefix: "sfail", backend: backend, google: "canary-fail-first-2b7c") { fixture in
            let initial = try await fixture.sprocketctl(["up", "--yes"])
            #expect(initial.status == 0, "\(initial.stdout)\(initial.stderr)")
            fixture.doppler.setSecret("GOOGLE_CLIENT_SECRET", to: "canary-fail-second-77e1")
            let secretsBefore = try await fixture.googleSecrets()

            fixture.doppler.failNext(.invalidToken)
            let unauthorized = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(unauthorized.status != 0)
            #expect(unauthorized.stderr.contains("HTTP 401") && unauthorized.stderr.contains("DOPPLER_TOKEN"), "\(unauthorized.stderr)")

            fixture.doppler.failNext(.rateLimited(retryAfterSeconds: 0), .rateLimited(retryAfterSeconds: 0), .rateLimited(retryAfterSeconds: 0),
                                     .rateLimited(retryAfterSeconds: 0))
            let limited = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(limited.status != 0)
            #expect(limited.stderr.contains("HTTP 429"), "\(limited.stderr)")

            let unreachable = try await fixture.sprocketctl(["up", "--yes", "--json"], dopplerHost: "http://127.0.0.1:9")
            #expect(unreachable.status != 0)
            #expect(unreachable.stderr.contains("Cannot reach Doppler"), "\(unreachable.stderr)")

            for run in [unauthorized, limited, unreachable] {
                #expect(run.stderr.contains(DopplerEmulator.downloadPath), "the endpoint is named: \(run.stderr)")
                #expect(run.stderr.contains("nothing was written"), "\(run.stderr)")
                // No `dockerCalls` in the summary means the engine was never contacted: no mutating call either.
                #expect(Self.summary(run)["outcome"] as? String == "failed", "\(run.stdout)")
                #expect((Self.mutatingCalls(run) ?? 0) == 0, "no mutating Docker call: \(run.stdout)")
                #expect(!(run.stdout + run.stderr).contains("canary-fail"), "a secret value leaked")
            }
            #expect(try await fixture.vaultState() == (1, "canary-fail-first-2b7c"))
            #expect(try await fixture.googleSecrets() == secretsBefore)
            #expect(try await fixture.mounted(service: "api") == "canary-fail-first-2b7c")
        }
    }

    @Test("with vault.tokens too: the manifest syncs first (a file secret for Vault's own layer included), then the tokens are minted (emulator)")
    func withTokensEmulator() async throws { try await withTokens(.emulator) }

    @Test("with vault.tokens too: the manifest syncs first (a file secret for Vault's own layer included), then the tokens are minted (real OpenBao)")
    func withTokensOpenBao() async throws { try await withTokens(.openBao) }

    private func withTokens(_ backend: VaultTestBackend) async throws {
        let google = "canary-tokens-google-3e5f"
        let fileValue = "canary-tokens-file-8a1c"
        try await Self.with(
            prefix: "stok", backend: backend, google: google,
            vaultExtra: """
              policies:
                platform-read:
                  - {path: "platform/*", access: [read]}
              tokens:
                platform:
                  policies: [platform-read]
                  period: 768h
                  consumers: [bot]
            """,
            secretsExtra: """
              edge-file:
                file: ./edge-file.txt
                consumers:
                  - {service: edge-svc, target: /app/secret/google.txt}
            """
        ) { fixture in
            try fixture.stack.write("edge-file.txt", fileValue)
            let run = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(try await fixture.mounted(service: "api") == google)
            #expect(try await fixture.mounted(service: "edge-svc") == fileValue)
            #expect(run.stdout.contains(#""event":"vault-token""#), "\(run.stdout)")
            let again = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(again.status == 0 && Self.mutatingCalls(again) == 0, "\(again.stdout)\(again.stderr)")
            #expect(!(run.stdout + run.stderr + again.stdout + again.stderr).contains("canary-tokens"), "a secret value leaked")
        }
    }
}
