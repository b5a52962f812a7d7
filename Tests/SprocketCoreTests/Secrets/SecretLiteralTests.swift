import SprocketCore
import SprocketTestSupport
import Testing

@Suite("Leak guard: secret-looking literals in the spec")
struct SecretLiteralTests {
    // Fake values in the shapes of real ones (none of them is a credential).
    @Test("known token formats and random-looking strings are recognised", arguments: [
        "hvs.CAESIJ1xFakeFakeFakeFakeFake0123456789",
        "s.FakeFakeFakeFakeFake0123", "VAULT_TOKEN=s.FakeFakeFakeFakeFake0123",
        "dp.st.prd.FAKEfakeFAKEfakeFAKEfake0123456789",
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_FakeFakeFakeFakeFakeFakeFakeFake1234",
        "MTA4NzQ5MDY1NTQ2NzE5NjQ0Ng.GfAkEx.FakeFakeFakeFakeFakeFakeFakeFake12",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE...",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "q8#Vt2$Lm9!xR4@pZ7&wN1^kB6*sD3%f",
    ])
    func recognised(value: String) {
        #expect(SecretLiteralDetector.classify(value) != nil)
    }

    @Test("ordinary values are not flagged", arguments: [
        "production", "http://api:3001/graphql", "/run/secrets/store-password", "sprocket-local/busybox:latest",
        "postgres://app@db:5432/app?sslmode=require", "Hello from sprocketctl", "info,sprocket=debug",
        "0123456789abcdef0123456789abcdef", "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
        "${api_url}", "en_US.UTF-8", "apis.FakeFakeFakeFakeFake0123", "s.sprocket.localhost", "b.example.org", "Host(`worker.example.com`)", "Host(`api.Example.com`) && PathPrefix(`/v1`)",
    ])
    func ordinary(value: String) {
        #expect(SecretLiteralDetector.classify(value) == nil)
    }

    static func load(_ service: String) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "leak-guard")
        defer { folder.remove() }
        try folder.write("stack.yaml", "stack: leak\nlayers: [app]\n")
        try folder.write("app.yaml", "services:\n  bot:\n    image: example/bot\n" + service)
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: nil)
    }

    @Test("validate refuses a token pasted into environment:, at its file:line, without printing it")
    func environment() throws {
        let token = "MTA4NzQ5MDY1NTQ2NzE5NjQ0Ng.GfAkEx.FakeFakeFakeFakeFakeFakeFakeFake12"
        let error = #expect(throws: SpecError.self) {
            try Self.load("    environment:\n      LOG_LEVEL: info\n      DISCORD_TOKEN: \(token)\n")
        }
        let text = String(describing: error)
        #expect(text.contains("app.yaml:6") && text.contains("DISCORD_TOKEN") && text.contains("Discord bot token"), "\(text)")
        #expect(!text.contains(token) && !text.contains("FakeFake"))
    }

    @Test("not_secret: exempts a value that only looks random; labels and commands are checked too")
    func exemptionsAndOtherPlaces() throws {
        let random = "q8#Vt2$Lm9!xR4@pZ7&wN1^kB6*sD3%f"
        _ = try Self.load("    environment:\n      CACHE_BUSTER: \"\(random)\"\n    not_secret: [CACHE_BUSTER]\n")
        let labels = #expect(throws: SpecError.self) { try Self.load("    labels:\n      api-key: AKIAIOSFODNN7EXAMPLE\n") }
        #expect(String(describing: labels).contains("label `api-key`"))
        let command = #expect(throws: SpecError.self) {
            try Self.load("    command: [\"bot\", \"--token\", \"hvs.CAESIJ1xFakeFakeFakeFakeFake0123456789\"]\n")
        }
        #expect(String(describing: command).contains("`command`") && !String(describing: command).contains("hvs.CAES"))
    }
}
