import Foundation
import SprocketCore
import Testing

@Suite("SealedSecretStore")
final class SealedSecretStoreTests: ScratchFolderSuite {
    let identity = StackFixture.identity
    static let canary = "CANARY-7f3e9b-do-not-leak"

    func open(key: String = "secrets.key", identity: StackIdentity = StackFixture.identity) throws -> SealedSecretStore {
        try SealedSecretStore(path: folder.file("secrets.sealed"), key: SecretKey.loadOrCreate(at: folder.file(key)), identity: identity)
    }

    @Test("a value is generated once and the same value comes back from a store re-opened from disk")
    func generateOnce() throws {
        let first = try open().valueOrGenerate(named: "db-password") { RandomSecret.generate(length: 32, alphabet: .alphanumeric) }
        var generatedAgain = false
        let second = try open().valueOrGenerate(named: "db-password") {
            generatedAgain = true
            return Array("other".utf8)
        }
        #expect(second == first)
        #expect(!generatedAgain)
        #expect(try open().value(named: "db-password") == first)
        #expect(try open().value(named: "never-generated") == nil)
    }

    @Test("the file holds no plaintext of the value, in any common encoding")
    func noPlaintext() throws {
        _ = try open().valueOrGenerate(named: "api-token") { Array(Self.canary.utf8) }
        let text = try #require(folder.read("secrets.sealed"))
        #expect(text.contains("api-token"), "entries are named")
        for encoding in [Self.canary, Data(Self.canary.utf8).base64EncodedString(), ContentHash.hex(Array(Self.canary.utf8)), "CANARY"] {
            #expect(!text.contains(encoding), "the sealed file contains \(encoding)")
        }
    }

    @Test("another key cannot decrypt, and the error says which key and file")
    func wrongKey() throws {
        _ = try open().valueOrGenerate(named: "db-password") { Array(Self.canary.utf8) }
        let error = try #require(throws: SprocketError.self) { try open(key: "other.key").value(named: "db-password") }
        #expect(error.code == .secretStore)
        #expect(error.message == "generated secret 'db-password' cannot be decrypted with the key \(folder.file("other.key"))")
        #expect(error.subject == folder.file("secrets.sealed"))
        #expect(!error.description.contains(Self.canary))
    }

    @Test("an entry is bound to its stack, environment and name")
    func boundToIdentity() throws {
        _ = try open().valueOrGenerate(named: "db-password") { Array(Self.canary.utf8) }
        let prod = StackIdentity(stack: "it", environment: "prod")
        #expect(throws: SprocketError.self) { try open(identity: prod).value(named: "db-password") }
        // The same entry copied under another name does not open either.
        let text = try #require(folder.read("secrets.sealed"))
        try folder.write(text.replacingOccurrences(of: "\"db-password\"", with: "\"admin-password\""), to: "secrets.sealed")
        #expect(throws: SprocketError.self) { try open().value(named: "admin-password") }
    }

    @Test("the key file and the sealed file are created with mode 0600")
    func fileModes() throws {
        _ = try open(key: "config/sprocketctl/secrets.key").valueOrGenerate(named: "x") { [1, 2, 3] }
        for file in ["config/sprocketctl/secrets.key", "secrets.sealed"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder.file(file))
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(file)")
        }
    }

    @Test("stores opened on the same file keep each other's entries and agree on one value per name")
    func concurrentStores() throws {
        let first = try open()
        let second = try open()
        let value = try first.valueOrGenerate(named: "db-password") { Array(Self.canary.utf8) }
        _ = try second.valueOrGenerate(named: "api-token") { Array("token".utf8) }
        let reopened = try open()
        #expect(try reopened.value(named: "db-password") == value, "the second store's write dropped the first's entry")
        #expect(try reopened.value(named: "api-token") == Array("token".utf8))
        #expect(try second.valueOrGenerate(named: "db-password") { Array("different".utf8) } == value)
    }

    @Test("a damaged store file is refused with a clear error")
    func damagedFile() throws {
        try folder.write("not json", to: "secrets.sealed")
        let error = try #require(throws: SprocketError.self) { try open() }
        #expect(error.code == .secretStore)
        #expect(error.message.hasPrefix("the sealed secret store cannot be read"))
    }
}

@Suite("SecretKey")
final class SecretKeyTests: ScratchFolderSuite {
    @Test("a key is created once and loaded unchanged afterwards")
    func loadOrCreate() throws {
        let created = try SecretKey.loadOrCreate(at: folder.file("k"))
        let text = try #require(folder.read("k"))
        let loaded = try SecretKey.loadOrCreate(at: folder.file("k"))
        #expect(folder.read("k") == text)
        #expect(Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))?.count == 32)
        #expect(created.fingerprint([1, 2, 3]) == loaded.fingerprint([1, 2, 3]))
    }

    @Test("a key file that is not a base64 32-byte key is refused", arguments: ["", "not base64!", Data([1, 2, 3]).base64EncodedString()])
    func malformed(_ content: String) throws {
        try folder.write(content, to: "k")
        let error = try #require(throws: SprocketError.self) { try SecretKey.loadOrCreate(at: folder.file("k")) }
        #expect(error.code == .secretStore)
        #expect(error.subject == folder.file("k"))
        #expect(folder.read("k") == content, "a damaged key is never overwritten")
    }

    @Test("fingerprints are stable, keyed, and never the value")
    func fingerprints() throws {
        let key = try SecretKey.loadOrCreate(at: folder.file("a"))
        let other = try SecretKey.loadOrCreate(at: folder.file("b"))
        let value = Array(StackFixture.password.utf8)
        let fingerprint = key.fingerprint(value)
        #expect(fingerprint == key.fingerprint(value))
        #expect(fingerprint.hasPrefix("hmac-sha256:"))
        #expect(fingerprint.count == "hmac-sha256:".count + 64)
        #expect(!fingerprint.contains(StackFixture.password))
        #expect(fingerprint != "hmac-sha256:" + ContentHash.sha256Hex(value), "a plain hash could be brute-forced")
        #expect(fingerprint != key.fingerprint(Array("hunter3".utf8)))
        #expect(fingerprint != other.fingerprint(value))
    }

    @Test("the default key lives under the home folder's .config")
    func defaultPath() {
        #expect(SecretKey.defaultPath(home: "/home/ops") == "/home/ops/.config/sprocketctl/secrets.key")
    }
}
