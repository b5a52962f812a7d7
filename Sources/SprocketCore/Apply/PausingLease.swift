/// A run's lease that calls a pause point before each check, with the operation's name: the fault tests stop the
/// process there (``DeploymentContext/leaseCheckPausePoint``). With the default no-op pause point it only forwards.
struct PausingLease: StateLease {
    let base: any StateLease
    let pause: @Sendable (String) async -> Void

    var previousHolder: String? { base.previousHolder }

    func check(before operation: String) async throws {
        await pause(operation)
        try await base.check(before: operation)
    }

    func release() async { await base.release() }
}
