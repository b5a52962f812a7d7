import NIOCore
import Synchronization

/// Bounds a probe's exchange in time: when the limit passes first, the channel is closed (which ends the read
/// loop, whatever it was waiting for) and ``ProbeError/timedOut(_:)`` is thrown instead of the error the
/// closing caused.
enum ProbeDeadline {
    static func run<T: Sendable>(
        _ limit: Duration, closing channel: any Channel, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let expired = Expiry()
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group -> T in
                group.addTask(operation: body)
                group.addTask {
                    try await Task.sleep(for: limit)
                    expired.mark()
                    try? await channel.close()
                    return nil
                }
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    if let value = next { return value }
                }
                throw ProbeError.timedOut(limit)
            }
        } catch let error where expired.hasPassed && !(error is CancellationError) {
            throw ProbeError.timedOut(limit)
        }
    }

    /// Whether the limit passed; set once by the timer task, read by the caller.
    private final class Expiry: Sendable {
        private let passed = Mutex(false)

        var hasPassed: Bool { passed.withLock { $0 } }

        func mark() { passed.withLock { $0 = true } }
    }
}
