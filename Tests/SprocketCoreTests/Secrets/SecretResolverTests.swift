import Foundation
import SprocketCore
import Testing

@Suite("SecretResolver")
final class SecretResolverTests: ScratchFolderSuite {
    /// A stack with one layer declaring these secrets.
    func stack(_ secrets: SecretSpec...) -> StackSpec {
        StackFixture.stack([StackFixture.layer("data", secrets: secrets)])
    }

    func text(_ material: SecretMaterial?) -> String? {
        material?.content.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    @Test("an environment secret reads its variable")
    func environmentPresent() throws {
        let resolved = try SecretResolver(processEnvironment: ["DB_PASSWORD": "hunter2"], store: nil)
            .resolve(stack(StackFixture.secret("db-password")))
        #expect(text(resolved["db-password"]) == "hunter2")
    }

    @Test("a missing variable is an error naming the secret and the variable")
    func environmentMissing() throws {
        let secret = SecretSpec(
            name: "db-password", source: .environment(variable: "DB_PASSWORD"), location: SourceLocation(file: "data.yaml", line: 7, column: 5))
        let error = try #require(throws: SprocketError.self) {
            try SecretResolver(processEnvironment: ["OTHER": "x"], store: nil).resolve(stack(secret))
        }
        #expect(error.code == .secretUnavailable)
        #expect(error.message == "secret 'db-password': environment variable DB_PASSWORD is not set")
        #expect(error.subject == "data.yaml:7:5")
        #expect(error.hint?.contains("export DB_PASSWORD") == true)
    }

    @Test("offline, a missing value is reported as unavailable, not an error")
    func environmentMissingOffline() throws {
        let resolved = try SecretResolver(processEnvironment: [:], store: nil, isOffline: true)
            .resolve(stack(StackFixture.secret("db-password")))
        let material = try #require(resolved["db-password"])
        #expect(material.content == nil)
        #expect(material.unavailableReason == "environment variable DB_PASSWORD is not set")
    }

    @Test("every missing secret is named in one error")
    func severalMissing() throws {
        let error = try #require(throws: SprocketError.self) {
            try SecretResolver(processEnvironment: [:], store: nil).resolve(stack(StackFixture.secret("one"), StackFixture.secret("two")))
        }
        #expect(error.code == .secretUnavailable)
        #expect(error.message.contains("secret 'one': environment variable ONE is not set"))
        #expect(error.message.contains("secret 'two': environment variable TWO is not set"))
    }

    @Test("a file secret reads the file's bytes; an unreadable file is an error naming the path")
    func fileSource() throws {
        try folder.write("from-file\n", to: "pw.txt")
        let resolver = SecretResolver(processEnvironment: [:], store: nil)
        let resolved = try resolver.resolve(stack(StackFixture.secret("pw", source: .file(path: folder.file("pw.txt")))))
        #expect(text(resolved["pw"]) == "from-file\n", "bytes as they are, newline included")
        let error = try #require(throws: SprocketError.self) {
            try resolver.resolve(stack(StackFixture.secret("pw", source: .file(path: folder.file("missing.txt")))))
        }
        #expect(error.message == "secret 'pw': file \(folder.file("missing.txt")) cannot be read")
    }

    @Test("an external secret has no value and needs none")
    func external() throws {
        let resolved = try SecretResolver(processEnvironment: [:], store: nil).resolve(stack(StackFixture.secret("ca", source: .external(name: "corp-ca"))))
        #expect(resolved["ca"]?.content == nil)
        #expect(resolved["ca"]?.unavailableReason == "external")
    }

    @Test("a generated secret is created once in the sealed store; offline it is never generated")
    func generated() throws {
        let spec = stack(StackFixture.secret("token", source: .generate(length: 40, alphabet: .hex)))
        func store() throws -> SealedSecretStore {
            try SealedSecretStore(path: folder.file("secrets.sealed"), key: SecretKey.loadOrCreate(at: folder.file("key")), identity: StackFixture.identity)
        }
        let offline = try SecretResolver(processEnvironment: [:], store: store(), isOffline: true).resolve(spec)
        #expect(offline["token"]?.content == nil)
        #expect(offline["token"]?.unavailableReason == "generated at the first `up`")
        #expect(folder.read("secrets.sealed") == nil)

        let first = try #require(text(SecretResolver(processEnvironment: [:], store: store()).resolve(spec)["token"]))
        #expect(first.count == 40 && first.allSatisfy(\.isHexDigit))
        #expect(text(try SecretResolver(processEnvironment: [:], store: store()).resolve(spec)["token"]) == first)
        #expect(text(try SecretResolver(processEnvironment: [:], store: store(), isOffline: true).resolve(spec)["token"]) == first)
    }

    @Test("a generated secret without a store is unavailable offline and an error online")
    func generatedWithoutStore() throws {
        let spec = stack(StackFixture.secret("token", source: .generate(length: 8, alphabet: .hex)))
        #expect(try SecretResolver(processEnvironment: [:], store: nil, isOffline: true).resolve(spec)["token"]?.content == nil)
        let error = try #require(throws: SprocketError.self) { try SecretResolver(processEnvironment: [:], store: nil).resolve(spec) }
        #expect(error.message == "secret 'token': no sealed secret store is open")
    }

    @Test("a secret's value never shows in descriptions")
    func redacted() {
        let material = SecretMaterial(name: "pw", content: SensitiveBytes(Array(StackFixture.password.utf8)))
        #expect(String(describing: material.content) == "Optional(<7 bytes redacted>)")
        #expect(!String(reflecting: material).contains(StackFixture.password))
        #expect(!"\(material)".contains(StackFixture.password))
    }
}

@Suite("RandomSecret")
struct RandomSecretTests {
    @Test(
        "values have the asked length and only the alphabet's characters",
        arguments: [SecretAlphabet.alphanumeric, .hex, .base64url, .asciiPrintable, .custom("ab-_")], [1, 32, 100])
    func lengthAndAlphabet(alphabet: SecretAlphabet, length: Int) {
        let text = String(decoding: RandomSecret.generate(length: length, alphabet: alphabet), as: UTF8.self)
        #expect(text.count == length)
        #expect(text.allSatisfy { alphabet.characters.contains($0) })
    }

    @Test("values differ between calls and use the whole alphabet")
    func randomness() {
        let values = (0..<50).map { _ in RandomSecret.generate(length: 32, alphabet: .hex) }
        #expect(Set(values).count == 50)
        let seen = Set(values.flatMap { String(decoding: $0, as: UTF8.self) })
        #expect(seen == Set(SecretAlphabet.hex.characters))
    }

    @Test(
        "alphabets have the documented characters",
        arguments: [(SecretAlphabet.alphanumeric, 62), (.hex, 16), (.base64url, 64), (.asciiPrintable, 94), (.custom("aabbc"), 3)])
    func alphabetSizes(alphabet: SecretAlphabet, count: Int) {
        #expect(alphabet.characters.count == count)
        #expect(Set(alphabet.characters).count == count)
    }
}
