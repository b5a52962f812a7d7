import Foundation
import Logging
import SprocketTestSupport
import Testing
import Vault

/// `vault.unsealer` and `vault.renewer` on the test swarm, next to real OpenBao run by `vault.server`: the unsealer
/// unseals a restarted OpenBao with no operator and no `up`; the renewer renews a short-period token with itself;
/// neither the operator's passphrase, the unseal shares nor the root token appear in a service spec, a log, the
/// state or `up`'s output; a second `up` changes nothing.
@Suite("vault.unsealer and vault.renewer run as Swarm services next to real OpenBao", .tags(.integration))
struct VaultCompanionServiceTests {
    static let passphrase = "companion operator passphrase 7"

    @Test("the unsealer service unseals OpenBao after a forced update with no up; the renewer renews a token with itself; no key leaks; a second up is a no-op (real OpenBao)")
    func unattended() async throws {
        let image = try #require(ProcessInfo.processInfo.environment["SPROCKET_TEST_OPENBAO_IMAGE"], "run through scripts/test, which builds the OpenBao image")
        try await SwarmTestStack.with(prefix: "bcmp") { stack in
            let port = try FreePort.loopbackTCP()
            let keyFile = "\(stack.stateFolder.path)/vault/keys"
            let address = "http://127.0.0.1:\(port)"
            try OpenBaoServiceStack.write(stack, image: image, port: port, keyFile: keyFile, vault: """
                  policies:
                    app-read:
                      - {path: "platform/*", access: [read]}
                  tokens:
                    app: {policies: [app-read], period: 60s, consumers: [app-svc]}
                  unsealer: {interval: 500ms}
                  renewer: {interval: 1s}
                """)
            let environment = ["SPROCKET_VAULT_PASSPHRASE": Self.passphrase]
            let first = try await stack.sprocketctl(["up", "--yes", "--json", "-f", stack.folder.path], environment: environment)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains(#""event":"vault-unsealer-keys""#) && first.stdout.contains(#""outcome":"derived""#), "\(first.stdout)")
            guard first.status == 0 else { return }

            let prefix = "\(stack.stackName)-default"
            let material = try VaultKeyFile(path: keyFile).load(passphrase: Self.passphrase)
            let client = try VaultClient(configuration: VaultClientConfiguration(address: address), logger: Logger(label: "it"))
            do {
                // The token's period is 60 s: past half of it, the renewer renews it with itself. This comes first: a
                // token renewed just now outlives OpenBao's restart below, however slow a loaded machine makes it (a
                // sealed Vault renews nothing, and a token that expires meanwhile is gone for good).
                let renewerLog = try await Self.waitForLog(#""event":"renewed""#, service: "\(prefix)_vault-token-renewer", timeout: .seconds(90))
                #expect(renewerLog.contains(#""event":"renewed""#), "\(renewerLog)")

                // A forced update restarts OpenBao's task: it comes back sealed, and the unsealer (not `up`) unseals it.
                let update = try await Self.docker(["service", "update", "--force", "--detach", "\(prefix)_vault"])
                #expect(update.status == 0, "\(update.stderr)")
                let sawSealed = try await Self.waitForSealedThenUnsealed(client, timeout: .seconds(120))
                #expect(sawSealed, "OpenBao was not unsealed by the unsealer within 120 s")
                let unsealerLog = try await Self.docker(["service", "logs", "--raw", "\(prefix)_vault-unsealer"])
                #expect(unsealerLog.stdout.contains(#""event":"unsealed""#), "\(unsealerLog.stdout)\(unsealerLog.stderr)")

                let second = try await stack.sprocketctl(["up", "--yes", "--json", "-f", stack.folder.path], environment: environment)
                #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
                let summary = second.stdout.split(separator: "\n").last { $0.contains(#""event":"summary""#) } ?? ""
                #expect(summary.contains(#""changes":0"#) && summary.contains(#""mutating":0"#), "a second up is a no-op: \(summary)")
                #expect(!second.stdout.contains(#""event":"vault-unsealer-keys""#), "the unsealer's keys are kept, not derived again")

                // No key, token or passphrase in the services' specs, their logs, `up`'s output or the state.
                let specs = try await Self.docker(["service", "inspect", "\(prefix)_vault-unsealer", "\(prefix)_vault-token-renewer"])
                let logs = unsealerLog.stdout + renewerLog
                let state = try Self.allFiles(under: stack.stateFolder.path, except: keyFile)
                for canary in material.unsealKeys + [material.rootToken, Self.passphrase] {
                    for (place, text) in [("service specs", specs.stdout), ("logs", logs), ("up output", first.stdout + first.stderr + second.stdout),
                                          ("state", state)] {
                        #expect(!text.contains(canary), "a secret leaked into the \(place)")
                    }
                }
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    static func docker(_ arguments: [String]) async throws -> CLIRun {
        try await CLIBinary.runDetached(["docker"] + arguments, executable: "/usr/bin/env")
    }

    /// Polls until OpenBao answered sealed (or not at all) and then unsealed; true when both were seen in time.
    static func waitForSealedThenUnsealed(_ client: VaultClient, timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        var restarted = false
        while ContinuousClock.now < deadline {
            let status = try? await client.sealStatus()
            if status?.sealed != false { restarted = true } else if restarted { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    /// The service's log once it contains `marker`, or whatever it holds at the deadline.
    static func waitForLog(_ marker: String, service: String, timeout: Duration) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var text = ""
        while ContinuousClock.now < deadline {
            text = try await docker(["service", "logs", "--raw", service]).stdout
            if text.contains(marker) { return text }
            try await Task.sleep(for: .seconds(1))
        }
        return text
    }

    /// Every file under `root` (but the operator's key file, which is sealed), concatenated, to look for canaries.
    static func allFiles(under root: String, except excluded: String) throws -> String {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var text = ""
        while let relative = enumerator?.nextObject() as? String {
            let path = "\(root)/\(relative)"
            guard path != excluded, let data = FileManager.default.contents(atPath: path) else { continue }
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }
}
