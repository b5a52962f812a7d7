import Foundation
import SprocketCore

/// The secrets a command learns from its process environment (outside ``SecretResolver``), registered with ``SecretRedactor/shared`` so
/// that the console and the log handler redact them.
public enum KnownSecretRegistration {
    /// Environment variables that hold credentials: tokens and passphrases.
    public static let environmentVariables = [
        "DOPPLER_TOKEN", "VAULT_TOKEN", "SPROCKET_VAULT_PASSPHRASE", "SPROCKET_SECRETS_PASSPHRASE", "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ]

    /// Registers the credentials of the process environment (called once per command runtime).
    public static func registerEnvironment(_ environment: [String: String], into redactor: SecretRedactor = .shared) {
        for variable in environmentVariables {
            if let value = environment[variable], !value.isEmpty { redactor.register(value, name: variable) }
        }
    }
}
