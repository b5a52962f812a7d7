import Foundation

extension StateStore {
    /// The one way a command takes the stack environment's lock for its whole length (`up`, `down`, `secrets sync`,
    /// `secrets set`, `vault init -f`, `state import`): `body` gets the lease behind ``PausingLease`` (the fault
    /// tests' stop points; a no-op otherwise), and a run that lost the lease records that outcome in the local state
    /// folder `local` only, since the shared state now belongs to the run that holds the lock.
    public func withRunLease<T>(
        command: String, recordingLossIn local: LocalStateStore, now: @escaping @Sendable () -> Date = Date.init,
        redactor: SecretRedactor = .shared, pause: @escaping @Sendable (String) async -> Void = { _ in },
        warn: (String) -> Void = { _ in }, _ body: (any StateLease) async throws -> T
    ) async throws -> T {
        let started = now()
        return try await withLease(command: command, now: started, warn: warn) { lease in
            do {
                return try await body(PausingLease(base: lease, pause: pause))
            } catch let lost as SprocketError where lost.code == .leaseLost {
                local.recordLeaseLost(lost, command: command, since: started, now: now(), redactor: redactor)
                throw lost
            }
        }
    }
}

extension LocalStateStore {
    /// Records that a run lost its lease, once: a loss inside the layers is already recorded by
    /// ``Deployment`` as the run's own outcome; a loss between steps (Vault, PostgreSQL, the secret sync) is not.
    func recordLeaseLost(_ lost: SprocketError, command: String, since started: Date, now: Date, redactor: SecretRedactor) {
        let recorded = ((try? runs()) ?? []).contains { $0.outcome == .leaseLost && $0.startedAt >= started }
        guard !recorded else { return }
        var run = RunRecord(
            id: RunRecord.makeID(at: started), command: command, startedAt: started, outcome: .leaseLost, changes: [],
            snapshot: SpecSnapshot(DesiredState(identity: identity, layers: [])))
        run.error = redactor.redact(SprocketError.recorded(lost))
        run.finishedAt = now
        try? record(run)
    }
}
