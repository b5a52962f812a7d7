import Synchronization

/// A one-slot wake-up signal between a producer (an event reader) and one waiter, with a timeout.
///
/// Signals that arrive while nobody waits are remembered (once: many signals collapse into one wake-up), so that
/// an event between two waits is never lost.
public final class ActivitySignal: Sendable {
    private struct State {
        var pending = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Bool, Never>)?
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes the waiter, or remembers the signal for the next wait.
    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: true)
    }

    /// `true` when signalled (or a signal was pending), `false` after `limit` or on cancellation.
    public func wait(upTo limit: Duration) async -> Bool {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate = state.withLock { state -> Bool? in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    if Task.isCancelled { return false }
                    state.waiter = (id, continuation)
                    return nil
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                    return
                }
                Task { [weak self] in
                    try? await Task.sleep(for: limit)
                    self?.expire(id, returning: false)
                }
            }
        } onCancel: {
            expire(id, returning: false)
        }
    }

    /// Resumes the waiter with `value` if it is still the wait `id`.
    private func expire(_ id: UInt64, returning value: Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard let waiter = state.waiter, waiter.id == id else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: value)
    }
}
