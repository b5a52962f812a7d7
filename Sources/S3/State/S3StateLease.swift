import Foundation
import Logging
import SprocketCore
import Synchronization

/// The lock of a stack environment whose state is on S3: an object holding the owner, a heartbeat and an expiry.
///
/// Created with `If-None-Match: *`, so two runs can never both create it; renewed by a heartbeat task with
/// `If-Match: <etag>`, so a run that lost it (taken over after expiry) notices instead of overwriting; taken over
/// only when its expiry has passed (by the taker's clock); deleted on release. A run killed without releasing
/// blocks others until its lease expires.
public final class S3StateLease: StateLease {
    /// The lock object's content.
    struct Record: Codable, Sendable {
        var leaseID: String
        var host: String
        var pid: Int32
        var command: String
        var acquiredAt: Date
        var heartbeatAt: Date
        var expiresAt: Date

        var owner: String { "pid \(pid) on \(host), running `\(command)`" }
    }

    /// How long a lease lasts without a heartbeat, and how often the holder renews it.
    public struct Timing: Sendable, Hashable {
        public var leaseDuration: Duration
        public var heartbeatInterval: Duration

        public init(leaseDuration: Duration = .seconds(60), heartbeatInterval: Duration = .seconds(15)) {
            self.leaseDuration = leaseDuration
            self.heartbeatInterval = heartbeatInterval
        }
    }

    private struct Held: Sendable {
        var record: Record
        var etag: String
        var lost = false
        var heartbeat: Task<Void, Never>?
        /// The renewal in flight, which a second caller joins instead of sending its own.
        var renewal: Task<Renewal, Never>?
        /// Until when this process may act on the lease without renewing it first: the moment the last successful
        /// write of the lock object was sent, plus the lease, minus one heartbeat interval of margin. On the
        /// continuous clock, which keeps counting while the process is stopped or the machine sleeps.
        var actsUntil: ContinuousClock.Instant
    }

    public let previousHolder: String?
    let client: S3Client
    let bucket: String
    let key: String
    private let timing: Timing
    private let clock: @Sendable () -> Date
    private let held: Mutex<Held>

    private init(
        client: S3Client, bucket: String, key: String, record: Record, etag: String, previousHolder: String?, timing: Timing,
        clock: @escaping @Sendable () -> Date, sentAt: ContinuousClock.Instant
    ) {
        self.client = client
        self.bucket = bucket
        self.key = key
        self.previousHolder = previousHolder
        self.timing = timing
        self.clock = clock
        self.held = Mutex(Held(record: record, etag: etag, actsUntil: Self.deadline(sentAt: sentAt, timing: timing)))
    }

    static func deadline(sentAt: ContinuousClock.Instant, timing: Timing) -> ContinuousClock.Instant {
        sentAt + timing.leaseDuration - timing.heartbeatInterval
    }

    /// Whether a heartbeat found the lock taken over by another run.
    public var isLost: Bool { held.withLock(\.lost) }

    /// The fence. Within the deadline of the last renewal, the lease holds; past it (the process was stopped, the
    /// machine slept, the heartbeat could not reach S3), the lock object is renewed now, conditionally on the
    /// ETag this run last wrote: that succeeds only if no other run took the lock over in between (a takeover or
    /// a release changes or removes the object), and then the run may go on. Otherwise it is lost for good.
    ///
    /// A renewal that fails for a transient reason (a pooled connection the server closed while the process was
    /// stopped, a brief outage) is tried again a few times, and so is one that was sent before the process stopped
    /// and answered after it resumed (its deadline, counted from when it was sent, is already past): being
    /// conditional, a retry can never take the lock from another run. If S3 stays unreachable the run stops, saying
    /// so rather than naming a takeover.
    public func check(before operation: String) async throws {
        let (lost, actsUntil) = held.withLock { ($0.lost, $0.actsUntil) }
        if !lost && ContinuousClock.now < actsUntil { return }
        var failure: (any Error)?
        for attempt in 0..<Self.renewalAttempts {
            if attempt > 0, failure != nil { try? await Task.sleep(for: .milliseconds(250 << attempt)) }
            switch await renew() {
            case .renewed: failure = nil
            case .lost: throw await lostError(before: operation, renewalFailure: nil)
            case .failed(let error): failure = error
            }
            if held.withLock({ ContinuousClock.now < $0.actsUntil }) { return }
        }
        throw await lostError(before: operation, renewalFailure: failure)
    }

    /// How many times the fence tries to renew an overdue lease before it stops the run.
    static let renewalAttempts = 4

    /// Names who holds the lock now, read from the lock object. When the object is still this run's own (nobody took
    /// it over, but its renewals failed or came back too late), says that instead.
    private func lostError(before operation: String, renewalFailure: (any Error)?) async -> SprocketError {
        let location = "s3://\(bucket)/\(key)"
        let ownID = held.withLock(\.record.leaseID)
        let holder = (try? await client.getObject(bucket, key)).flatMap { try? LocalStateStore.decoder().decode(Record.self, from: Data($0.body)) }
        if holder?.leaseID == ownID || (holder == nil && renewalFailure != nil) {
            let why = renewalFailure == nil ? "its renewals came back after the deadline" : "S3 did not answer the renewal"
            return SprocketError(
                .leaseLost,
                "this run's lease on the stack environment ran out and could not be renewed (\(why)); it stopped before "
                    + "\(operation), as another run may take the lock over from now on",
                subject: location,
                hint: "nothing more was changed and nothing was rolled back. Check that S3 is reachable, then run "
                    + "`sprocketctl plan` and, if needed, `up` again",
                cause: renewalFailure)
        }
        let now = holder.map { "\($0.owner) since \(Self.timestamp($0.acquiredAt))" } ?? "no run (the lock was released)"
        return SprocketError(
            .leaseLost,
            "this run lost its lock on the stack environment (its lease ran out while it was stopped or could not renew it, "
                + "and another run took it over); it stopped before \(operation). The lock is held by \(now)",
            subject: location,
            hint: "nothing more was changed and nothing was rolled back: the other run's work stands. Run `sprocketctl history` "
                + "to see what it did, then `sprocketctl plan` and, if needed, `up` again")
    }

    /// Takes the lock or fails at once, naming the holder; takes it over when the holder's lease has expired.
    static func acquire(
        client: S3Client, bucket: String, key: String, command: String, timing: Timing, clock: @escaping @Sendable () -> Date
    ) async throws -> S3StateLease {
        let sentAt = ContinuousClock.now
        let now = clock()
        var record = Record(
            leaseID: UUID().uuidString, host: ProcessInfo.processInfo.hostName, pid: getpid(), command: command, acquiredAt: now,
            heartbeatAt: now, expiresAt: now.addingTimeInterval(timing.leaseDuration.seconds))
        do {
            let etag = try await client.putObject(bucket, key, body: try encode(record), contentType: "application/json", condition: .ifAbsent)
            return start(S3StateLease(client: client, bucket: bucket, key: key, record: record, etag: etag, previousHolder: nil, timing: timing, clock: clock, sentAt: sentAt))
        } catch let error as S3Error where error.kind == .preconditionFailed {
            // Held, or left behind: read who has it.
        } catch let error as S3Error {
            throw error.sprocketError
        }
        let location = "s3://\(bucket)/\(key)"
        guard let current = try await S3Error.translating({ try await client.getObject(bucket, key) }) else {
            throw SprocketError(
                .locked, "the lock was released while this run tried to take it", subject: location, hint: "run the command again")
        }
        let holder = try? LocalStateStore.decoder().decode(Record.self, from: Data(current.body))
        // The record keeps whole seconds (ISO 8601): the true expiry may lie up to a second later.
        if let holder, holder.expiresAt.addingTimeInterval(1) > now {
            throw SprocketError(
                .locked,
                "another run holds the lock of this stack environment: \(holder.owner) since \(Self.timestamp(holder.acquiredAt)), "
                    + "last heartbeat \(Self.timestamp(holder.heartbeatAt)), lease expires \(Self.timestamp(holder.expiresAt))",
                subject: location,
                hint: "wait for it to finish; if that process is gone, the lock can be taken after its lease expires")
        }
        record.acquiredAt = now
        do {
            let etag = try await client.putObject(
                bucket, key, body: try encode(record), contentType: "application/json", condition: .ifMatch(current.etag))
            let previous = holder.map { "\($0.owner), lease expired \(Self.timestamp($0.expiresAt))" } ?? "an unreadable lock record"
            return start(S3StateLease(
                client: client, bucket: bucket, key: key, record: record, etag: etag, previousHolder: previous, timing: timing, clock: clock, sentAt: sentAt))
        } catch let error as S3Error where error.kind == .preconditionFailed {
            throw SprocketError(
                .locked, "another run took over the expired lock first", subject: location, hint: "run `history` to see it; try again when it ends")
        } catch let error as S3Error {
            throw error.sprocketError
        }
    }

    /// Deletes the lock object if it is still this lease's, and stops the heartbeat.
    public func release() async {
        let (task, leaseID, lost) = held.withLock { held -> (Task<Void, Never>?, String, Bool) in
            let task = held.heartbeat
            held.heartbeat = nil
            return (task, held.record.leaseID, held.lost)
        }
        task?.cancel()
        await task?.value
        guard !lost else { return }
        // Only our own record is deleted: after a takeover the object belongs to the new holder. The lease ID in
        // the body decides, not the ETag we last saw: a heartbeat cancelled mid-flight may have renewed the object
        // (a new ETag) without telling us.
        guard let current = try? await client.getObject(bucket, key),
            let record = try? LocalStateStore.decoder().decode(Record.self, from: Data(current.body)), record.leaseID == leaseID
        else { return }
        try? await client.deleteObject(bucket, key, ifMatch: current.etag)
    }

    /// When the lock object says this lease expires (moved by every heartbeat).
    var recordedExpiry: Date { held.withLock { $0.record.expiresAt } }

    /// Stops renewing without releasing, as a killed process would (tests use it to let the lease expire).
    func stopHeartbeat() async {
        let task = held.withLock { held -> Task<Void, Never>? in
            defer { held.heartbeat = nil }
            return held.heartbeat
        }
        task?.cancel()
        await task?.value
    }

    private static func start(_ lease: S3StateLease) -> S3StateLease {
        let task = Task { [weak lease] in
            while !Task.isCancelled {
                guard let interval = lease?.timing.heartbeatInterval else { return }
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let lease, await lease.renew() != .lost else { return }
            }
        }
        lease.held.withLock { $0.heartbeat = task }
        return lease
    }

    /// What one renewal of the lock object did.
    enum Renewal: Sendable, Equatable {
        /// The lock object was rewritten: the deadline moved.
        case renewed
        /// Another run took the lock over (the conditional write was refused): renewing stops for good.
        case lost
        /// S3 could not be reached or failed: the deadline stays where it was, the heartbeat tries again at its
        /// next beat and the fence at once.
        case failed(any Error)

        static func == (lhs: Renewal, rhs: Renewal) -> Bool {
            switch (lhs, rhs) {
            case (.renewed, .renewed), (.lost, .lost), (.failed, .failed): true
            default: false
            }
        }
    }

    /// Extends the lease.
    ///
    /// One renewal at a time: a process resumed after a stop finds its heartbeat and a lease check both due, and two
    /// writes conditional on the same ETag would make the second fail and look like a takeover (the run then
    /// stopped with "lease lost", naming itself as the holder). The second caller waits for the first's answer.
    private func renew() async -> Renewal {
        let renewal = held.withLock { held -> Task<Renewal, Never> in
            if let running = held.renewal { return running }
            let task = Task { await self.sendRenewal() }
            held.renewal = task
            return task
        }
        let outcome = await renewal.value
        held.withLock { if $0.renewal == renewal { $0.renewal = nil } }
        return outcome
    }

    private func sendRenewal() async -> Renewal {
        if held.withLock(\.lost) { return .lost }
        let sentAt = ContinuousClock.now
        let now = clock()
        let (record, etag) = held.withLock { held -> (Record, String) in
            held.record.heartbeatAt = now
            held.record.expiresAt = now.addingTimeInterval(timing.leaseDuration.seconds)
            return (held.record, held.etag)
        }
        do {
            let newTag = try await client.putObject(
                bucket, key, body: try Self.encode(record), contentType: "application/json", condition: .ifMatch(etag))
            held.withLock {
                $0.etag = newTag
                $0.actsUntil = Self.deadline(sentAt: sentAt, timing: timing)
            }
            return .renewed
        } catch let error as S3Error where error.kind == .preconditionFailed || error.kind == .noSuchKey {
            // 412: another run rewrote the lock; 404: the object is gone (a run that took it over finished and
            // released it), which S3 answers to `If-Match` on a missing key. Either way this lease is over.
            held.withLock { $0.lost = true }
            client.logger.warning("the state lock was taken over by another run after this run's lease expired", metadata: ["lock": "s3://\(bucket)/\(key)"])
            return .lost
        } catch {
            // A transient failure: the lease survives missed renewals until its deadline.
            client.logger.warning("could not renew the state lock: \(error)", metadata: ["lock": "s3://\(bucket)/\(key)"])
            return .failed(error)
        }
    }

    private static func encode(_ record: Record) throws -> [UInt8] {
        try LocalStateStore.encode(record)
    }

    private static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
