import Foundation

/// Where the state of one stack environment lives: history (`runs/<id>.json`), `state.json`, and the lock that
/// makes a mutating run exclusive. ``LocalStateStore`` keeps it in a folder; the S3 module's `S3StateStore` keeps it
/// in a bucket with a leased lock. The sealed secret store is always local (see ``LocalStateStore``).
public protocol StateStore: Sendable {
    var identity: StackIdentity { get }
    /// Where the state is, for messages: a folder, or `s3://bucket/prefix/<stack>/<env>`.
    var location: String { get }

    /// The state, or a fresh one when none was saved yet.
    func load() async throws -> StackState
    func save(_ state: StackState) async throws
    /// Writes (or rewrites) one run record.
    func record(_ run: RunRecord) async throws
    /// All recorded runs, oldest first.
    func runs() async throws -> [RunRecord]
    /// Marks runs left `running` by a process that died as `interrupted`. Call only while holding the lock.
    func markInterruptedRuns(now: Date) async throws -> [RunRecord]
    func export() async throws -> StateExport
    /// Replaces the state with an export. Call only while holding the lock.
    func importState(_ export: StateExport) async throws
    /// Takes the lock of this stack environment or fails at once, naming the holder.
    /// - Throws: ``SprocketError`` with code ``SprocketError/Code/locked`` when another run holds it.
    func acquireLock(command: String, now: Date) async throws -> any StateLease
}

/// A held state lock. Release it when the run ends, also when it fails.
/// A check made right before a mutating call, given the call's name: a run's lease check (``StateLease/check(before:)``),
/// which throws ``SprocketError/Code/leaseLost`` when the run no longer holds the lock. A process that holds no lease
/// (the PostgreSQL Swarm job, whose run checks its lease before starting it) passes one that accepts every call.
public typealias LeaseFence = @Sendable (String) async throws -> Void

public protocol StateLease: Sendable {
    /// The holder this lease was taken over from (it ended without releasing), for a warning; nil normally.
    var previousHolder: String? { get }
    /// The fence: returns when the run still holds the lock, so that `operation` (a mutating call to any system)
    /// may go ahead; throws ``SprocketError/Code/leaseLost``, naming who holds it now, when it does not.
    func check(before operation: String) async throws
    func release() async
}

extension StateStore {
    /// Runs `body` holding the lock, and releases it afterwards whether `body` succeeds or throws. A lock taken
    /// over from a run that ended without releasing it is reported through `warn`.
    public func withLock<T>(
        command: String, now: Date, warn: (String) -> Void = { _ in }, _ body: () async throws -> T
    ) async throws -> T {
        try await withLease(command: command, now: now, warn: warn) { _ in try await body() }
    }

    /// ``withLock(command:now:warn:_:)`` handing the lease to `body`, which checks it before each mutating call.
    public func withLease<T>(
        command: String, now: Date, warn: (String) -> Void = { _ in }, _ body: (any StateLease) async throws -> T
    ) async throws -> T {
        let lease = try await acquireLock(command: command, now: now)
        if let previous = lease.previousHolder {
            warn("took over the lock of a run that ended without releasing it (\(previous))")
        }
        do {
            let result = try await body(lease)
            await lease.release()
            return result
        } catch {
            await lease.release()
            throw error
        }
    }
}

extension LocalStateStore: StateStore {
    public var location: String { directory }

    public func acquireLock(command: String, now: Date) async throws -> any StateLease {
        try StateLock.acquire(directory: directory, command: command, now: now)
    }
}

extension StateLock: StateLease {
    public var previousHolder: String? { takenOverFrom?.description }

    /// A local lock is an open file with an exclusive `flock`: the kernel keeps it for the process, paused or not,
    /// until it ends, so it cannot be lost while this run holds it.
    public func check(before operation: String) async throws {}
}
