import Foundation
import Logging
import SprocketCore
import SprocketTestSupport
import Synchronization
import Testing
import Vault

/// OpenBao killed in the middle of `up`'s secret sync, at an exact point: the second of three Vault writes (a proxy
/// in front of it counts the writes and SIGKILLs the process when that one arrives). The run must stop with an error
/// naming Vault's address and the path, leave Docker and the stored values as they were (no half-applied sync), and
/// a rerun once OpenBao is back (sealed, as after any crash) must unseal it and complete.
@Suite("OpenBao killed mid-sync: a clear error, nothing half-applied, a rerun completes", .tags(.integration))
struct OpenBaoMidSyncKillTests {
    /// Holds the proxy the fixture's address closure creates.
    final class ProxyBox: Sendable {
        let proxy = Mutex<OpenBaoKillSwitchProxy?>(nil)
        func require() throws -> OpenBaoKillSwitchProxy { try #require(proxy.withLock { $0 }, "no proxy was started") }
    }

    static let entries = """
          mid-a:
            doppler: {name: MID_A}
            vault: platform/${env}/mid/a#value
            consumers: [{service: api, target: /app/secret/a.txt}]
          mid-b:
            doppler: {name: MID_B}
            vault: platform/${env}/mid/b#value
            consumers: [{service: api, target: /app/secret/b.txt}]
        """

    @Test("the second of three Vault writes kills OpenBao: up fails naming Vault and the path, Docker and the store unchanged; a rerun unseals and completes (real OpenBao)")
    func killedMidSync() async throws {
        let box = ProxyBox()
        defer { box.proxy.withLock { $0?.stop() } }
        try await SecretPipelineTests.with(
            prefix: "bkill", backend: .openBao, google: "canary-kill-google-1", secretsExtra: Self.entries,
            vaultAddress: { server in
                let bao = try #require(server as? OpenBaoServer)
                let proxy = try OpenBaoKillSwitchProxy.start(in: bao)
                box.proxy.withLock { $0 = proxy }
                return proxy.address
            }
        ) { fixture in
            let proxy = try box.require()
            let bao = try #require(fixture.vault as? OpenBaoServer)
            fixture.doppler.setSecret("MID_A", to: "canary-kill-a-1")
            fixture.doppler.setSecret("MID_B", to: "canary-kill-b-1")
            let initial = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(initial.status == 0, "\(initial.stdout)\(initial.stderr)")
            let secretsBefore = try await fixture.stack.secrets().compactMap { $0.spec?.name }.sorted()
            let versionsBefore = try await fixture.serviceVersions()

            for (name, value) in [("GOOGLE_CLIENT_SECRET", "canary-kill-google-2"), ("MID_A", "canary-kill-a-2"), ("MID_B", "canary-kill-b-2")] {
                fixture.doppler.setSecret(name, to: value)
            }
            // Writes go in path order: mid/a, mid/b, oauth/google. The second one never reaches OpenBao.
            proxy.arm(trigger: "POST /v1/platform/data/", count: 2)
            let killed = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(proxy.fired, "the proxy saw the second write and killed OpenBao")
            let answered = try? await bao.healthCode()
            #expect(answered == nil, "OpenBao no longer answers on \(bao.address)")
            #expect(killed.status != 0, "\(killed.stdout)\(killed.stderr)")
            #expect(killed.stderr.contains(proxy.address), "names Vault's address: \(killed.stderr)")
            #expect(killed.stderr.contains("platform/data/default/mid/b"), "names the write that was lost: \(killed.stderr)")
            #expect(killed.stderr.contains("run again"), "says what to do: \(killed.stderr)")

            // Nothing half-applied on the Docker side: no new secret, no service updated, old values mounted.
            #expect(try await fixture.stack.secrets().compactMap { $0.spec?.name }.sorted() == secretsBefore)
            #expect(try await fixture.serviceVersions() == versionsBefore)
            #expect(try await fixture.mounted(service: "api") == "canary-kill-google-1")
            #expect(try await fixture.mounted(service: "api", target: "/app/secret/a.txt") == "canary-kill-a-1")

            // OpenBao comes back sealed (a crash); the rerun unseals it from the key file and finishes the sync.
            try await bao.restart()
            #expect(try await bao.isSealedNow())
            try proxy.resume()
            let rerun = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
            #expect(try await fixture.mounted(service: "api") == "canary-kill-google-2")
            #expect(try await fixture.mounted(service: "api", target: "/app/secret/a.txt") == "canary-kill-a-2")
            #expect(try await fixture.mounted(service: "api", target: "/app/secret/b.txt") == "canary-kill-b-2")
            let versions = try await Self.vaultVersions(fixture)
            #expect(versions == ["mid/a": 2, "mid/b": 2, "oauth/google": 2], "one new version each, none written twice: \(versions)")
            let diff = try await fixture.sprocketctl(["secrets", "diff"])
            #expect(diff.status == 0, "in step after the rerun: \(diff.stdout)\(diff.stderr)")

            for run in [initial, killed, rerun, diff] {
                #expect(!(run.stdout + run.stderr).contains("canary-kill"), "a secret value leaked")
            }
        }
    }

    /// The current version of each of the three Vault secrets.
    static func vaultVersions(_ fixture: SecretPipelineTests.Fixture) async throws -> [String: Int] {
        let material = try VaultKeyFile(path: fixture.keyFile).load(passphrase: SecretPipelineTests.passphrase)
        var versions: [String: Int] = [:]
        try await withVaultClient(address: fixture.vault.address, token: material.rootToken) { client in
            for path in ["mid/a", "mid/b", "oauth/google"] {
                versions[path] = try await client.readMetadata(at: try VaultKVPath(mount: "platform", path: "default/\(path)")).currentVersion
            }
        }
        return versions
    }
}
