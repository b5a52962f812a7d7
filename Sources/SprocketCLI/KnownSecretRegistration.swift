import Foundation
import SprocketCore
import Vault

/// The secrets the CLI itself learns (outside ``SecretResolver``), registered with ``SecretRedactor/shared`` so
/// that the console and the log handler redact them.
enum KnownSecretRegistration {
    /// Environment variables that hold credentials: tokens and passphrases.
    static let environmentVariables = [
        "DOPPLER_TOKEN", "VAULT_TOKEN", "SPROCKET_VAULT_PASSPHRASE", "SPROCKET_SECRETS_PASSPHRASE", "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ]

    /// Registers the credentials of the process environment (called once per command runtime).
    static func registerEnvironment(_ environment: [String: String], into redactor: SecretRedactor = .shared) {
        for variable in environmentVariables {
            if let value = environment[variable], !value.isEmpty { redactor.register(value, name: variable) }
        }
    }

    /// Registers Vault's root token and unseal key shares (base64 and hex) once they are loaded from the key file.
    static func register(_ material: VaultKeyMaterial, into redactor: SecretRedactor = .shared) {
        redactor.register(material.rootToken, name: "vault-root-token")
        for (index, share) in material.unsealKeys.enumerated() {
            redactor.register(share, name: "vault-unseal-key-\(index + 1)")
            if let bytes = Data(base64Encoded: share) {
                redactor.register(bytes.map { String(format: "%02x", $0) }.joined(), name: "vault-unseal-key-\(index + 1)")
            }
        }
    }
}
