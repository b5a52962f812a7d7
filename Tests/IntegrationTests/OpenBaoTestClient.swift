import Logging
import Vault

/// Runs `body` with a Vault client for `address` holding `token`, and shuts the client down whether `body` succeeds
/// or throws: a client released without `shutdown()` traps in debug builds, which would end the whole test process
/// (and every other test of the run) instead of failing one test.
@discardableResult
func withVaultClient<T: Sendable>(address: String, token: String, _ body: (VaultClient) async throws -> T) async throws -> T {
    try await VaultClient.withClient(
        configuration: try VaultClientConfiguration(address: address, token: VaultSecretString(token)), logger: Logger(label: "it"), body)
}
