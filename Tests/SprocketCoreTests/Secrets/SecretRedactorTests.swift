import Foundation
import SprocketCore
import Testing

@Suite("SecretRedactor")
struct SecretRedactorTests {
    static let canary = "CANARY-redact-83c1f0"

    @Test("every occurrence of a registered value is replaced with its name")
    func replaces() {
        let redactor = SecretRedactor()
        redactor.register(Self.canary, name: "api")
        #expect(redactor.redact("a \(Self.canary) b \(Self.canary)") == "a <redacted:api> b <redacted:api>")
        #expect(redactor.redact("nothing here") == "nothing here")
    }

    @Test("values shorter than 6 bytes are not registered")
    func minimumLength() {
        let redactor = SecretRedactor()
        redactor.register("admin", name: "short")
        redactor.register("abcdef", name: "six")
        #expect(redactor.redact("admin abcdef") == "admin <redacted:six>")
        #expect(redactor.count == 1)
    }

    @Test("a value that contains another is replaced whole")
    func longestFirst() {
        let redactor = SecretRedactor()
        redactor.register("secret", name: "inner")
        redactor.register("secret-and-more", name: "outer")
        #expect(redactor.redact("x secret-and-more y secret") == "x <redacted:outer> y <redacted:inner>")
    }

    @Test("a file's value is found without its trailing newline, and in its JSON-escaped form")
    func forms() throws {
        let redactor = SecretRedactor()
        redactor.register(Array("pa\"ss\\word-1\n".utf8), name: "file")
        #expect(redactor.redact("value pa\"ss\\word-1 end") == "value <redacted:file> end")
        let json = String(decoding: try JSONEncoder().encode(["error": "bad pa\"ss\\word-1"]), as: UTF8.self)
        #expect(!redactor.redact(json).contains("word-1"), "\(redactor.redact(json))")
    }

    @Test("registration and redaction from many tasks at once")
    func concurrent() async {
        let redactor = SecretRedactor()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    redactor.register("value-\(index)-\(Self.canary)", name: "s\(index)")
                    _ = redactor.redact("value-\(index)-\(Self.canary)")
                }
            }
        }
        #expect(redactor.count == 50)
        #expect(redactor.redact("value-7-\(Self.canary)") == "<redacted:s7>")
    }
}

@Suite("SecretLineScanner")
struct SecretLineScannerTests {
    @Test("known token formats are found and masked", arguments: [
        ("VAULT_TOKEN=hvs.CAESIJ1x2y3z4a5b6c7d8e9f0gHIJKLMNOP", "Vault token", "hvs.", "CAESIJ1x2y3z"),
        ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AWS access key", "AKIA", "IOSFODNN7"),
        ("-----BEGIN RSA PRIVATE KEY-----", "private key", "----", "RSA PRIVATE"),
        ("token: dp.st.dev.ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "Doppler token", "dp.s", "ABCDEFGHIJ"),
    ])
    func known(line: String, kind: String, prefix: String, secretPart: String) throws {
        let finding = try #require(SecretLineScanner.scan(line).first)
        #expect(finding.kind.contains(kind) && finding.isKnownFormat)
        #expect(finding.masked.hasPrefix(prefix) && finding.masked.contains("masked"))
        #expect(!finding.masked.contains(secretPart), "the masked form leaks: \(finding.masked)")
    }

    @Test("a random-looking assignment is a weaker finding; ordinary lines are clean")
    func entropy() throws {
        let finding = try #require(SecretLineScanner.scan("password = \"Xk9#mQ2$vL7@pR4!nW8&zT5%\"").first)
        #expect(!finding.isKnownFormat && finding.kind.contains("password") && !finding.masked.contains("Xk9"))
        for clean in ["image: example/web:1.2.3", "digest: sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
                      "url = https://example.com/a/b?c=d", "just some prose with words in it",
                      "let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton2)", "group: container.capabilityDrop3X"] {
            #expect(SecretLineScanner.scan(clean).isEmpty, "\(clean)")
        }
    }
}
