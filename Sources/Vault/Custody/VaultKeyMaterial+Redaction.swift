import Foundation
import SprocketCore

extension VaultKeyMaterial {
    /// Registers the root token and every unseal key share (base64 and hex) with `redactor`, so that output and logs
    /// redact them: called wherever key material is learned (loaded, initialised).
    public func registerForRedaction(in redactor: SecretRedactor = .shared) {
        redactor.register(rootToken, name: "vault-root-token")
        for (index, share) in unsealKeys.enumerated() {
            redactor.register(share, name: "vault-unseal-key-\(index + 1)")
            if let bytes = Data(base64Encoded: share) {
                redactor.register(bytes.map { String(format: "%02x", $0) }.joined(), name: "vault-unseal-key-\(index + 1)")
            }
        }
    }
}
