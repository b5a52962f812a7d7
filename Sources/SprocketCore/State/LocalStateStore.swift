import Foundation

/// State of one stack environment in a folder (default `.sprocket/<stack>/<env>/`):
/// `state.json`, `runs/<id>.json`, `lock`, `secrets.sealed`. Every write is atomic.
public struct LocalStateStore: Sendable {
    public static let schemaVersion = 1

    public let directory: String
    public let identity: StackIdentity

    public init(directory: String, identity: StackIdentity) {
        self.directory = directory
        self.identity = identity
    }

    /// `<root>/<stack>/<env>`.
    public static func directory(root: String, identity: StackIdentity) -> String {
        "\(root)/\(identity.stack)/\(identity.environment)"
    }

    public var statePath: String { "\(directory)/state.json" }
    public var runsDirectory: String { "\(directory)/runs" }
    public var sealedSecretsPath: String { "\(directory)/secrets.sealed" }

    public func load() throws -> StackState {
        guard let bytes = try AtomicFile.read(statePath) else { return StackState(identity: identity) }
        let state = try decode(StackState.self, from: bytes, path: statePath)
        guard state.schemaVersion <= Self.schemaVersion else {
            throw SprocketError(
                .stateCorrupt, "state schema version \(state.schemaVersion) is newer than this tool's (\(Self.schemaVersion))",
                subject: statePath, hint: "upgrade sprocketctl")
        }
        return state
    }

    /// Writes `state` as the next revision, only if `state.json` still holds the revision `state` was loaded
    /// with (compare-and-swap; the compare and the atomic rename run under the stack environment's lock, which every
    /// writer holds). A run that misjudged its lock (a lock file removed by hand, a state folder shared over a
    /// network file system) thus cannot overwrite newer work: it gets a conflict and writes nothing.
    /// - Throws: ``SprocketError`` with code ``SprocketError/Code/conflict`` when another run saved meanwhile.
    public func save(_ state: StackState) throws {
        let current = try load()
        guard current.revision == state.revision else {
            throw SprocketError(
                .conflict, "state.json is at revision \(current.revision ?? 0), not \(state.revision ?? 0) as this run read it: another run saved it meanwhile",
                subject: statePath, hint: "nothing was written; read `sprocketctl history`, then `plan`, and run again")
        }
        var next = state
        next.revision = (state.revision ?? 0) + 1
        try AtomicFile.write(Self.encode(next), to: statePath)
    }

    public func record(_ run: RunRecord) throws {
        try AtomicFile.write(Self.encode(run), to: "\(runsDirectory)/\(run.id).json")
    }

    /// All recorded runs, oldest first.
    public func runs() throws -> [RunRecord] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: runsDirectory) else { return [] }
        return try names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().map { name in
            let path = "\(runsDirectory)/\(name)"
            guard let bytes = try AtomicFile.read(path) else {
                throw SprocketError(.stateIO, "run record vanished while reading", subject: path)
            }
            return try decode(RunRecord.self, from: bytes, path: path)
        }
    }

    /// Marks runs left `running` by a process that died as `interrupted`. Call only while holding the lock.
    public func markInterruptedRuns(now: Date) throws -> [RunRecord] {
        var marked: [RunRecord] = []
        for var run in try runs() where run.outcome == .running {
            run.outcome = .interrupted
            run.finishedAt = now
            run.error = "the process ended before the run finished"
            try record(run)
            marked.append(run)
        }
        return marked
    }

    public func export() throws -> StateExport {
        let sealed = try AtomicFile.read(sealedSecretsPath).map { String(decoding: $0, as: UTF8.self) }
        return StateExport(schemaVersion: Self.schemaVersion, state: try load(), runs: try runs(), sealedSecrets: sealed)
    }

    /// Replaces this environment's state with an export. Call only while holding the lock.
    public func importState(_ export: StateExport) throws {
        guard export.schemaVersion <= Self.schemaVersion else {
            throw SprocketError(.stateCorrupt, "the export's schema version \(export.schemaVersion) is newer than this tool's", hint: "upgrade sprocketctl")
        }
        guard export.state.stack == identity.stack, export.state.environment == identity.environment else {
            throw SprocketError(
                .stateCorrupt,
                "the export belongs to \(export.state.stack)/\(export.state.environment), not \(identity)",
                hint: "pass the matching -f and --env")
        }
        // Replace, not merge: runs that are not in the export are removed once the export's are written.
        let previous = Set((try? FileManager.default.contentsOfDirectory(atPath: runsDirectory)) ?? [])
        for run in export.runs { try record(run) }
        let kept = Set(export.runs.map { "\($0.id).json" })
        for name in previous.subtracting(kept) where name.hasSuffix(".json") {
            try? FileManager.default.removeItem(atPath: "\(runsDirectory)/\(name)")
        }
        if let sealed = export.sealedSecrets {
            try AtomicFile.write(Array(sealed.utf8), to: sealedSecretsPath, permissions: 0o600)
        }
        // An export without a sealed store never deletes a local one: generated values cannot be recreated,
        // and the store is useless without the local key anyway.
        // The export replaces the state whatever revision it had where it came from.
        var imported = export.state
        imported.revision = try load().revision
        try save(imported)
    }

    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(value)) + [0x0a]
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], path: String) throws -> T {
        do {
            return try Self.decoder().decode(type, from: Data(bytes))
        } catch {
            throw SprocketError(
                .stateCorrupt, "cannot be decoded: \(error)", subject: path,
                hint: "restore it from `state export`, or move it away: the cluster is the truth, only history is lost")
        }
    }
}
