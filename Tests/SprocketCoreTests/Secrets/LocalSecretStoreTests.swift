import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("LocalSecretStore: values set by hand in the sealed store")
final class LocalSecretStoreTests: ScratchFolderSuite {
    static let canary = "CANARY-local-4b1d9e-never-printed"

    func sealed() throws -> SealedSecretStore {
        try SealedSecretStore(path: folder.file("secrets.sealed"), key: SecretKey.loadOrCreate(at: folder.file("key")), identity: StackFixture.identity)
    }

    func local() throws -> LocalSecretStore { LocalSecretStore(sealed: try sealed()) }

    @Test("a value set comes back from a store re-opened from disk; the file holds no plaintext")
    func roundTrip() throws {
        try local().set("api_key", value: Array(Self.canary.utf8))
        #expect(try local().value(named: "api_key") == Array(Self.canary.utf8))
        #expect(try local().value(named: "other") == nil)
        let raw = try #require(folder.read("secrets.sealed"))
        #expect(!raw.contains(Self.canary) && !raw.contains(Data(Self.canary.utf8).base64EncodedString()))
    }

    @Test("a local secret and a generated value of the same name are separate entries")
    func noCollision() throws {
        let generated = try sealed().valueOrGenerate(named: "token") { Array("generated-value".utf8) }
        try local().set("token", value: Array("set-by-hand".utf8))
        #expect(try sealed().value(named: "token") == generated)
        #expect(try local().value(named: "token") == Array("set-by-hand".utf8))
        #expect(try sealed().entryNames == ["local/token", "token"])
        #expect(try local().entries().map(\.name) == ["token"], "generated values are not listed as local secrets")
    }

    @Test("entries carry a 12-hex fingerprint under the local key and the time of the last change, never the value")
    func entries() throws {
        let before = Date().addingTimeInterval(-2)
        try local().set("b", value: Array("value-one".utf8))
        try local().set("a", value: Array("value-two".utf8))
        let entries = try local().entries()
        #expect(entries.map(\.name) == ["a", "b"])
        for entry in entries {
            #expect(entry.fingerprint.count == 12 && entry.fingerprint.allSatisfy(\.isHexDigit))
            #expect((entry.updatedAt ?? .distantPast) >= before)
        }
        #expect(entries[0].fingerprint != entries[1].fingerprint)
        let key = try SecretKey.loadOrCreate(at: folder.file("key"))
        #expect(key.fingerprint(Array("value-two".utf8)).dropFirst("hmac-sha256:".count).hasPrefix(entries[0].fingerprint))
        try local().set("a", value: Array("value-three".utf8))
        #expect(try local().entries()[0].fingerprint != entries[0].fingerprint, "a new value has a new fingerprint")
    }

    @Test("a batch with an invalid name or an empty value stores nothing", arguments: [
        ("bad name", "v-123456"), ("GOOD_TOO", ""), ("-leading-dash", "v-123456"),
    ])
    func batchAllOrNothing(name: String, value: String) throws {
        #expect(throws: SprocketError.self) {
            try self.local().set([("FIRST", Array("first-value".utf8)), (name, Array(value.utf8))])
        }
        #expect(try local().entries().isEmpty)
        #expect(folder.read("secrets.sealed") == nil)
    }

    @Test("names", arguments: [("API_KEY", true), ("db-password", true), ("a.b", true), ("_x", true), ("9lives", false), ("a/b", false), ("", false)])
    func names(name: String, valid: Bool) {
        #expect(LocalSecretStore.isValidName(name) == valid)
    }

    @Test("the resolver reads a `local` secret from the store, and names `secrets set` when it is missing")
    func resolver() throws {
        let spec = StackFixture.stack([StackFixture.layer("app", secrets: [StackFixture.secret("api", source: .local(name: "API_KEY"))])])
        let missing = try #require(throws: SprocketError.self) {
            try SecretResolver(processEnvironment: [:], store: self.sealed(), redactor: SecretRedactor()).resolve(spec)
        }
        #expect(missing.message.contains("secret 'api'") && missing.hint?.contains("sprocketctl secrets set API_KEY") == true, "\(missing)")
        let offline = try SecretResolver(processEnvironment: [:], store: nil, isOffline: true, redactor: SecretRedactor()).resolve(spec)
        #expect(offline["api"]?.content == nil && offline["api"]?.unavailableReason?.contains("API_KEY") == true)

        try local().set("API_KEY", value: Array(Self.canary.utf8))
        let redactor = SecretRedactor()
        let resolved = try SecretResolver(processEnvironment: [:], store: sealed(), redactor: redactor).resolve(spec)
        #expect(resolved["api"]?.content?.bytes == Array(Self.canary.utf8))
        #expect(redactor.redact("x \(Self.canary) y") == "x <redacted:api> y", "resolved values are registered for redaction")
    }
}
