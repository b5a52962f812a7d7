import Synchronization

/// A clock whose time moves only when a test advances it. A sleep suspends until the clock is advanced past
/// its deadline (or the sleeping task is cancelled), so retry loops and deadlines run without real time.
final class TestClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID = 0
        /// Every sleep asked for, in order (durations from the moment of asking).
        var requested: [Duration] = []
    }

    private let state = Mutex(State())

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }
    var requestedSleeps: [Duration] { state.withLock { $0.requested } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            state.requested.append(state.now.duration(to: deadline))
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume()
        }
        try Task.checkCancellation()
    }

    /// Moves time to the earliest pending sleep's deadline (if it is at most `maximumStep` away) and wakes every
    /// sleeper due by then. Waits (in real time, briefly) for such a sleeper to appear; returns false when none did.
    ///
    /// Limiting the step keeps long sleeps (an attempt's deadline) from firing while a short one (the interval
    /// between attempts) is what the code under test waits for.
    @discardableResult
    func advanceToNextSleeper(maximumStep: Duration = .seconds(3600)) async -> Bool {
        for _ in 0..<200 {
            let due = state.withLock { state -> [Sleeper]? in
                let now = state.now
                guard let next = state.sleepers.map(\.deadline).filter({ now.duration(to: $0) <= maximumStep }).min() else { return nil }
                state.now = max(state.now, next)
                let due = state.sleepers.filter { $0.deadline <= state.now }
                state.sleepers.removeAll { $0.deadline <= state.now }
                return due
            }
            if let due {
                for sleeper in due { sleeper.continuation.resume() }
                return true
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return false
    }
}

/// Runs `body` while advancing `clock` whenever it sleeps at most `maximumStep`, until `body` returns.
func driving<T: Sendable>(
    _ clock: TestClock, maximumStep: Duration = .seconds(3600), _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let done = Flag()
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            defer { done.set() }
            return try await body()
        }
        group.addTask {
            while !done.isSet {
                await clock.advanceToNextSleeper(maximumStep: maximumStep)
            }
            return nil
        }
        var result: T?
        for try await value in group where value != nil { result = value }
        guard let result else { throw CancellationError() }
        return result
    }
}

/// A flag set once, read from other tasks.
final class Flag: Sendable {
    private let value = Mutex(false)

    var isSet: Bool { value.withLock { $0 } }

    func set() { value.withLock { $0 = true } }
}
