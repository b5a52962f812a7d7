import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

@Suite("Vault KV v2 through the client (docs/wire-formats.md §1.6–1.7)", .sharedOpenBao)
struct VaultKVTests {
    @Test("kv-v2 mounts are listed with version 2; a second mount at the same path is 400 'path is already in use' (emulator)")
    func mountsEmulator() async throws { try await mounts(.emulator) }

    @Test("kv-v2 mounts are listed with version 2; a second mount at the same path is 400 'path is already in use' (real OpenBao)")
    func mountsOpenBao() async throws { try await mounts(.openBao) }

    private func mounts(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let platform = uniqueMount("platform")
            let infra = uniqueMount("infra")
            try await vault.client.enableKVVersion2(at: platform, description: "platform secrets")
            let mounts = try await vault.client.listMounts()
            #expect(mounts["\(platform)/"]?.isKVVersion2 == true)
            #expect(mounts["sys/"]?.type == "system")
            let tune = try await vault.client.readMountTune(at: platform)
            #expect(tune.options?["version"] == "2" && tune.defaultLeaseTTL == 768 * 3600)
            await #expect(throws: VaultClientError.badRequest(
                method: "POST", path: "sys/mounts/\(platform)", messages: ["path is already in use at \(platform)/"])
            ) { try await vault.client.enableKVVersion2(at: platform) }
            try await vault.client.enableSecretsEngine(at: infra, type: "kv-v2")
            #expect(try await vault.client.listMounts()["\(infra)/"]?.isKVVersion2 == true, "the kv-v2 alias is accepted")
            try await vault.client.disableSecretsEngine(at: infra)
            #expect(try await vault.client.listMounts()["\(infra)/"] == nil)
        }
    }

    @Test("write, read, versions and check-and-set (emulator)")
    func versionsAndCASEmulator() async throws { try await versionsAndCAS(.emulator) }

    @Test("write, read, versions and check-and-set (real OpenBao)")
    func versionsAndCASOpenBao() async throws { try await versionsAndCAS(.openBao) }

    private func versionsAndCAS(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let platform = uniqueMount("platform")
            try await vault.client.enableKVVersion2(at: platform)
            let secret = try VaultKVPath(mount: platform, path: "prod/oauth/google")
            let first = try await vault.client.writeSecret(VaultSecretData(["id": VaultSecretString("one")]), at: secret, cas: 0)
            #expect(first.version == 1 && first.deletionTime == "" && !first.destroyed)
            await #expect(throws: VaultClientError.invalidCAS(
                path: "\(platform)/data/prod/oauth/google", message: "check-and-set parameter did not match the current version")
            ) { try await vault.client.writeSecret(VaultSecretData(["id": VaultSecretString("x")]), at: secret, cas: 0) }
            let second = try await vault.client.writeSecret(VaultSecretData(["id": VaultSecretString("two")]), at: secret, cas: 1)
            #expect(second.version == 2)
            #expect(try await vault.client.readSecret(at: secret).data["id"]?.unredactedValue == "two")
            let old = try await vault.client.readSecret(at: secret, version: 1)
            #expect(old.data["id"]?.unredactedValue == "one" && old.metadata.version == 1)
            await #expect(throws: VaultClientError.notFound(method: "GET", path: "\(platform)/data/prod/oauth/google")) {
                try await vault.client.readSecret(at: secret, version: 9)
            }
            let metadata = try await vault.client.readMetadata(at: secret)
            #expect(metadata.currentVersion == 2 && metadata.versions.keys.sorted() == [1, 2])
        }
    }

    @Test("cas_required on the engine refuses writes without cas (emulator)")
    func casRequiredEmulator() async throws { try await casRequired(.emulator) }

    @Test("cas_required on the engine refuses writes without cas (real OpenBao)")
    func casRequiredOpenBao() async throws { try await casRequired(.openBao) }

    private func casRequired(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let strict = uniqueMount("strict")
            try await vault.client.enableKVVersion2(at: strict)
            try await vault.client.configureKV(mount: strict, maxVersions: 3, casRequired: true)
            let config = try await vault.client.readKVConfig(mount: strict)
            #expect(config.casRequired && config.maxVersions == 3)
            let secret = try VaultKVPath(mount: strict, path: "a")
            await #expect(throws: VaultClientError.invalidCAS(
                path: "\(strict)/data/a", message: "check-and-set parameter required for this call")
            ) { try await vault.client.writeSecret(VaultSecretData(["k": VaultSecretString("v")]), at: secret) }
            for version in 0..<5 {
                try await vault.client.writeSecret(VaultSecretData(["k": VaultSecretString("v\(version)")]), at: secret, cas: version)
            }
            let metadata = try await vault.client.readMetadata(at: secret)
            #expect(metadata.currentVersion == 5 && metadata.versions.keys.sorted() == [3, 4, 5] && metadata.oldestVersion == 3,
                    "max_versions 3 keeps the newest three")
        }
    }

    @Test("soft delete, undelete and destroy, and reads of deleted versions (emulator)")
    func deleteUndeleteDestroyEmulator() async throws { try await deleteUndeleteDestroy(.emulator) }

    @Test("soft delete, undelete and destroy, and reads of deleted versions (real OpenBao)")
    func deleteUndeleteDestroyOpenBao() async throws { try await deleteUndeleteDestroy(.openBao) }

    private func deleteUndeleteDestroy(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let platform = uniqueMount("platform")
            try await vault.client.enableKVVersion2(at: platform)
            let secret = try VaultKVPath(mount: platform, path: "svc/api")
            for value in ["a", "b", "c"] {
                try await vault.client.writeSecret(VaultSecretData(["v": VaultSecretString(value)]), at: secret)
            }
            try await vault.client.deleteLatestVersion(at: secret)
            await #expect(throws: VaultClientError.secretVersionDeleted(path: "\(platform)/data/svc/api", version: 3, destroyed: false)) {
                try await vault.client.readSecret(at: secret)
            }
            let raw = try await rawRequest("GET", vault.address, "/v1/\(platform)/data/svc/api", token: vault.rootToken)
            #expect(raw.status == 404)
            let data = raw.json?["data"] as? [String: Any]
            #expect(data?["data"] is NSNull && (data?["metadata"] as? [String: Any])?["deletion_time"] as? String != "")
            #expect(try await vault.client.secretIfPresent(at: secret) == nil)
            try await vault.client.undeleteVersions([3], at: secret)
            #expect(try await vault.client.readSecret(at: secret).data["v"]?.unredactedValue == "c")
            try await vault.client.deleteVersions([1], at: secret)
            try await vault.client.destroyVersions([2], at: secret)
            let metadata = try await vault.client.readMetadata(at: secret)
            #expect(metadata.versions[1]?.deletionTime != "" && metadata.versions[2]?.destroyed == true)
            await #expect(throws: VaultClientError.secretVersionDeleted(path: "\(platform)/data/svc/api", version: 2, destroyed: true)) {
                try await vault.client.readSecret(at: secret, version: 2)
            }
            try await vault.client.undeleteVersions([2], at: secret)
            #expect(try await vault.client.readMetadata(at: secret).versions[2]?.destroyed == true, "destroyed stays destroyed")
            try await vault.client.deleteMetadata(at: secret)
            await #expect(throws: VaultClientError.notFound(method: "GET", path: "\(platform)/metadata/svc/api")) {
                try await vault.client.readMetadata(at: secret)
            }
        }
    }

    @Test("list shows keys and folders, and an empty folder is an empty list (404 {\"errors\":[]} on the wire) (emulator)")
    func listEmulator() async throws { try await list(.emulator) }

    @Test("list shows keys and folders, and an empty folder is an empty list (404 {\"errors\":[]} on the wire) (real OpenBao)")
    func listOpenBao() async throws { try await list(.openBao) }

    private func list(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let platform = uniqueMount("platform")
            try await vault.client.enableKVVersion2(at: platform)
            for path in ["prod/db", "prod/oauth/google", "prod/oauth/discord", "dev/db"] {
                try await vault.client.writeSecret(VaultSecretData(["x": VaultSecretString("y")]), at: try VaultKVPath(mount: platform, path: path))
            }
            #expect(try await vault.client.listSecrets(at: try VaultKVPath(mount: platform, path: "")) == ["dev/", "prod/"])
            #expect(try await vault.client.listSecrets(at: try VaultKVPath(mount: platform, path: "prod")) == ["db", "oauth/"])
            #expect(try await vault.client.listSecrets(at: try VaultKVPath(mount: platform, path: "nothing")) == [])
            let raw = try await rawRequest("LIST", vault.address, "/v1/\(platform)/metadata/nothing", token: vault.rootToken)
            #expect(raw.status == 404 && raw.body == "{\"errors\":[]}\n")
        }
    }

    @Test("metadata settings and custom metadata round-trip (emulator)")
    func metadataWriteEmulator() async throws { try await metadataWrite(.emulator) }

    @Test("metadata settings and custom metadata round-trip (real OpenBao)")
    func metadataWriteOpenBao() async throws { try await metadataWrite(.openBao) }

    private func metadataWrite(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let platform = uniqueMount("platform")
            try await vault.client.enableKVVersion2(at: platform)
            let secret = try VaultKVPath(mount: platform, path: "owned")
            try await vault.client.writeMetadata(at: secret, maxVersions: 2, casRequired: true, customMetadata: ["owner": "ops"])
            let metadata = try await vault.client.readMetadata(at: secret)
            #expect(metadata.maxVersions == 2 && metadata.casRequired && metadata.customMetadata == ["owner": "ops"])
            #expect(metadata.currentVersion == 0)
            await #expect(throws: VaultClientError.self) {
                try await vault.client.writeSecret(VaultSecretData(["k": VaultSecretString("v")]), at: secret)
            }
        }
    }

    @Test("a missing mount with the root token is 404 naming the route (emulator)")
    func unknownMountEmulator() async throws { try await unknownMount(.emulator) }

    @Test("a missing mount with the root token is 404 naming the route (real OpenBao)")
    func unknownMountOpenBao() async throws { try await unknownMount(.openBao) }

    private func unknownMount(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let raw = try await rawRequest("GET", vault.address, "/v1/typo/data/svc/password", token: vault.rootToken)
            #expect(raw.status == 404)
            #expect(raw.json?["errors"] as? [String] == ["no handler for route \"typo/data/svc/password\". route entry not found."])
        }
    }

    @Test("a fresh kv-v2 mount answers 'Upgrading from non-versioned to versioned data' for a moment; the client waits it out before returning from the mount (emulator)")
    func upgradeWindow() async throws {
        try await withUnsealedVault { vault in
            let emulator = try #require(vault.emulator)
            emulator.setKVUpgradeWindow(requests: 3)
            let body = #"{"type":"kv","options":{"version":"2"}}"#
            #expect(try await rawRequest("POST", vault.address, "/v1/sys/mounts/raw", body: body, token: vault.rootToken).status == 204)
            let early = try await rawRequest("POST", vault.address, "/v1/raw/data/a", body: #"{"data":{"k":"v"}}"#, token: vault.rootToken)
            #expect(early.status == 400 && (early.json?["errors"] as? [String])?.first?.hasPrefix("Upgrading from non-versioned") == true)

            try await vault.client.enableKVVersion2(at: "waited")
            let written = try await vault.client.writeSecret(
                VaultSecretData(["k": VaultSecretString("v")]), at: try VaultKVPath(mount: "waited", path: "a"))
            #expect(written.version == 1, "the first write after the mount call succeeds")
        }
    }
}
