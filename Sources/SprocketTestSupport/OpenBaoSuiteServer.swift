/// One real OpenBao shared by the tests of a suite: started (initialised with 5 shares, threshold 3, and
/// unsealed) the first time a test asks for it, stopped by ``stop()`` when the suite ends. Starting a server takes
/// about two seconds; tests that share one use unique mount, policy and token names, and a test that seals or
/// restarts its server starts its own instead.
///
/// Each test target wraps it in a `SuiteTrait` (`.sharedOpenBao`) that calls ``stop()`` after the suite, whether
/// its tests passed or not.
public actor OpenBaoSuiteServer {
    private var starting: Task<(OpenBaoServer, OpenBaoInitResult), any Error>?

    public init() {}

    /// The server and its init result, starting it on the first call.
    public func server() async throws -> (OpenBaoServer, OpenBaoInitResult) {
        if let starting { return try await starting.value }
        let task = Task { try await OpenBaoServer.startUnsealed(shares: 5, threshold: 3) }
        starting = task
        return try await task.value
    }

    /// Stops the server if one was started.
    public func stop() async {
        guard let starting, let started = try? await starting.value else { return }
        await started.0.stop()
        self.starting = nil
    }
}
