import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

/// The Vault calls of a run are counted in one ``VaultCallCounter`` shared by its clients, and classified by what
/// they do: `up` reports the mutating ones, and a rerun with nothing to change must send none (issue 16).
@Suite("Vault call counting: every client of a run, reads and writes told apart by what they do", .sharedOpenBao)
struct VaultCallCountingTests {
    static let passphrase = "call counting passphrase 16"

    /// A name no other test on the shared server uses.
    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    @Test("writes count as mutating, reads and token lookups by POST do not; two clients share one counter (emulator)")
    func classifiesEmulator() async throws { try await classifies(.emulator) }

    @Test("writes count as mutating, reads and token lookups by POST do not; two clients share one counter (real OpenBao)")
    func classifiesOpenBao() async throws { try await classifies(.openBao) }

    private func classifies(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let calls = VaultCallCounter()
            let mount = Self.unique("count")
            let configuration = try VaultClientConfiguration(address: vault.address, token: vault.rootToken)
            let token = try await VaultClient.withClient(configuration: configuration, logger: testLogger, calls: calls) { client in
                _ = try await client.sealStatus()
                try await client.enableKVVersion2(at: mount)
                try await client.writePolicy(named: mount, hcl: #"path "\#(mount)/data/*" { capabilities = ["read"] }"#)
                _ = try await client.readPolicy(named: mount)
                return try await client.createToken(VaultTokenRequest(policies: [mount], ttl: .seconds(600)))
            }
            // A second client of the same run adds to the same counts.
            try await VaultClient.withClient(configuration: configuration, logger: testLogger, calls: calls) { client in
                _ = try await client.lookup(accessor: token.accessor)
                _ = try await client.lookup(token: token.clientToken)
                _ = try await client.renew(token: token.clientToken, increment: .seconds(600))
                let path = try VaultKVPath(mount: mount, path: "app/db")
                _ = try await client.writeSecret(VaultSecretData(["password": VaultSecretString("counted-not-logged")]), at: path)
                _ = try await client.readSecret(at: path)
                #expect(try await client.secretIfPresent(at: try VaultKVPath(mount: mount, path: "absent")) == nil)
            }
            let stats = calls.stats()
            #expect(
                stats.mutatingRoutes == [
                    "POST \(mount)/data/app/db", "POST auth/token/create", "POST auth/token/renew", "POST sys/mounts/\(mount)",
                    "PUT sys/policies/acl/\(mount)",
                ].sorted(), "\(stats.byRoute)")
            #expect(stats.mutating == 5, "\(stats.byRoute)")
            #expect(stats.byRoute["POST auth/token/lookup-accessor"] == 1 && stats.byRoute["POST auth/token/lookup"] == 1)
            #expect(stats.byRoute["GET \(mount)/data/absent"] == 1, "a call answered 404 is still a call")
            #expect(stats.total == stats.byRoute.values.reduce(0, +) && stats.total >= 11, "\(stats.byRoute)")
            #expect(!stats.byRoute.keys.contains { $0.contains("counted-not-logged") || $0.contains(token.clientToken.unredactedValue) })
            calls.reset()
            #expect(calls.stats() == APICallStats())
        }
    }

    @Test("initialising and unsealing are mutating; seal status and health are not (emulator)")
    func unsealIsMutatingEmulator() async throws { try await unsealIsMutating(.emulator) }

    @Test("initialising and unsealing are mutating; seal status and health are not (real OpenBao)")
    func unsealIsMutatingOpenBao() async throws { try await unsealIsMutating(.openBao) }

    private func unsealIsMutating(_ backend: VaultTestBackend) async throws {
        try await withFreshVault(backend) { server, _ in
            let calls = VaultCallCounter()
            try await VaultClient.withClient(
                configuration: try VaultClientConfiguration(address: server.address), logger: testLogger, calls: calls
            ) { client in
                _ = try await client.sealStatus()
                let result = try await client.initialize(shares: 1, threshold: 1)
                _ = try await client.unseal(key: try #require(result.keysBase64.first))
                _ = try await client.health()
            }
            #expect(calls.stats().mutatingRoutes == ["PUT sys/init", "PUT sys/unseal"])
            #expect(calls.stats().total == 4 && calls.stats().mutating == 2)
        }
    }

    @Test("a second unseal gate and token keeper run with the same spec sends no mutating call (emulator)")
    func secondGateRunIsReadOnlyEmulator() async throws { try await secondGateRunIsReadOnly(.emulator) }

    @Test("a second unseal gate and token keeper run with the same spec sends no mutating call (real OpenBao)")
    func secondGateRunIsReadOnlyOpenBao() async throws { try await secondGateRunIsReadOnly(.openBao) }

    /// The gate's mounts and policies and the keeper's tokens, as `up` runs them: the first run writes, the second
    /// only reads (a policy rewritten, a mount re-enabled or a token renewed on every run would show here).
    private func secondGateRunIsReadOnly(_ backend: VaultTestBackend) async throws {
        let folder = try TemporaryDirectory(prefix: "vault-calls")
        defer { folder.remove() }
        try await withUnsealedVault(backend) { vault in
            let keyFile = "\(folder.path)/vault-keys"
            try VaultKeyFile(path: keyFile, cost: .testing).save(
                VaultKeyMaterial(
                    unsealKeys: vault.initResult.keysBase64.map(\.unredactedValue), rootToken: vault.rootToken.unredactedValue,
                    threshold: 3, vaultAddress: vault.address, createdAt: Date()),
                passphrase: Self.passphrase)
            let (mount, policy) = (Self.unique("calls"), Self.unique("calls-read"))
            let location = SourceLocation.synthetic("test")
            let spec = VaultSpec(
                address: vault.address, keyFile: keyFile, layer: "edge", mounts: [mount],
                policies: [VaultPolicySpec(name: policy, rules: [.init(path: "\(mount)/*", access: ["read", "list"], location: location)], location: location)],
                tokens: [VaultTokenSpec(name: Self.unique("app"), policies: [policy], period: .seconds(3600), consumers: ["app"], location: location)],
                location: location)
            let calls = VaultCallCounter()
            let gate = VaultUnsealGate(vault: spec, keyFile: keyFile, passphrase: Self.passphrase, logger: testLogger, calls: calls)
            let identity = StackIdentity(stack: "calls", environment: "test")
            let store = try SealedSecretStore(path: "\(folder.path)/secrets.sealed", key: SecretKey.loadOrCreate(at: "\(folder.path)/key"), identity: identity)

            let lease = try await LocalStateStore(directory: folder.path, identity: identity).acquireLock(command: "test", now: Date())
            #expect(try await gate.ensure(events: { _ in }).allSatisfy(\.passed))
            #expect(try await gate.keepTokens(store: store, identity: identity, lease: lease).map(\.action) == [.created])
            #expect(
                calls.stats().mutatingRoutes == ["POST auth/token/create-orphan", "POST sys/mounts/\(mount)", "PUT sys/policies/acl/\(policy)"],
                "\(calls.stats().byRoute)")

            calls.reset()
            #expect(try await gate.ensure(events: { _ in }).allSatisfy(\.passed))
            #expect(try await gate.keepTokens(store: store, identity: identity, lease: lease).map(\.action) == [.kept])
            #expect(calls.stats().mutating == 0, "a rerun changed Vault: \(calls.stats().mutatingRoutes)")
            #expect(calls.stats().total > 0)
            await lease.release()
        }
    }
}
