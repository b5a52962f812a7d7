import Foundation
import SprocketCore
import Synchronization

/// The state of one stack environment in an S3 bucket, laid out like the local folder:
/// `<prefix>/<stack>/<env>/state.json`, `…/runs/<id>.json`, and the lock `…/lock.json` (see ``S3StateLease``).
///
/// Objects are written only when their content changed from what this store last read or wrote, and only over the
/// version it last saw: `If-Match` on the ETag it read or wrote, `If-None-Match: *` for an object it saw absent. So
/// even a run that misjudged its lease cannot overwrite what another run wrote since (a store that ignores these
/// headers loses that second protection and keeps the lease's fence, docs/s3.md). The sealed secret store
/// (ciphertext only) is shared here too when the CLI mirrors it (``sealedSecrets()``, ``saveSealedSecrets(_:replacing:)``).
public final class S3StateStore: StateStore {
    public let identity: StackIdentity
    public let client: S3Client
    public let bucket: String
    /// `<prefix>/<stack>/<env>`.
    public let base: String
    public let timing: S3StateLease.Timing
    private let clock: @Sendable () -> Date
    /// Each key as last read or written: its content and ETag, or absent. Writes that change nothing are skipped;
    /// the others are conditional on it.
    private let known = Mutex<[String: Known]>([:])

    private enum Known {
        case absent
        case present(body: [UInt8], etag: String)
    }

    public init(
        location: S3StateLocation, identity: StackIdentity, credentials: S3Credentials, timing: S3StateLease.Timing? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.identity = identity
        self.client = S3Client(configuration: location.configuration, credentials: credentials)
        self.bucket = location.bucket
        self.base = location.base(for: identity)
        self.timing = timing ?? location.timing
        self.clock = clock
    }

    public var location: String { "s3://\(bucket)/\(base) at \(client.configuration.endpoint)" }
    var stateKey: String { "\(base)/state.json" }
    var runsPrefix: String { "\(base)/runs/" }
    var lockKey: String { "\(base)/lock.json" }

    public func load() async throws -> StackState {
        guard let bytes = try await read(stateKey) else { return StackState(identity: identity) }
        let state = try decode(StackState.self, from: bytes, key: stateKey)
        guard state.schemaVersion <= LocalStateStore.schemaVersion else {
            throw SprocketError(
                .stateCorrupt, "state schema version \(state.schemaVersion) is newer than this tool's (\(LocalStateStore.schemaVersion))",
                subject: "s3://\(bucket)/\(stateKey)", hint: "upgrade sprocketctl")
        }
        return state
    }

    public func save(_ state: StackState) async throws {
        try await write(LocalStateStore.encode(state), to: stateKey)
    }

    public func record(_ run: RunRecord) async throws {
        try await write(LocalStateStore.encode(run), to: runsPrefix + "\(run.id).json")
    }

    public func runs() async throws -> [RunRecord] {
        let keys = try await S3Error.translating { try await client.listObjects(bucket, prefix: runsPrefix) }.map(\.key)
            .filter { $0.hasSuffix(".json") }.sorted()
        var runs: [RunRecord] = []
        for key in keys {
            guard let bytes = try await read(key) else { continue }
            runs.append(try decode(RunRecord.self, from: bytes, key: key))
        }
        return runs
    }

    public func markInterruptedRuns(now: Date) async throws -> [RunRecord] {
        var marked: [RunRecord] = []
        for var run in try await runs() where run.outcome == .running {
            run.outcome = .interrupted
            run.finishedAt = now
            run.error = "the process ended before the run finished"
            try await record(run)
            marked.append(run)
        }
        return marked
    }

    /// State, runs and the shared sealed store (ciphertext, as the local file holds it).
    public func export() async throws -> StateExport {
        StateExport(
            schemaVersion: LocalStateStore.schemaVersion, state: try await load(), runs: try await runs(),
            sealedSecrets: try await sealedSecrets().map { String(decoding: $0.body, as: UTF8.self) })
    }

    /// Replaces state and runs with the export's, and shares its sealed store when it has one.
    public func importState(_ export: StateExport) async throws {
        guard export.schemaVersion <= LocalStateStore.schemaVersion else {
            throw SprocketError(.stateCorrupt, "the export's schema version \(export.schemaVersion) is newer than this tool's", hint: "upgrade sprocketctl")
        }
        guard export.state.stack == identity.stack, export.state.environment == identity.environment else {
            throw SprocketError(
                .stateCorrupt, "the export belongs to \(export.state.stack)/\(export.state.environment), not \(identity)",
                hint: "pass the matching -f and --env")
        }
        let previous = Set(try await S3Error.translating { try await client.listObjects(bucket, prefix: runsPrefix) }.map(\.key))
        for run in export.runs { try await record(run) }
        let kept = Set(export.runs.map { runsPrefix + "\($0.id).json" })
        for key in previous.subtracting(kept) {
            try await S3Error.translating { try await client.deleteObject(bucket, key) }
            known.withLock { $0[key] = .absent }
        }
        try await save(export.state)
        if let sealed = export.sealedSecrets {
            let current = try await sealedSecrets()
            if current?.body != Array(sealed.utf8) { try await saveSealedSecrets(Array(sealed.utf8), replacing: current?.etag) }
        }
    }

    public func acquireLock(command: String, now: Date) async throws -> any StateLease {
        try await S3StateLease.acquire(client: client, bucket: bucket, key: lockKey, command: command, timing: timing, clock: clock)
    }

    // MARK: - Objects

    private func read(_ key: String) async throws -> [UInt8]? {
        guard let object = try await S3Error.translating({ try await client.getObject(bucket, key) }) else {
            known.withLock { $0[key] = .absent }
            return nil
        }
        known.withLock { $0[key] = .present(body: object.body, etag: object.etag) }
        return object.body
    }

    private func write(_ bytes: [UInt8], to key: String) async throws {
        let condition: S3WriteCondition
        switch known.withLock({ $0[key] }) {
        case .present(let body, _) where body == bytes: return
        case .present(_, let etag): condition = .ifMatch(etag)
        case .absent: condition = .ifAbsent
        // Never looked at (a new run record, an import): nothing to compare with.
        case nil: condition = .none
        }
        let etag: String
        do {
            etag = try await client.putObject(bucket, key, body: bytes, contentType: "application/json", condition: condition)
        } catch let error as S3Error where error.kind == .preconditionFailed {
            throw SprocketError(
                .conflict, "another run wrote it after this run read it; this run's write was refused and nothing was overwritten",
                subject: "s3://\(bucket)/\(key)",
                hint: "this run no longer holds the stack environment: read `sprocketctl history`, then `plan`, and run again if needed",
                cause: error)
        } catch let error as S3Error {
            throw error.sprocketError
        }
        known.withLock { $0[key] = .present(body: bytes, etag: etag) }
    }

    private func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], key: String) throws -> T {
        do {
            return try LocalStateStore.decoder().decode(type, from: Data(bytes))
        } catch {
            throw SprocketError(
                .stateCorrupt, "cannot be decoded: \(error)", subject: "s3://\(bucket)/\(key)",
                hint: "restore it from `state export`, or move it away: the cluster is the truth, only history is lost")
        }
    }

}
