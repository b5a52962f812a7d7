import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

@Suite("Secrets the Vault module learns are registered for redaction as they are learned")
struct VaultSecretRegistrationTests {
    @Test("key material loaded from a key file: the root token and every share (base64 and hex) are redacted from then on")
    func keyMaterialOnLoad() throws {
        let folder = try TemporaryDirectory(prefix: "vault-redaction")
        defer { folder.remove() }
        let share = Data((0..<32).map { UInt8(($0 * 7 + 3) % 256) }).base64EncodedString()
        let root = "s.registrationcanary\(uniqueSuffix())xyz"
        let material = VaultKeyMaterial(
            unsealKeys: [share], rootToken: root, threshold: 1, vaultAddress: "http://127.0.0.1:8200", createdAt: Date())
        let path = "\(folder.path)/keys"
        let passphrase = "registration passphrase 1"
        // Written as `vault init` would, without going through the code under test.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try PassphraseSealedFile(path: path, purpose: "vault-keys").write(try encoder.encode(material), passphrase: passphrase, cost: .testing)
        #expect(SecretRedactor.shared.redact(root) == root, "not known before it is loaded")
        _ = try VaultKeyFile(path: path, cost: .testing).load(passphrase: passphrase)
        let hex = (Data(base64Encoded: share) ?? Data()).map { String(format: "%02x", $0) }.joined()
        #expect(SecretRedactor.shared.redact("token \(root)") == "token <redacted:vault-root-token>")
        #expect(!SecretRedactor.shared.redact("\(share) \(hex)").contains(share))
        #expect(!SecretRedactor.shared.redact(hex).contains(hex))
    }
}
