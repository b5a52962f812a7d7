import DockerEngine
import Foundation
import SprocketCore
import Testing

@Suite("Registry credentials are registered for redaction as they are read")
struct RegistryCredentialRedactionTests {
    @Test("a token read from SPROCKET_REGISTRY_AUTH is redacted from output from then on; the user name is not a secret")
    func registered() throws {
        let token = "registry-token-canary-\(UUID().uuidString.prefix(8))"
        #expect(SecretRedactor.shared.redact(token) == token)
        let credential = try RegistryCredentialStore(environment: ["SPROCKET_REGISTRY_AUTH": "ci-bot:\(token)"]).credential(for: "127.0.0.1:5000")
        #expect(credential?.username == "ci-bot")
        #expect(SecretRedactor.shared.redact("pull with \(token)") == "pull with <redacted:registry-credential>")
    }
}
