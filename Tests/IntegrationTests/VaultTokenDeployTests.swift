import Foundation
import Logging
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

/// `up` of a stack whose first layer runs Vault (a real OpenBao process, or the emulator, stands in for the Vault
/// service) and whose second layer consumes a scoped token: the whole lifecycle through the built binary on the real
/// swarm, from a fresh Vault to a renewed token.
@Suite("up initialises Vault and keeps scoped tokens", .tags(.integration))
struct VaultTokenDeployTests {
    static let passphrase = "token integration passphrase 7"

    /// The two-layer Vault stack of ``VaultUnsealGateTests`` with one token for `app-svc`.
    static func write(_ stack: SwarmTestStack, address: String, keyFile: String, lifetime: String = "period: 768h") throws {
        try VaultUnsealGateTests.write(stack, address: address, keyFile: keyFile, tokens: """
              tokens:
                platform:
                  policies: [platform-read]
                  \(lifetime)
                  consumers: [app-svc]
            """)
    }

    func sprocketctl(_ arguments: [String], _ stack: SwarmTestStack) async throws -> CLIRun {
        try await CLIBinary.runDetached(
            arguments + ["-f", stack.folder.path],
            environment: [
                "SPROCKET_STATE_DIR": "\(stack.stateFolder.path)/\(stack.stackName)/default", "SPROCKET_KEY_FILE": stack.keyFile,
                "SPROCKET_VAULT_PASSPHRASE": Self.passphrase,
            ])
    }

    /// The token file as the running task of `service` sees it.
    func mountedToken(_ stack: SwarmTestStack, service: String) async throws -> String {
        let docker = { (arguments: [String]) in try await CLIBinary.runDetached(["docker"] + arguments, executable: "/usr/bin/env") }
        let containers = try await docker(["ps", "-q", "--filter", "label=com.docker.swarm.service.name=\(stack.stackName)-default_\(service)"])
        let container = try #require(containers.stdout.split(separator: "\n").first.map(String.init), "no task of \(service): \(containers.stderr)")
        let read = try await docker(["exec", container, "cat", "/run/secrets/vault-token-platform"])
        #expect(read.status == 0, "\(read.stderr)")
        return read.stdout
    }

    static func summary(_ run: CLIRun) -> [String: Any] {
        let last = run.stdout.split(separator: "\n").last.map(String.init) ?? "{}"
        return (try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]) ?? [:]
    }

    @Test("a fresh Vault: up initialises it, keeps the keys sealed, mints a scoped token for the consumer; a second up changes nothing (emulator)")
    func freshVaultEmulator() async throws { try await freshVault(.emulator) }

    @Test("a fresh Vault: up initialises it, keeps the keys sealed, mints a scoped token for the consumer; a second up changes nothing (real OpenBao)")
    func freshVaultOpenBao() async throws { try await freshVault(.openBao) }

    private func freshVault(_ backend: VaultTestBackend) async throws {
        try await SwarmTestStack.with(prefix: "vtok") { stack in
            let keyFile = "\(stack.stateFolder.path)/vault/keys"
            let emulator = try await backend.start()
            defer { Task { await emulator.shutdown() } }
            try Self.write(stack, address: emulator.address, keyFile: keyFile)

            let run = try await sprocketctl(["up", "--yes", "--json"], stack)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            let state = try await emulator.currentSealState()
            #expect(state.initialized && !state.sealed)
            let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(run.stdout.contains(#""event":"vault-token""#) && run.stdout.contains(#""action":"created""#), "\(run.stdout)")

            // The consumer mounts a token that reads platform/ and is denied infrastructure/, by name.
            let material = try VaultKeyFile(path: keyFile).load(passphrase: Self.passphrase)
            try await withVaultClient(address: emulator.address, token: material.rootToken) { root in
                _ = try await root.writeSecret(
                    VaultSecretData(["bot": VaultSecretString("canary-bot-value")]), at: try VaultKVPath(mount: "platform", path: "prod/discord"))
                _ = try await root.writeSecret(
                    VaultSecretData(["key": VaultSecretString("canary-infra")]), at: try VaultKVPath(mount: "infrastructure", path: "s3"))
            }
            let token = try await mountedToken(stack, service: "app-svc")
            #expect(!token.isEmpty && token != material.rootToken)
            try await withVaultClient(address: emulator.address, token: token) { scoped in
                let read = try await scoped.readSecret(at: try VaultKVPath(mount: "platform", path: "prod/discord"))
                #expect(read.data["bot"]?.unredactedValue == "canary-bot-value")
                await #expect {
                    _ = try await scoped.readSecret(at: try VaultKVPath(mount: "infrastructure", path: "s3"))
                } throws: { error in
                    guard case VaultClientError.permissionDenied(_, let path, _) = error else { return false }
                    return path.contains("infrastructure/data/s3")
                }
            }

            // A second run: no Docker change, no new token.
            let again = try await sprocketctl(["up", "--yes", "--json"], stack)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.contains(#""action":"kept""#), "\(again.stdout)")
            let calls = Self.summary(again)["dockerCalls"] as? [String: Any]
            #expect(calls?["mutating"] as? Int == 0, "\(again.stdout)")
            #expect(try await mountedToken(stack, service: "app-svc") == token)

            // Canary: the root token, the unseal keys and the scoped token appear in no output, state file or Docker object.
            let status = try await sprocketctl(["status", "--json"], stack)
            var haystacks = [run.stdout, run.stderr, again.stdout, again.stderr, status.stdout, status.stderr]
            haystacks += try Self.files(under: "\(stack.stateFolder.path)/\(stack.stackName)")
            let inspect = try await CLIBinary.runDetached(
                ["docker", "service", "inspect", "\(stack.stackName)-default_app-svc", "\(stack.stackName)-default_edge-svc"],
                executable: "/usr/bin/env")
            haystacks.append(inspect.stdout)
            for canary in [material.rootToken, token] + material.unsealKeys {
                #expect(!haystacks.contains { $0.contains(canary) }, "a secret value leaked")
            }
            #expect(status.stdout.contains(#""vaultTokens""#) && status.stdout.contains(#""expiresAt""#), "\(status.stdout)")
        }
    }

    @Test("a token whose lifetime changes is replaced: its consumer rolls to the new one, then the old one is revoked (emulator)")
    func replacedEmulator() async throws { try await replaced(.emulator) }

    @Test("a token whose lifetime changes is replaced: its consumer rolls to the new one, then the old one is revoked (real OpenBao)")
    func replacedOpenBao() async throws { try await replaced(.openBao) }

    private func replaced(_ backend: VaultTestBackend) async throws {
        try await SwarmTestStack.with(prefix: "vrev") { stack in
            let keyFile = "\(stack.stateFolder.path)/vault/keys"
            let emulator = try await backend.start()
            defer { Task { await emulator.shutdown() } }
            try Self.write(stack, address: emulator.address, keyFile: keyFile)
            let first = try await sprocketctl(["up", "--yes"], stack)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let old = try await mountedToken(stack, service: "app-svc")

            try Self.write(stack, address: emulator.address, keyFile: keyFile, lifetime: "period: 700h")
            let second = try await sprocketctl(["up", "--yes"], stack)
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            #expect(second.stderr.contains("replaced") && second.stderr.contains("vault: revoked 1 replaced token"), "\(second.stderr)")
            let new = try await mountedToken(stack, service: "app-svc")
            #expect(!new.isEmpty && new != old, "the consumer runs with the new token")
            let period = try await withVaultClient(address: emulator.address, token: new) { client in try await client.lookupSelf().period }
            #expect(period == 700 * 3600)
            await #expect {
                try await withVaultClient(address: emulator.address, token: old) { client in _ = try await client.lookupSelf() }
            } throws: { error in
                if case VaultClientError.permissionDenied = error { return true }
                return false
            }
            // Nothing left to revoke: a third run sends no write to Vault.
            let third = try await sprocketctl(["up", "--yes", "--json"], stack)
            let vaultCalls = Self.summary(third)["vaultCalls"] as? [String: Any]
            #expect(vaultCalls?["mutating"] as? Int == 0, "\(third.stdout)")
        }
    }

    @Test("a 120 s periodic token inside its 110 s renewal window is renewed by up without rolling its consumer; the same value keeps working (real OpenBao)")
    func renewalOnOpenBao() async throws {
        try await SwarmTestStack.with(prefix: "vrenb") { stack in
            let keyFile = "\(stack.stateFolder.path)/vault/keys"
            let bao = try await OpenBaoServer.start()
            defer { Task { await bao.stop() } }
            // A 120 s period renewed within 110 s: the token is due 10 s after it was minted, and the second `up`
            // still has over 100 s to reach it on a loaded machine before it would expire.
            try Self.write(stack, address: bao.address, keyFile: keyFile, lifetime: "period: 120s\n      renew_within: 110s")
            let first = try await sprocketctl(["up", "--yes", "--json"], stack)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let token = try await mountedToken(stack, service: "app-svc")
            try await withVaultClient(address: bao.address, token: token) { scoped in
                let before = try await scoped.lookupSelf()
                // Wait until less than 110 s remain (real time: no clock to move).
                try await Task.sleep(for: .seconds(max(0, before.ttl - 109)))
                let second = try await sprocketctl(["up", "--yes", "--json"], stack)
                #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
                #expect(second.stdout.contains(#""action":"renewed""#), "\(second.stdout)")
                #expect((Self.summary(second)["dockerCalls"] as? [String: Any])?["mutating"] as? Int == 0, "renewal keeps the value: no roll")
                #expect((Self.summary(second)["vaultCalls"] as? [String: Any])?["mutating"] as? Int == 1, "the renewal is the one Vault write")
                #expect(try await mountedToken(stack, service: "app-svc") == token)
                let after = try await scoped.lookupSelf()
                let (old, new) = (try #require(before.expiresAt), try #require(after.expiresAt))
                #expect(new > old.addingTimeInterval(4) && after.period == 120, "renewed: expiry moved from \(old) to \(new)")
            }
        }
    }

    @Test("a token close to expiry is renewed by up without rolling its consumer; status shows the expiry")
    func renewal() async throws {
        try await SwarmTestStack.with(prefix: "vren") { stack in
            let keyFile = "\(stack.stateFolder.path)/vault/keys"
            let clock = VaultEmulatorClock()
            let emulator = try await VaultEmulator.start(clock: clock)
            defer { Task { try? await emulator.stop() } }
            try Self.write(stack, address: emulator.address, keyFile: keyFile, lifetime: "period: 3h\n      renew_within: 1h")
            let first = try await sprocketctl(["up", "--yes", "--json"], stack)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let token = try await mountedToken(stack, service: "app-svc")

            clock.advance(by: .seconds(2 * 3600 + 1800))  // 30 minutes left, under the 1 h threshold
            let second = try await sprocketctl(["up", "--yes", "--json"], stack)
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            #expect(second.stdout.contains(#""action":"renewed""#), "\(second.stdout)")
            #expect((Self.summary(second)["dockerCalls"] as? [String: Any])?["mutating"] as? Int == 0, "renewal keeps the value: no roll")
            #expect((Self.summary(second)["vaultCalls"] as? [String: Any])?["mutating"] as? Int == 1, "the renewal is the one Vault write")
            #expect(try await mountedToken(stack, service: "app-svc") == token)

            let status = try await sprocketctl(["status"], stack)
            #expect(status.status == 0, "\(status.stderr)")
            let line = status.stdout.split(separator: "\n").first { $0.hasPrefix("platform") }
            #expect(line?.contains("vault-token-platform") == true && line?.contains("periodic") == true, "\(status.stdout)")
            #expect(line?.contains("2h") == true || line?.contains("3h") == true, "about 3 h left after renewal: \(status.stdout)")
        }
    }

    static func files(under path: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        return enumerator.compactMap { $0 as? String }.compactMap { try? String(contentsOfFile: "\(path)/\($0)", encoding: .utf8) }
    }
}
