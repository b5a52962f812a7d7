import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

@Suite("Vault init, seal status, unseal, seal on the emulator and real OpenBao (docs/wire-formats.md §1.1–1.4)")
struct VaultEmulatorSealTests {
    @Test("an uninitialised Vault reports initialized=false, seal status 200 with t=n=0, and refuses everything else with 503 (emulator)")
    func uninitialisedEmulator() async throws { try await uninitialised(.emulator) }

    @Test("an uninitialised Vault reports initialized=false, seal status 200 with t=n=0, and refuses everything else with 503 (real OpenBao)")
    func uninitialisedOpenBao() async throws { try await uninitialised(.openBao) }

    private func uninitialised(_ backend: VaultTestBackend) async throws {
        try await withFreshVault(backend) { emulator, client in
            #expect(try await client.isInitialized() == false)
            let status = try await client.sealStatus()
            #expect(!status.initialized && status.sealed && status.threshold == 0 && status.shares == 0)
            let raw = try await rawRequest("GET", emulator.address, "/v1/sys/seal-status")
            #expect(raw.status == 200)
            let expectedKeys: Set = [
                "type", "initialized", "sealed", "t", "n", "progress", "nonce", "version", "commit_date", "migration",
                "recovery_seal", "storage_type",
            ]
            #expect(Set(raw.json?.keys.map { $0 } ?? []) == expectedKeys, "no cluster_name/cluster_id while sealed")
            await #expect(throws: VaultClientError.sealed(method: "GET", path: "sys/mounts", messages: ["Vault is sealed"])) {
                client.setToken(VaultSecretString("hvs.whatever"))
                return try await client.listMounts()
            }
        }
    }

    @Test("init returns hex and base64 encodings of the same 33-byte shares and an s. root token; a second init is refused (emulator)")
    func initOnceEmulator() async throws { try await initOnce(.emulator) }

    @Test("init returns hex and base64 encodings of the same 33-byte shares and an s. root token; a second init is refused (real OpenBao)")
    func initOnceOpenBao() async throws { try await initOnce(.openBao) }

    private func initOnce(_ backend: VaultTestBackend) async throws {
        try await withFreshVault(backend) { server, client in
            let result = try await client.initialize(shares: 5, threshold: 3)
            #expect(result.keys.count == 5 && result.keysBase64.count == 5)
            for (hex, base64) in zip(result.keys, result.keysBase64) {
                #expect(hex.unredactedValue.count == 66)
                let decoded = try #require(Data(base64Encoded: base64.unredactedValue))
                #expect(decoded.map { String(format: "%02x", $0) }.joined() == hex.unredactedValue)
            }
            #expect(result.rootToken.unredactedValue.hasPrefix("s."))
            #expect(try await client.isInitialized())
            let status = try await client.sealStatus()
            #expect(status.initialized && status.sealed && status.threshold == 3 && status.shares == 5)
            await #expect(throws: VaultClientError.badRequest(
                method: "PUT", path: "sys/init", messages: ["Vault is already initialized"])
            ) { try await client.initialize(shares: 5, threshold: 3) }
            let initialized = try await server.currentSealState().initialized
            #expect(initialized)
        }
    }

    static let badConfigurations = [
        (0, 0, "shares must be at least one"),
        (3, 0, "threshold must be at least one"),
        (3, 1, "threshold must be greater than one for multiple shares"),
        (256, 3, "shares must be less than 256"),
        (3, 5, "threshold cannot be larger than shares"),
    ]

    @Test("bad seal configurations get Vault's exact messages (emulator)", arguments: badConfigurations)
    func badSealConfiguration(shares: Int, threshold: Int, message: String) async throws {
        try await withFreshVault { _, client in
            await #expect(throws: VaultClientError.badRequest(
                method: "PUT", path: "sys/init", messages: ["invalid seal configuration: \(message)"])
            ) { try await client.initialize(shares: shares, threshold: threshold) }
        }
    }

    @Test("unseal counts progress with a nonce, ignores a duplicate share, and unseals at the threshold (emulator)")
    func unsealProgressEmulator() async throws { try await unsealProgress(.emulator) }

    @Test("unseal counts progress with a nonce, ignores a duplicate share, and unseals at the threshold (real OpenBao)")
    func unsealProgressOpenBao() async throws { try await unsealProgress(.openBao) }

    private func unsealProgress(_ backend: VaultTestBackend) async throws {
        try await withFreshVault(backend) { server, client in
            let result = try await client.initialize(shares: 5, threshold: 3)
            let first = try await client.unseal(key: result.keys[4])
            #expect(first.sealed && first.progress == 1 && !first.nonce.isEmpty)
            let duplicate = try await client.unseal(key: result.keysBase64[4])
            #expect(duplicate.progress == 1 && duplicate.nonce == first.nonce, "the same share in base64 is a duplicate")
            let second = try await client.unseal(key: result.keysBase64[1])
            #expect(second.sealed && second.progress == 2 && second.nonce == first.nonce)
            let done = try await client.unseal(key: result.keys[2])
            #expect(!done.sealed && done.progress == 0 && done.nonce == "")
            #expect(done.clusterName != nil && done.clusterID != nil)
            #expect(try await server.isSealedNow() == false)
            let again = try await client.unseal(key: result.keys[0])
            #expect(!again.sealed, "a key for an unsealed Vault is answered with the status")
        }
    }

    @Test("reset forgets the shares; reset of an unsealed Vault is 400 'vault is unsealed' (emulator)")
    func unsealResetEmulator() async throws { try await unsealReset(.emulator) }

    @Test("reset forgets the shares; reset of an unsealed Vault is 400 'vault is unsealed' (real OpenBao)")
    func unsealResetOpenBao() async throws { try await unsealReset(.openBao) }

    private func unsealReset(_ backend: VaultTestBackend) async throws {
        try await withFreshVault(backend) { _, client in
            let result = try await client.initialize(shares: 3, threshold: 2)
            _ = try await client.unseal(key: result.keys[0])
            let reset = try await client.resetUnseal()
            #expect(reset.progress == 0 && reset.sealed)
            _ = try await client.unseal(key: result.keys[1])
            _ = try await client.unseal(key: result.keys[2])
            await #expect(throws: VaultClientError.badRequest(
                method: "PUT", path: "sys/unseal", messages: ["vault is unsealed"])
            ) { try await client.resetUnseal() }
        }
    }

    @Test("bad seal configurations get OpenBao's exact messages, all on one server (real OpenBao)")
    func badSealConfigurationOpenBao() async throws {
        try await withFreshVault(.openBao) { _, client in
            for (shares, threshold, message) in Self.badConfigurations {
                await #expect(throws: VaultClientError.badRequest(
                    method: "PUT", path: "sys/init", messages: ["invalid seal configuration: \(message)"])
                ) { try await client.initialize(shares: shares, threshold: threshold) }
            }
            let initialized = try await client.isInitialized()
            #expect(!initialized, "a refused init changes nothing")
        }
    }

    @Test("shares of another Vault fail at the threshold with OpenBao's 'invalid key' message and progress returns to 0 (emulator)")
    func foreignSharesEmulator() async throws { try await foreignShares(.emulator) }

    @Test("shares of another Vault fail at the threshold with OpenBao's 'invalid key' message and progress returns to 0 (real OpenBao)")
    func foreignSharesOpenBao() async throws { try await foreignShares(.openBao) }

    private func foreignShares(_ backend: VaultTestBackend) async throws {
        let foreign = try await withFreshVault(backend) { _, client in try await client.initialize(shares: 5, threshold: 3) }
        try await withFreshVault(backend) { _, client in
            let own = try await client.initialize(shares: 5, threshold: 3)
            // Foreign shares whose x coordinates differ from ours (the same x twice is a malformed set, not a wrong key).
            let ownX = own.keys[0].unredactedValue.suffix(2)
            let strangers = foreign.keys.filter { $0.unredactedValue.suffix(2) != ownX }
            _ = try await client.unseal(key: own.keys[0])
            _ = try await client.unseal(key: strangers[0])
            await #expect(throws: VaultClientError.badRequest(
                method: "PUT", path: "sys/unseal", messages: [
                    "unable to retrieve stored keys: invalid key: failed to decrypt keys from storage: cipher: message authentication failed",
                ])
            ) { try await client.unseal(key: strangers[1]) }
            let after = try await client.sealStatus()
            #expect(after.sealed && after.progress == 0)
            for key in own.keys.suffix(3) { _ = try await client.unseal(key: key) }
            #expect(try await client.sealStatus().sealed == false, "the right shares still unseal")
        }
    }

    @Test("unseal needs a key in hex or base64", arguments: [
        ("{}", "'key' must be specified in request body as JSON, or 'reset' set to true"),
        ("{\"key\":\"%%%not-a-key%%%\"}", "'key' must be a valid hex or base64 string"),
    ])
    func unsealInput(body: String, message: String) async throws {
        try await withFreshVault { emulator, client in
            _ = try await client.initialize(shares: 1, threshold: 1)
            let raw = try await rawRequest("PUT", emulator.address, "/v1/sys/unseal", body: body)
            #expect(raw.status == 400)
            #expect(raw.body == "{\"errors\":[\"\(message)\"]}\n" || raw.json?["errors"] as? [String] == [message])
            #expect(raw.headers["content-type"] == "application/json")
        }
    }

    @Test("a single-share Vault unseals with its one key (emulator)")
    func singleShareEmulator() async throws { try await singleShare(.emulator) }

    @Test("a single-share Vault unseals with its one key (real OpenBao)")
    func singleShareOpenBao() async throws { try await singleShare(.openBao) }

    private func singleShare(_ backend: VaultTestBackend) async throws {
        try await withFreshVault(backend) { _, client in
            let result = try await client.initialize(shares: 1, threshold: 1)
            #expect(result.keys.count == 1 && result.keys[0].unredactedValue.count == 64)
            #expect(try await client.unseal(key: result.keys[0]).sealed == false)
        }
    }

    @Test("seal needs root (update+sudo), answers 204, and then every request is 503 'Vault is sealed' (emulator)")
    func sealRequiresSudoEmulator() async throws { try await sealRequiresSudo(.emulator) }

    @Test("seal needs root (update+sudo), answers 204, and then every request is 503 'Vault is sealed' (real OpenBao)")
    func sealRequiresSudoOpenBao() async throws { try await sealRequiresSudo(.openBao) }

    private func sealRequiresSudo(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend, fresh: true) { vault in
            try await vault.client.writePolicy(named: "half", hcl: #"path "sys/seal" { capabilities = ["update"] }"#)
            let token = try await vault.client.createToken(VaultTokenRequest(policies: ["half"], ttl: .seconds(600)))
            try await vault.withClient(token: token.clientToken) { limited in
                await #expect(throws: VaultClientError.self) { try await limited.seal() }
            }
            let raw = try await rawRequest("PUT", vault.address, "/v1/sys/seal", token: vault.rootToken)
            #expect(raw.status == 204 && raw.body.isEmpty)
            #expect(try await vault.server.isSealedNow())
            do {
                _ = try await vault.client.lookupSelf()
                Issue.record("lookup-self on a sealed Vault succeeded")
            } catch let error as VaultClientError {
                guard case .sealed(_, let path, _) = error else { throw error }
                #expect(path == "auth/token/lookup-self")
                #expect(error.description.contains("unseal"))
            }
        }
    }

    @Test("a restarted emulator with a directory comes back sealed, keeps its data, and unseals only with the threshold")
    func restartComesBackSealed() async throws {
        let folder = try TemporaryDirectory(prefix: "vault-emulator")
        defer { folder.remove() }
        try await withUnsealedVault(directory: folder.path) { vault in
            let emulator = try #require(vault.emulator)
            let secret = try VaultKVPath(mount: "platform", path: "prod/db")
            try await vault.client.enableKVVersion2(at: "platform")
            try await vault.client.writeSecret(VaultSecretData(["password": VaultSecretString("s3cr3t-value")]), at: secret)
            let port = emulator.port
            try await emulator.restart()
            #expect(emulator.port == port)
            #expect(emulator.isSealed)
            let status = try await vault.client.sealStatus()
            #expect(status.initialized && status.sealed && status.progress == 0)
            let stored = try String(contentsOfFile: folder.path + "/barrier.enc", encoding: .isoLatin1)
            #expect(!stored.contains("s3cr3t-value") && !stored.contains(vault.rootToken.unredactedValue),
                    "the barrier on disk is encrypted")
            _ = try await vault.client.unseal(key: vault.initResult.keys[0])
            #expect(try await vault.client.unseal(key: vault.initResult.keys[3]).sealed)
            #expect(try await vault.client.unseal(key: vault.initResult.keys[4]).sealed == false)
            #expect(try await vault.client.readSecret(at: secret).data["password"]?.unredactedValue == "s3cr3t-value")
        }
        // A brand-new emulator on the same directory is the same Vault, sealed.
        let again = try await VaultEmulator.start(directory: folder.path)
        #expect(again.isInitialized && again.isSealed)
        try await again.stop()
    }

    @Test("an in-memory restart also comes back sealed")
    func inMemoryRestart() async throws {
        try await withUnsealedVault { vault in
            try await vault.server.restart()
            #expect(try await vault.client.sealStatus().sealed)
            for key in vault.initResult.keys.prefix(3) { _ = try await vault.client.unseal(key: key) }
            #expect(try await vault.client.lookupSelf().policies == ["root"])
        }
    }

    @Test("a restarted OpenBao process comes back sealed on the same port, keeps its data (encrypted on disk), and unseals only with the threshold (real OpenBao)")
    func openBaoRestart() async throws {
        try await withUnsealedVault(.openBao, fresh: true) { vault in
            let server = try #require(vault.server as? OpenBaoServer)
            let secret = try VaultKVPath(mount: "platform", path: "prod/db")
            try await vault.client.enableKVVersion2(at: "platform")
            try await vault.client.writeSecret(VaultSecretData(["password": VaultSecretString("s3cr3t-canary-value")]), at: secret)
            try await server.restart()
            let status = try await vault.client.sealStatus()
            #expect(status.initialized && status.sealed && status.progress == 0 && status.storageType == "raft")
            let files = FileManager.default.enumerator(atPath: server.directory + "/data")?.allObjects as? [String] ?? []
            #expect(!files.isEmpty, "raft keeps its data in the folder")
            for file in files {
                let text = (try? String(contentsOfFile: "\(server.directory)/data/\(file)", encoding: .isoLatin1)) ?? ""
                #expect(!text.contains("s3cr3t-canary-value"), "\(file) holds the secret in plaintext")
            }
            _ = try await vault.client.unseal(key: vault.initResult.keys[0])
            #expect(try await vault.client.unseal(key: vault.initResult.keys[3]).sealed)
            #expect(try await vault.client.unseal(key: vault.initResult.keys[4]).sealed == false)
            try await vault.client.waitUntilActive()
            #expect(try await vault.client.readSecret(at: secret).data["password"]?.unredactedValue == "s3cr3t-canary-value")
        }
    }
}
