import Foundation
import SprocketCore
import Testing

@Suite("LocalStateStore")
final class LocalStateStoreTests: ScratchFolderSuite {
    let identity = StackFixture.identity
    /// Whole seconds: the state files store ISO 8601 dates without fractions.
    static let base = Date(timeIntervalSince1970: 1_790_000_000)

    func store(_ identity: StackIdentity = StackFixture.identity) -> LocalStateStore {
        LocalStateStore(directory: LocalStateStore.directory(root: folder.path, identity: identity), identity: identity)
    }

    func run(at offset: TimeInterval, outcome: RunRecord.Outcome = .succeeded, id: String? = nil) -> RunRecord {
        let started = Self.base.addingTimeInterval(offset)
        var run = RunRecord(
            id: id ?? RunRecord.makeID(at: started), command: "up", startedAt: started, outcome: outcome,
            changes: [PlannedChange(action: .create, resource: ResourceID(.service, "api"), layer: "app", dockerName: "it-dev_api")],
            snapshot: SpecSnapshot(StackFixture.desired(StackFixture.standard)))
        if outcome != .running { run.finishedAt = started.addingTimeInterval(5) }
        return run
    }

    @Test("the folder is <root>/<stack>/<env>")
    func directory() {
        #expect(LocalStateStore.directory(root: "/r", identity: identity) == "/r/it/dev")
    }

    @Test("a missing state loads as a fresh one")
    func missingState() throws {
        #expect(try store().load() == StackState(identity: identity))
        #expect(try store().runs().isEmpty)
    }

    @Test("state saves and loads unchanged")
    func roundTrip() throws {
        var state = StackState(identity: identity)
        state.lastRunID = "20260101T000000Z-1"
        state.lastSuccessfulRunID = "20260101T000000Z-1"
        state.secretFingerprints = ["db-password": "hmac-sha256:00ff"]
        state.updatedAt = Self.base
        try store().save(state)
        state.revision = 1
        #expect(try store().load() == state, "as saved, as its first revision")
    }

    @Test("a save over a state saved by someone else since it was read is refused and writes nothing (compare-and-swap)")
    func compareAndSwap() throws {
        let store = store()
        try store.save(StackState(identity: identity))
        var first = try store.load()
        var second = try store.load()
        first.lastRunID = "first"
        try store.save(first)
        second.lastRunID = "second"
        let error = try #require(throws: SprocketError.self) { try store.save(second) }
        #expect(error.code == .conflict)
        #expect(error.message.contains("revision 2, not 1"), "\(error.message)")
        #expect(try store.load().lastRunID == "first", "the newer work stands")
        #expect(try store.load().revision == 2)
    }

    @Test("run records round trip and are listed oldest first")
    func runsOldestFirst() throws {
        let runs = [run(at: 3600), run(at: 0), run(at: 86_400, outcome: .failed), run(at: 60)]
        for run in runs { try store().record(run) }
        let listed = try store().runs()
        #expect(listed == runs.sorted { $0.startedAt < $1.startedAt })
    }

    @Test(
        "runs started within the same second are listed in start order")
    func runsSameSecond() throws {
        let runs = (0..<20).map { run(at: Double($0) * 0.01) }
        for run in runs.shuffled() { try store().record(run) }
        let listed = try store().runs()
        #expect(listed.map(\.id) == runs.map(\.id))
    }

    @Test("only runs left `running` are marked interrupted")
    func interrupted() throws {
        let store = store()
        try store.record(run(at: 0, id: "a-done"))
        try store.record(run(at: 60, outcome: .running, id: "b-running"))
        let later = Self.base.addingTimeInterval(600)
        let marked = try store.markInterruptedRuns(now: later)
        #expect(marked.map(\.id) == ["b-running"])
        #expect(try store.runs().map(\.outcome) == [.succeeded, .interrupted])
        #expect(try store.runs().last?.finishedAt == later)
        #expect(try store.markInterruptedRuns(now: later).isEmpty)
    }

    @Test("export and import round trip state, runs and the sealed store's text")
    func exportImport() throws {
        let source = LocalStateStore(directory: folder.file("source"), identity: identity)
        var state = StackState(identity: identity)
        state.lastRunID = "r2"
        state.updatedAt = Self.base
        try source.save(state)
        try source.record(run(at: 0, id: "r1"))
        try source.record(run(at: 60, id: "r2"))
        let key = try SecretKey.loadOrCreate(at: folder.file("secrets.key"))
        let value = try SealedSecretStore(path: source.sealedSecretsPath, key: key, identity: identity)
            .valueOrGenerate(named: "db-password") { Array("generated-value".utf8) }

        // Through JSON, as `state export > file` and `state import < file` do.
        let exported = try source.export()
        let decoded = try LocalStateStore.decoder().decode(StateExport.self, from: Data(LocalStateStore.encode(exported)))
        let target = LocalStateStore(directory: folder.file("target"), identity: identity)
        try target.importState(decoded)

        #expect(try target.export() == exported)
        #expect(exported.sealedSecrets != nil)
        #expect(folder.read("target/secrets.sealed") == folder.read("source/secrets.sealed"))
        let reopened = try SealedSecretStore(path: target.sealedSecretsPath, key: key, identity: identity)
        #expect(try reopened.value(named: "db-password") == value)
    }

    @Test("import refuses another stack environment's export", arguments: [
        StackIdentity(stack: "other", environment: "dev"), StackIdentity(stack: "it", environment: "prod"),
    ])
    func importOtherStack(_ other: StackIdentity) throws {
        let foreign = StateExport(schemaVersion: 1, state: StackState(identity: other), runs: [], sealedSecrets: nil)
        let error = try #require(throws: SprocketError.self) { try store().importState(foreign) }
        #expect(error.code == .stateCorrupt)
        #expect(error.message.contains("belongs to \(other.stack)/\(other.environment), not it/dev"))
        #expect(folder.contents().isEmpty, "nothing may be written")
    }

    @Test("import refuses an export from a newer tool")
    func importNewerSchema() throws {
        let newer = StateExport(schemaVersion: LocalStateStore.schemaVersion + 1, state: StackState(identity: identity), runs: [], sealedSecrets: nil)
        let error = try #require(throws: SprocketError.self) { try store().importState(newer) }
        #expect(error.code == .stateCorrupt)
        #expect(error.message.contains("newer"))
    }

    @Test(
        "import replaces the run history")
    func importReplacesRuns() throws {
        let target = store()
        try target.record(run(at: 0, id: "local-run"))
        let export = StateExport(schemaVersion: 1, state: StackState(identity: identity), runs: [run(at: 60, id: "imported-run")], sealedSecrets: nil)
        try target.importState(export)
        let listed = try target.runs().map(\.id)
        #expect(listed == ["imported-run"])
    }

    @Test("a state written by a newer tool is refused with the path and an upgrade hint")
    func newerSchema() throws {
        let store = store()
        try folder.write(#"{"schemaVersion": 99, "stack": "it", "environment": "dev", "secretFingerprints": {}}"#, to: "it/dev/state.json")
        let error = try #require(throws: SprocketError.self) { try store.load() }
        #expect(error.code == .stateCorrupt)
        #expect(error.message.contains("state schema version 99 is newer than this tool's (1)"))
        #expect(error.subject == store.statePath)
        #expect(error.hint == "upgrade sprocketctl")
    }

    @Test("corrupt JSON is a .stateCorrupt error naming the file", arguments: ["state.json", "runs/20260101T000000Z-1.json"])
    func corrupt(_ file: String) throws {
        let store = store()
        try folder.write("{ not json", to: "it/dev/\(file)")
        let error = try #require(throws: SprocketError.self) {
            if file == "state.json" { _ = try store.load() } else { _ = try store.runs() }
        }
        #expect(error.code == .stateCorrupt)
        #expect(error.subject == "\(store.directory)/\(file)")
        #expect(error.message.hasPrefix("cannot be decoded"))
    }

    @Test("saving and recording leave no temporary file behind")
    func noTemporaryFiles() throws {
        let store = store()
        for index in 0..<5 {
            var state = try store.load()
            state.lastRunID = "run-\(index)"
            try store.save(state)
            try store.record(run(at: Double(index) * 60, id: "run-\(index)"))
        }
        #expect(folder.contents() == ["it", "it/dev", "it/dev/runs"] + (0..<5).map { "it/dev/runs/run-\($0).json" } + ["it/dev/state.json"])
    }
}
