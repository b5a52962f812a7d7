import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("Deployment")
final class DeploymentTests: ScratchFolderSuite {
    let identity = StackFixture.identity
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    func deployment(_ driver: RecordingClusterDriver, events: EventLog = EventLog(), environment: [String: String]? = nil) -> Deployment {
        Deployment(context: DeploymentContext(
            processEnvironment: environment ?? ["DB_PASSWORD": StackFixture.password], stateRoot: folder.file("state"),
            keyFilePath: folder.file("config/secrets.key"), concurrency: 4, events: events.handler, now: { Self.now },
            driver: { driver }))
    }

    /// Every byte written below the folder, as text.
    func everything() -> String {
        folder.contents().compactMap { folder.read($0) }.joined(separator: "\n")
    }

    @Test("up applies the plan and records a succeeded run and the secrets' fingerprints, never their values")
    func up() async throws {
        let driver = RecordingClusterDriver()
        let deployment = deployment(driver)
        let result = try await deployment.up(StackFixture.standard, options: .init(), command: "up")
        #expect(result.applied)
        let runID = try #require(result.runID)
        let store = deployment.store(for: identity)
        let runs = try store.runs()
        #expect(runs.map(\.id) == [runID])
        #expect(runs.first?.outcome == .succeeded)
        #expect(runs.first?.changes == result.plan.allChanges)
        let state = try store.load()
        #expect(state.lastRunID == runID && state.lastSuccessfulRunID == runID)
        let fingerprint = try #require(state.secretFingerprints["db-password"])
        #expect(fingerprint.hasPrefix("hmac-sha256:"))
        #expect(!everything().contains(StackFixture.password), "a secret value was written to disk")
        #expect(driver.names(.service).count == 3)
    }

    @Test("a second up with nothing to change makes no mutating call and records nothing")
    func upTwice() async throws {
        let driver = RecordingClusterDriver()
        let deployment = deployment(driver)
        _ = try await deployment.up(StackFixture.standard, options: .init(), command: "up")
        let stateBefore = folder.read("state/it/dev/state.json")
        driver.resetCalls()
        let again = try await deployment.up(StackFixture.standard, options: .init(), command: "up")
        #expect(again.applied == false && again.runID == nil)
        #expect(driver.mutatingCalls.isEmpty)
        #expect(try deployment.store(for: identity).runs().count == 1)
        #expect(folder.read("state/it/dev/state.json") == stateBefore)
    }

    @Test("a failed up with rollback restores what it changed and records the run as rolled back")
    func failedUpRollsBack() async throws {
        let driver = RecordingClusterDriver()
        driver.failCall("createService it-dev_db", reason: "no such image: postgres:16")
        let deployment = deployment(driver)
        let error = try await #require(throws: SprocketError.self) {
            _ = try await deployment.up(StackFixture.standard, options: .init(), command: "up")
        }
        #expect(error.code == .rolledBack)
        #expect(error.message.contains("no such image: postgres:16"), "the cause is named")
        let run = try #require(try deployment.store(for: identity).runs().first)
        #expect(run.outcome == .rolledBack)
        #expect(driver.names(.service).isEmpty, "services created by the failed run are removed again")
    }

    @Test("a failed up records the failed run with its error and rethrows it")
    func failedUp() async throws {
        let driver = RecordingClusterDriver()
        driver.failCall("createService it-dev_db", reason: "no such image: postgres:16")
        let deployment = deployment(driver)
        await #expect(throws: SprocketError.self) {
            _ = try await deployment.up(StackFixture.standard, options: .init(), command: "up", rollsBack: false)
        }
        let store = deployment.store(for: identity)
        let run = try #require(try store.runs().first)
        #expect(run.outcome == .failed)
        #expect(run.error?.contains("no such image: postgres:16") == true)
        #expect(run.finishedAt != nil)
        let state = try store.load()
        #expect(state.lastRunID == run.id)
        #expect(state.lastSuccessfulRunID == nil)
    }

    @Test("a failed run's record never holds a secret, even one a crashing container printed in its log: log lines are not recorded")
    func failedRunRecordIsRedacted() async throws {
        let canary = "canary-db-password-7f3e9a"
        let driver = RecordingClusterDriver()
        driver.script("it-dev_db", .fails(reason: "task exited with code 1"))
        driver.setDiagnosis("it-dev_db", ServiceDiagnosis(taskErrors: ["exit 1"], logLines: ["FATAL: password \(canary) rejected"]))
        var context = deployment(driver, environment: ["DB_PASSWORD": canary]).context
        context.redactor = SecretRedactor()
        let deployment = Deployment(context: context)
        await #expect(throws: SprocketError.self) {
            _ = try await deployment.up(StackFixture.standard, options: .init(), command: "up", rollsBack: false)
        }
        let run = try #require(try deployment.store(for: identity).runs().first)
        // Log lines are shown to the operator, never recorded (one may hold a secret the run never learned).
        #expect(run.error?.contains("exit 1") == true && run.error?.contains("log lines are not recorded") == true, "\(run.error ?? "")")
        #expect(run.error?.contains("FATAL: password") == false, "\(run.error ?? "")")
        #expect(!everything().contains(canary), "a secret value was written to disk")
    }

    @Test("down removes the stack and keeps data volumes unless asked", arguments: [false, true])
    func down(removeVolumes: Bool) async throws {
        let driver = RecordingClusterDriver()
        let deployment = deployment(driver)
        _ = try await deployment.up(StackFixture.standard, options: .init(), command: "up")
        let result = try await deployment.down(identity, removeVolumes: removeVolumes, command: "down")
        #expect(result.applied)
        for kind in [ResourceKind.service, .network, .config, .secret] {
            #expect(driver.names(kind).isEmpty, "\(kind) left behind")
        }
        #expect(driver.names(.volume) == (removeVolumes ? [] : ["it-dev_pgdata"]))
        #expect(result.plan.notes.contains("keeping volume it-dev_pgdata (pass --volumes to remove data volumes)") == !removeVolumes)
    }

    @Test("up while another run holds the lock fails at once, naming the holder, without touching the cluster")
    func locked() async throws {
        let driver = RecordingClusterDriver()
        let deployment = deployment(driver)
        let lock = try StateLock.acquire(directory: deployment.store(for: identity).directory, command: "up --layer app")
        defer { lock.release() }
        let error = try await #require(throws: SprocketError.self) {
            _ = try await deployment.up(StackFixture.standard, options: .init(), command: "up")
        }
        #expect(error.code == .locked)
        #expect(error.message.contains("running `up --layer app`"))
        #expect(driver.calls.isEmpty)
    }

    @Test("a run left `running` by a dead process is marked interrupted, with a warning")
    func interruptedRun() async throws {
        let events = EventLog()
        let deployment = deployment(RecordingClusterDriver(), events: events)
        let store = deployment.store(for: identity)
        let stale = RunRecord(
            id: "20200101T000000Z-1", command: "up", startedAt: Date(timeIntervalSince1970: 1_577_836_800), changes: [],
            snapshot: SpecSnapshot(DesiredState(identity: identity, layers: [])))
        try store.record(stale)
        _ = try await deployment.up(StackFixture.standard, options: .init(), command: "up")
        #expect(events.warnings == ["run 20200101T000000Z-1 (up) was interrupted; this run re-plans from the cluster"])
        let marked = try #require(try store.runs().first { $0.id == stale.id })
        #expect(marked.outcome == .interrupted)
        #expect(marked.finishedAt == Self.now)
    }

    @Test(
        "up refuses a plan whose only difference is a blocker")
    func loneBlocker() async throws {
        let driver = RecordingClusterDriver()
        let deployment = deployment(driver)
        _ = try await deployment.up(StackFixture.standard, options: .init(), command: "up")
        let edited = StackFixture.standard.with { $0.edit(layer: "edge") { $0.networks[0].driver = "bridge" } }
        let prepared = try await deployment.prepare(edited, options: .init(), offline: false)
        #expect(prepared.plan.blockers.count == 1 && !prepared.plan.hasChanges)
        let error = try await #require(throws: SprocketError.self) {
            _ = try await deployment.up(edited, options: .init(), command: "up")
        }
        #expect(error.code == .unsupportedChange)
    }

    /// `standard` with `db-password` generated instead of read from the environment.
    static let generated = StackFixture.standard.with {
        $0.edit(layer: "data") { $0.secrets[0].source = .generate(length: 24, alphabet: .alphanumeric) }
    }

    @Test("a generated secret is created at the first up and reused by later runs")
    func generatedSecret() async throws {
        let driver = RecordingClusterDriver()
        let deployment = deployment(driver, environment: [:])
        _ = try await deployment.up(Self.generated, options: .init(), command: "up")
        let secret = try #require(driver.names(.secret).first)
        let value = try #require(driver.object(.secret, named: secret)?.content)
        #expect(value.count == 24)
        driver.resetCalls()
        let again = try await deployment.up(Self.generated, options: .init(), command: "up")
        #expect(again.applied == false)
        #expect(driver.mutatingCalls.isEmpty)
        #expect(!everything().contains(String(decoding: value, as: UTF8.self)))
    }

    @Test("an offline plan with a generated secret creates no key, no state and no value")
    func offlinePlan() async throws {
        let driver = RecordingClusterDriver()
        let prepared = try await deployment(driver, environment: [:]).prepare(Self.generated, options: .init(), offline: true)
        #expect(prepared.secrets["db-password"]?.content == nil)
        #expect(prepared.desired.objectName("db-password") == "it-dev_db-password_unresolved")
        #expect(prepared.plan.count(.create) == 8)
        #expect(folder.contents().isEmpty, "offline wrote \(folder.contents())")
        #expect(driver.calls.isEmpty)
    }
}
