extension VaultClient {
    /// Waits until `sys/health` says this node is active. Right after an unseal (or a restart and unseal) OpenBao
    /// answers 429, standby, for about a second while raft elects the node: that is "not yet", as is a sealed or
    /// unreachable moment. Use it before work that must not meet that window; a node that is a standby of an HA
    /// cluster never becomes active, so keep `timeout` short there.
    ///
    /// - Throws: ``VaultClientError/timeout(method:path:after:)`` when it is not active within `timeout`.
    public func waitUntilActive(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while (try? await health().state) != .active {
            guard ContinuousClock.now < deadline else {
                throw VaultClientError.timeout(method: "GET", path: "sys/health", after: timeout)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
