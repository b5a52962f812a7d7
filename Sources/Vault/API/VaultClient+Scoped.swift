import Logging

extension VaultClient {
    /// Runs `body` with a new client and shuts the client down whether `body` succeeds or throws (a client
    /// released without ``shutdown()`` traps in debug builds).
    @discardableResult
    public static func withClient<T: Sendable>(
        configuration: VaultClientConfiguration, logger: Logger, calls: VaultCallCounter = VaultCallCounter(),
        _ body: (VaultClient) async throws -> T
    ) async throws -> T {
        let client = try VaultClient(configuration: configuration, logger: logger, calls: calls)
        do {
            let value = try await body(client)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
