import Foundation
import SprocketCore
import Testing

@Suite("SecretNamingKey")
final class SecretNamingKeyTests: ScratchFolderSuite {
    func open() throws -> SealedSecretStore {
        try SealedSecretStore(
            path: folder.file("secrets.sealed"), key: SecretKey.loadOrCreate(at: folder.file("secrets.key")), identity: StackFixture.identity)
    }

    @Test("reading never creates the key; creating keeps one key for every later reader")
    func createdOnceAndKept() throws {
        #expect(try SecretNamingKey.stored(in: open()) == nil)
        #expect(!FileManager.default.fileExists(atPath: folder.file("secrets.sealed")), "a read writes nothing")
        let created = try SecretNamingKey.storedOrCreated(in: open())
        #expect(try SecretNamingKey.stored(in: open()) == created)
        #expect(try SecretNamingKey.storedOrCreated(in: open()) == created, "never replaced once created")
        #expect(try open().entryNames == [SecretNamingKey.storeKey])
    }

    @Test("two stores created independently get different keys, so a lost store renames secrets once")
    func randomPerStore() throws {
        let first = try SecretNamingKey.storedOrCreated(in: open())
        try FileManager.default.removeItem(atPath: folder.file("secrets.sealed"))
        let second = try SecretNamingKey.storedOrCreated(in: open())
        #expect(first != second)
        let identity = StackFixture.identity
        let value = Array("same".utf8)
        #expect(
            DockerSecretNaming(identity: identity, key: first).name(of: "x", value: value)
                != DockerSecretNaming(identity: identity, key: second).name(of: "x", value: value))
    }

    @Test("the key is never printed")
    func redacted() throws {
        let key = try #require(SecretNamingKey(bytes: Array(repeating: 0x41, count: 32)))
        #expect(!String(describing: key).contains("AAAA"))
        #expect(!String(reflecting: key).contains("65"))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("65"))
        #expect(SecretNamingKey(bytes: [1, 2, 3]) == nil)
    }
}
