import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

@Suite("The unattended unsealer's keys: the threshold of shares and no root token, under a passphrase of their own")
struct VaultUnsealerKeysTests {
    static let material = VaultKeyMaterial(
        unsealKeys: (1...5).map { "canary-share-\($0)-" + String(repeating: "k", count: 20) }, rootToken: "s.canaryroottoken0123456789",
        threshold: 3, vaultAddress: "http://127.0.0.1:8200", createdAt: Date(timeIntervalSince1970: 1_800_000_000))

    static func withStore(_ body: (SealedSecretStore, TemporaryDirectory) throws -> Void) throws {
        let folder = try TemporaryDirectory(prefix: "unsealer-keys")
        defer { folder.remove() }
        let key = try SecretKey.loadOrCreate(at: "\(folder.path)/secrets.key")
        let store = try SealedSecretStore(
            path: "\(folder.path)/sealed.json", key: key, identity: StackIdentity(stack: "s", environment: "e"))
        try body(store, folder)
    }

    /// Writes the derived file as the unsealer's Docker secret would hold it, and opens it as `vault watch` does.
    static func open(_ store: SealedSecretStore, in folder: TemporaryDirectory) throws -> VaultKeyMaterial {
        let sealed = try #require(try store.value(named: VaultUnsealerSecret.keyFile.storeKey))
        let passphrase = try #require(try store.value(named: VaultUnsealerSecret.passphrase.storeKey))
        let path = "\(folder.path)/vault-unsealer-keys"
        try Data(sealed).write(to: URL(fileURLWithPath: path))
        return try VaultKeyFile(path: path).load(passphrase: String(decoding: passphrase, as: UTF8.self))
    }

    @Test("derived once: the file opens with its own passphrase and holds three of five shares and no root token; kept while the keys stay")
    func derivedAndKept() throws {
        try Self.withStore { store, folder in
            let keeper = VaultUnsealerKeys(store: store, cost: .testing)
            #expect(try keeper.keep(from: Self.material, keyFile: "/k") == .derived)
            let opened = try Self.open(store, in: folder)
            #expect(opened.unsealKeys == Array(Self.material.unsealKeys.prefix(3)) && opened.threshold == 3)
            #expect(opened.rootToken.isEmpty)
            let passphrase = try #require(try store.value(named: VaultUnsealerSecret.passphrase.storeKey))
            #expect(passphrase.count == 48, "generated, not the operator's")

            let before = try store.value(named: VaultUnsealerSecret.keyFile.storeKey)
            #expect(try keeper.keep(from: Self.material, keyFile: "/k") == .kept)
            #expect(try store.value(named: VaultUnsealerSecret.keyFile.storeKey) == before, "a settled stack's secret stays as it is")
            for value in try VaultUnsealerSecret.allCases.map({ try store.value(named: $0.storeKey) ?? [] }) {
                #expect(!String(decoding: value, as: UTF8.self).contains("canary"), "no share or token in clear")
            }
        }
    }

    @Test("new keys (Vault initialised anew) replace both secrets; a record that matches no shares is derived again")
    func replaced() throws {
        try Self.withStore { store, folder in
            let keeper = VaultUnsealerKeys(store: store, cost: .testing)
            _ = try keeper.keep(from: Self.material, keyFile: "/k")
            let oldPassphrase = try store.value(named: VaultUnsealerSecret.passphrase.storeKey)
            var rekeyed = Self.material
            rekeyed.unsealKeys = (1...5).map { "new-share-\($0)-" + String(repeating: "n", count: 20) }
            #expect(try keeper.keep(from: rekeyed, keyFile: "/k") == .replaced)
            #expect(try Self.open(store, in: folder).unsealKeys == Array(rekeyed.unsealKeys.prefix(3)))
            #expect(try store.value(named: VaultUnsealerSecret.passphrase.storeKey) != oldPassphrase)

            try store.replace(named: SealedStoreKey.vaultUnsealerRecord.rawValue, with: Array("stale".utf8))
            #expect(try keeper.keep(from: rekeyed, keyFile: "/k") == .replaced)
            #expect(try Self.open(store, in: folder).unsealKeys.count == 3)
        }
    }

    @Test("a key file without enough shares (separate custody) cannot feed an unsealer: the error names the file and the count")
    func notEnoughShares() throws {
        try Self.withStore { store, _ in
            var separate = Self.material
            separate.unsealKeys = []
            var message = ""
            do {
                _ = try VaultUnsealerKeys(store: store, cost: .testing).keep(from: separate, keyFile: "/etc/keys")
                Issue.record("derived keys from a file with no share")
            } catch let error as VaultBootstrapError {
                message = String(describing: error)
            }
            #expect(message.contains("/etc/keys"), "\(message)")
            #expect(try store.value(named: VaultUnsealerSecret.keyFile.storeKey) == nil, "nothing half-written")
        }
    }
}
