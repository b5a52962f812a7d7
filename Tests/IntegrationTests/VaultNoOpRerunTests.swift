import Foundation
import SprocketCore
import Logging
import SprocketTestSupport
import Testing
import Vault

/// Issue 16: a second `up` is a no-op, for Vault as for Docker. Real OpenBao runs as the Swarm service `vault.server`
/// generates (as in ``OpenBaoSwarmServiceTests``), with a mount, a policy, a scoped token and a manifest secret that
/// goes through Vault: the first `up` writes all of them; the second reports 0 mutating Vault calls and 0 mutating
/// Docker calls, in `--json`'s summary and on the human output's last line.
@Suite("a second up is a no-op for Vault and Docker", .tags(.integration))
struct VaultNoOpRerunTests {
    static let passphrase = "no-op rerun passphrase 16"
    static let smtpValue = "smtp-value-for-the-no-op-test"

    @Test("up with OpenBao as a Swarm service writes its mount, policy, token and manifest secret once; a second up sends 0 mutating Vault and 0 mutating Docker calls (real OpenBao)")
    func secondUpIsNoOp() async throws {
        let image = try #require(ProcessInfo.processInfo.environment["SPROCKET_TEST_OPENBAO_IMAGE"], "run through scripts/test, which builds the OpenBao image")
        try await SwarmTestStack.with(prefix: "vnoop") { stack in
            let port = try FreePort.loopbackTCP()
            let keyFile = "\(stack.stateFolder.path)/vault/keys"
            try Self.write(stack, image: image, port: port, keyFile: keyFile)
            let environment = ["SPROCKET_VAULT_PASSPHRASE": Self.passphrase, "NOOP_SMTP_PASSWORD": Self.smtpValue]

            let first = try await stack.sprocketctl(["up", "--yes", "--json"], environment: environment)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            if first.status != 0 { Issue.record(Comment(rawValue: try await OpenBaoSwarmServiceTests.serviceLogs(stack))) }
            let firstVault = try #require(Self.calls(first, "vaultCalls"), "no vaultCalls in the summary: \(first.stdout)")
            // Init, unseal (3 shares), the mount, the policy, the token and the KV write at the least.
            #expect(firstVault.mutating >= 8 && firstVault.total > firstVault.mutating, "\(first.stdout)")
            #expect(first.stdout.contains(#""action":"created""#) && first.stdout.contains(#""action":"vault-written""#), "\(first.stdout)")

            let second = try await stack.sprocketctl(["up", "--yes", "--json"], environment: environment)
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            let secondVault = try #require(Self.calls(second, "vaultCalls"), "\(second.stdout)")
            #expect(secondVault.mutating == 0 && secondVault.total > 0, "a rerun changed Vault: \(second.stdout)\(second.stderr)")
            #expect(Self.calls(second, "dockerCalls")?.mutating == 0, "a rerun changed Docker: \(second.stdout)")
            #expect(second.stdout.contains(#""action":"kept""#) && second.stdout.contains(#""action":"unchanged""#), "\(second.stdout)")

            // The human output says so on its last line.
            let third = try await stack.sprocketctl(["up", "--yes"], environment: environment)
            #expect(third.status == 0, "\(third.stdout)\(third.stderr)")
            let last = third.stderr.split(separator: "\n").last.map(String.init)
            #expect(last == "up: no changes: 0 mutating Docker calls, 0 mutating Vault calls", "\(third.stderr)")

            // The value went through Vault, and no secret reached any output.
            let material = try VaultKeyFile(path: keyFile).load(passphrase: Self.passphrase)
            try await withVaultClient(address: "http://127.0.0.1:\(port)", token: material.rootToken) { root in
                let secret = try await root.readSecret(at: try VaultKVPath(mount: "platform", path: "default/smtp"))
                #expect(secret.data["password"]?.unredactedValue == Self.smtpValue && secret.metadata.version == 1)
            }
            for run in [first, second, third] {
                for canary in material.unsealKeys + [material.rootToken, Self.smtpValue] {
                    #expect(!(run.stdout + run.stderr).contains(canary), "a secret leaked")
                }
            }
        }
    }

    /// ``OpenBaoSwarmServiceTests``'s stack with a read policy, a periodic token for `app-svc`, and an
    /// environment-sourced manifest secret written to Vault and mounted by `app-svc`.
    static func write(_ stack: SwarmTestStack, image: String, port: Int, keyFile: String) throws {
        try OpenBaoServiceStack.write(stack, image: image, port: port, keyFile: keyFile, vault: """
              policies:
                platform-read:
                  - {path: "platform/*", access: [read, list]}
              tokens:
                platform:
                  policies: [platform-read]
                  period: 768h
                  consumers: [app-svc]
            """, top: """
            secrets:
              smtp-password:
                environment: NOOP_SMTP_PASSWORD
                vault: platform/${env}/smtp#password
                consumers:
                  - {service: app-svc, target: /run/secrets/smtp}
            """)
    }

    /// `dockerCalls` or `vaultCalls` of the run's summary line.
    static func calls(_ run: CLIRun, _ key: String) -> (total: Int, mutating: Int)? {
        let line = run.stdout.split(separator: "\n").last { $0.contains(#""event":"summary""#) }.map(String.init) ?? "{}"
        let summary = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        guard let calls = summary?[key] as? [String: Any], let total = calls["total"] as? Int, let mutating = calls["mutating"] as? Int else {
            return nil
        }
        return (total, mutating)
    }
}
