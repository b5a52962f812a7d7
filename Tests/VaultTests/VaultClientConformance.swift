import Foundation
import SprocketCore
import Testing
import Vault

/// Client checks that hold on any unsealed Vault given a root (or equally privileged) token: the emulator and a
/// real OpenBao (`bao server`, raft storage). Everything it creates has a unique name and is removed at the end.
enum VaultClientConformance {
    static func run(address: String, rootToken: VaultSecretString) async throws {
        let root = try VaultClient(configuration: VaultClientConfiguration(address: address, token: rootToken), logger: testLogger)
        let mount = uniqueMount("conf")
        let other = uniqueMount("conf-other")
        let policy = "conformance-\(mount)"
        do {
            let status = try await root.sealStatus()
            #expect(status.initialized && !status.sealed)
            #expect(try await root.health().state == .active)
            #expect(try await root.lookupSelf().policies.contains("root"))

            try await root.enableKVVersion2(at: mount)
            try await root.enableKVVersion2(at: other)
            #expect(try await root.listMounts()["\(mount)/"]?.isKVVersion2 == true)
            #expect(try await root.readMountTune(at: mount).options?["version"] == "2")

            let secret = try VaultKVPath(mount: mount, path: "prod/oauth/google")
            let written = try await root.writeSecret(VaultSecretData(["client_id": VaultSecretString("abc")]), at: secret, cas: 0)
            #expect(written.version == 1)
            await #expect(throws: VaultClientError.self) {
                try await root.writeSecret(VaultSecretData(["client_id": VaultSecretString("x")]), at: secret, cas: 0)
            }
            try await root.writeSecret(VaultSecretData(["client_id": VaultSecretString("def")]), at: secret, cas: 1)
            #expect(try await root.readSecret(at: secret).data["client_id"]?.unredactedValue == "def")
            #expect(try await root.readSecret(at: secret, version: 1).data["client_id"]?.unredactedValue == "abc")
            #expect(try await root.listSecrets(at: try VaultKVPath(mount: mount, path: "prod")) == ["oauth/"])
            #expect(try await root.listSecrets(at: try VaultKVPath(mount: mount, path: "empty")) == [])
            try await root.deleteLatestVersion(at: secret)
            await #expect(throws: VaultClientError.secretVersionDeleted(path: secret.dataPath, version: 2, destroyed: false)) {
                try await root.readSecret(at: secret)
            }
            try await root.undeleteVersions([2], at: secret)
            try await root.destroyVersions([1], at: secret)
            let metadata = try await root.readMetadata(at: secret)
            #expect(metadata.currentVersion == 2 && metadata.versions[1]?.destroyed == true)
            try await root.writeSecret(VaultSecretData(["k": VaultSecretString("v")]), at: try VaultKVPath(mount: other, path: "prod/db"))

            let document = VaultPolicyDocument(kvRules: [try VaultKVPolicyRule(mount: mount, pattern: "*", access: [.read, .list])])
            try await root.writePolicy(named: policy, document: document)
            #expect(try await root.listPolicies().contains(policy))
            let token = try await root.createToken(VaultTokenRequest(
                policies: [policy], ttl: .seconds(900), displayName: "conformance", metadata: ["test": "conformance"]))
            #expect(token.leaseDuration == .seconds(900) && token.renewable)
            try await withVaultClient(address: address, token: token.clientToken) { scoped in
                #expect(try await scoped.readSecret(at: secret).data["client_id"]?.unredactedValue == "def")
                await #expect(throws: VaultClientError.permissionDenied(
                    method: "GET", path: "\(other)/data/prod/db", messages: ["permission denied"])
                ) { try await scoped.readSecret(at: try VaultKVPath(mount: other, path: "prod/db")) }
                let me = try await scoped.lookupSelf()
                #expect(me.accessor == token.accessor && me.policies.contains(policy) && me.ttl <= 900 && me.ttl > 0)
                #expect(try await scoped.renewSelf(increment: .seconds(600)).leaseDuration <= .seconds(600))
                #expect(try await root.lookup(accessor: token.accessor).displayName == "token-conformance")
                try await scoped.revokeSelf()
                await #expect(throws: VaultClientError.self) { try await scoped.lookupSelf() }
            }

            let orphan = try await root.createToken(VaultTokenRequest(policies: [policy], period: .seconds(3600), orphan: true))
            #expect(orphan.orphan)
            try await root.revoke(accessor: orphan.accessor)
            await #expect(throws: VaultClientError.self) { try await root.lookup(accessor: orphan.accessor) }
        } catch {
            await cleanUp(root, mounts: [mount, other], policy: policy)
            throw error
        }
        await cleanUp(root, mounts: [mount, other], policy: policy)
    }

    private static func cleanUp(_ root: VaultClient, mounts: [String], policy: String) async {
        for mount in mounts { try? await root.disableSecretsEngine(at: mount) }
        try? await root.deletePolicy(named: policy)
        try? await root.shutdown()
    }
}

/// The same client checks against both servers, so the emulator the fault tests rely on cannot drift from the real
/// OpenBao without a test failing. (This replaces a suite that ran only when VAULT_ADDR pointed at a hand-started
/// Vault: OpenBao now runs on every machine the tests run on, so nothing is skipped.)
@Suite("Vault client conformance: the same checks against the emulator and real OpenBao", .sharedOpenBao)
struct VaultClientConformanceTests {
    @Test("every client call works against the emulator as against a real server (emulator)")
    func againstEmulator() async throws {
        try await withUnsealedVault(.emulator) { vault in
            try await VaultClientConformance.run(address: vault.address, rootToken: vault.rootToken)
        }
    }

    @Test("every client call works against a real server (real OpenBao)")
    func againstOpenBao() async throws {
        try await withUnsealedVault(.openBao) { vault in
            try await VaultClientConformance.run(address: vault.address, rootToken: vault.rootToken)
        }
    }
}
