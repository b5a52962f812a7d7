import Foundation
import S3
import SprocketCore
import SprocketTestSupport
import Testing

/// The commands that change a stack outside `up` hold the same lease (`secrets import-env` and `secrets sync` here,
/// with state on S3): stopped (SIGSTOP) right before the lease check that guards sharing the sealed store, and
/// resumed after a second machine's run took the lock over and shared its own change, the first run exits 6, shares
/// nothing (the second machine's secret stands, the first one's value never reaches S3), and records "lease lost"
/// in its own local state folder only.
@Suite("secrets commands paused past their lease (S3 state)", .tags(.integration))
struct LeaseCommandsPausedTests {
    static let canaryA = "canary-lease-a-\(UUID().uuidString)"
    static let canaryB = "canary-lease-b-\(UUID().uuidString)"

    struct Command: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: @Sendable (_ folder: String) -> [String]
        var testDescription: String { name }
    }

    static let commands = [
        Command(name: "secrets import-env") { ["secrets", "import-env", "\($0)/a.env"] },
        Command(name: "secrets sync") { _ in ["secrets", "sync"] },
    ]

    @Test("resumed after a takeover: exit 6, nothing shared, the other machine's secret stands, lease lost recorded locally", arguments: commands)
    func takenOver(_ command: Command) async throws {
        let folder = try TemporaryDirectory(prefix: "lease-commands")
        defer { folder.remove() }
        try folder.write("stack.yaml", """
            stack: leasecmd
            layers: [app]
            secrets:
              api-key:
                environment: LEASE_API_KEY
                consumers: [{service: web, target: /run/secrets/api-key}]
            """)
        try folder.write("app.yaml", "secrets:\n  token: {local: BOT_TOKEN}\nservices:\n  web: {image: example/web, secrets: [token]}\n")
        try folder.write("a.env", "API_KEY=\(Self.canaryA)\n")
        try folder.write("b.env", "BOT_TOKEN=\(Self.canaryB)\n")
        let identity = StackIdentity(stack: "leasecmd", environment: "default")
        try await MotoStateBucket.with(prefix: "it-lease-cmd") { state in
            func environment(_ machine: String, _ extra: [String: String] = [:]) -> [String: String] {
                state.awsEnvironment.merging([
                    "SPROCKET_KEY_FILE": "\(folder.path)/shared.key", "SPROCKET_STATE": state.stateURL(extra: "&lease_seconds=3"),
                    "SPROCKET_STATE_DIR": "\(folder.path)/\(machine)", "LEASE_API_KEY": Self.canaryA,
                ].merging(extra) { $1 }) { $1 }
            }
            let first = FaultRun(
                command.arguments(folder.path), folder: folder.path,
                environment: environment("a", ["SPROCKET_TEST_PAUSE_AT_CHECK": "sharing the sealed store"]))
            let pid = try #require(try await first.waitUntilStopped(), "the first run never stopped before sharing the sealed store")

            // Machine b: refused (exit 4) while a's lease holds, then takes the lock over and shares its secret.
            var second: CLIRun?
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let run = try await CLIBinary.runDetached(
                    ["secrets", "import-env", "\(folder.path)/b.env", "-f", folder.path], environment: environment("b"))
                if run.status != 4 { second = run; break }
                try await Task.sleep(for: .milliseconds(500))
            }
            let taken = try #require(second, "machine b never got the lock")
            #expect(taken.status == 0, "\(taken.stderr)")

            let resumed = try await first.resume(pid)
            #expect(resumed.status == 6, "exit code 6 for a lost lease: \(resumed.status)\n\(resumed.stderr)")
            #expect(resumed.stderr.contains("lost its lock"), "\(resumed.stderr)")

            // The shared copy, opened with the shared key: b's secret, none of a's values.
            let object = try #require(try await state.client.getObject(state.bucket, "st/leasecmd/default/secrets.sealed"))
            #expect(!String(decoding: object.body, as: UTF8.self).contains(Self.canaryA), "ciphertext only")
            try Data(object.body).write(to: URL(fileURLWithPath: "\(folder.path)/shared.sealed"))
            let shared = try SealedSecretStore(
                path: "\(folder.path)/shared.sealed", key: try SecretKey.loadOrCreate(at: "\(folder.path)/shared.key"), identity: identity)
            #expect(try shared.value(named: SealedStoreKey.local("BOT_TOKEN").rawValue) == Array(Self.canaryB.utf8), "machine b's secret stands")
            #expect(try shared.value(named: SealedStoreKey.local("API_KEY").rawValue) == nil, "machine a's import was never shared")
            #expect(try shared.value(named: SealedStoreKey.manifest("api-key").rawValue) == nil, "machine a's sync was never shared")

            let local = LocalStateStore(directory: "\(folder.path)/a", identity: identity)
            #expect(try local.runs().map(\.outcome) == [.leaseLost], "the lost run is recorded on its own machine")
            #expect(try local.runs().first?.command == command.name)
            let sharedRuns = try await S3StateStore(
                location: try S3StateLocation(url: state.stateURL()), identity: identity, credentials: state.credentials
            ).runs()
            #expect(!sharedRuns.contains { $0.outcome == .leaseLost }, "nothing of the lost run is shared")
            for run in [resumed, taken] {
                #expect(!(run.stdout + run.stderr).contains(Self.canaryA) && !(run.stdout + run.stderr).contains(Self.canaryB))
            }
        }
    }
}
