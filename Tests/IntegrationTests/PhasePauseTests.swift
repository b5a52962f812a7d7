import Foundation
import S3
import SprocketCore
import SprocketTestSupport
import Testing

/// `up` stopped (SIGSTOP) inside a phase (Vault's bootstrap, its tokens, the secret sync between its Vault write
/// and its sealed-store write, PostgreSQL before and between its statements), right before the lease check that
/// guards the next write (`SPROCKET_TEST_PAUSE_AT_CHECK`), while a second operator's run goes on.
///
/// - S3 state (moto, a 3 s lease): the second run takes the lock over once the lease ran out and does the whole
///   `up`; it is itself stopped before it saves the state, so that it still holds the lock when the first run is
///   resumed. Resumed, the first run makes no change to any system, exits 6 naming the second run as the holder;
///   the second run then finishes, history shows its one succeeded run, and a re-run converges without orphans.
/// - Local state: the lock is an `flock` the kernel keeps for the stopped process, so it cannot be taken over: the
///   second run is refused at once (exit 4, naming the holder) and changes nothing; resumed, the first run finishes.
@Suite("up paused inside the Vault, secret sync and PostgreSQL phases while another run goes on", .tags(.integration))
struct PhasePauseTests {
    static let points = [
        FaultPoint(name: "Vault's bootstrap, before init", operation: "Vault PUT sys/init"),
        FaultPoint(name: "Vault's tokens, before the mint", operation: "Vault POST auth/token/create"),
        FaultPoint(name: "the secret sync, between the Vault write and the sealed store", operation: "sealed store: storing secret api-key"),
        FaultPoint(name: "PostgreSQL, before its changes", operation: "applying "),
        FaultPoint(name: "PostgreSQL, between two statements (the role created)", operation: "postgres: create database"),
    ]

    @Test("S3 state: resumed after a takeover it changes nothing, exits 6 naming the new holder; one succeeded run; a re-run converges without orphans (real OpenBao)",
          arguments: points)
    func takenOverOnS3(_ point: FaultPoint) async throws {
        try await PhaseFaultStack.with(prefix: "fpause") { fixture in
            try await MotoStateBucket.with(prefix: "it-fpause") { state in
                let shared = state.awsEnvironment.merging(["SPROCKET_STATE": state.stateURL(extra: "&lease_seconds=3")]) { $1 }
                let store = S3StateStore(location: try S3StateLocation(url: state.stateURL()), identity: fixture.identity, credentials: state.credentials)
                let first = FaultRun(
                    ["up", "--yes", "--json"], folder: fixture.stack.folder.path,
                    environment: fixture.environment(machine: "laptop", extra: shared.merging(["SPROCKET_TEST_PAUSE_AT_CHECK": point.operation]) { $1 }))
                let firstPID = try #require(try await first.waitUntilStopped(), "the first run never stopped before \(point.operation)")
                let runsBefore = try await store.runs().map(\.id)

                // The second operator's run: it takes the lock over once the first run's lease ran out, does everything
                // and stops before saving the state, still holding the lock.
                let second = try #require(
                    try await Self.secondRun(fixture, environment: shared.merging(["SPROCKET_TEST_PAUSE_AT_CHECK": "saving the state"]) { $1 }),
                    "the lock was never taken over")
                let secondPID = second.pid
                let before = try await SystemsSnapshot.take(fixture, state: state)
                let pgLog = fixture.pg.log().count

                let resumed = try await first.resume(firstPID)
                #expect(resumed.status == 6, "exit code 6 for a lost lease: \(resumed.status)\n\(resumed.stderr)")
                #expect(resumed.stderr.contains("lost its lock") && resumed.stderr.contains("nothing was rolled back"), "\(resumed.stderr)")
                #expect(resumed.stderr.contains("pid \(secondPID)") || resumed.stderr.contains(":\(secondPID)"),
                        "names the second run as the holder: \(resumed.stderr)")
                let after = try await SystemsSnapshot.take(fixture, state: state)
                #expect(before == after, "the resumed run changed something: \(before.difference(to: after))")
                #expect(fixture.pg.loggedStatements(after: pgLog).isEmpty, "no statement reached PostgreSQL: \(fixture.pg.loggedStatements(after: pgLog))")

                let finished = try await second.run.resume(secondPID)
                #expect(finished.status == 0, "the second run finishes: \(finished.stdout)\(finished.stderr)")
                let newRuns = try await store.runs().filter { !runsBefore.contains($0.id) }
                #expect(newRuns.map(\.outcome) == [.succeeded], "one succeeded run, none from the lost run: \(newRuns.map { "\($0.command): \($0.outcome)" })")
                let local = LocalStateStore(directory: fixture.stateDirectory("laptop"), identity: fixture.identity)
                #expect(try await local.runs().map(\.outcome).contains(.leaseLost), "the lost run recorded its outcome locally")

                try await fixture.expectRerunConverges(machine: "laptop", extra: shared)
                let orphans = try await fixture.orphans(machine: "laptop", state: store)
                #expect(orphans.isEmpty, "\(orphans)")
                #expect(!fixture.leaks(resumed.stdout + resumed.stderr + finished.stdout + finished.stderr), "a secret value leaked")
            }
        }
    }

    /// Starts the second operator's `up` until it gets the lock (exit 4 while the first run's lease holds), and
    /// returns it once it stopped at its own stop point.
    static func secondRun(_ fixture: PhaseFaultStack, environment: [String: String]) async throws -> (run: FaultRun, pid: Int32)? {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let run = FaultRun(["up", "--yes", "--json"], folder: fixture.stack.folder.path, environment: fixture.environment(machine: "second-operator", extra: environment))
            if let pid = try await run.waitUntilStopped(endedIsExpected: { $0.status == 4 }) { return (run, pid) }
            try await Task.sleep(for: .milliseconds(500))
        }
        return nil
    }

    @Test("local state: a stopped run keeps its lock; a second run is refused at once naming it and changes nothing; resumed, the first run finishes (real OpenBao)",
          arguments: [points[0], points[2], points[4]])
    func localLockHeld(_ point: FaultPoint) async throws {
        try await PhaseFaultStack.with(prefix: "flocal") { fixture in
            let first = FaultRun(
                ["up", "--yes", "--json"], folder: fixture.stack.folder.path,
                environment: fixture.environment(extra: ["SPROCKET_TEST_PAUSE_AT_CHECK": point.operation]))
            let pid = try #require(try await first.waitUntilStopped(), "the first run never stopped before \(point.operation)")
            let local = LocalStateStore(directory: fixture.stateDirectory("laptop"), identity: fixture.identity)
            let runsBefore = try await local.runs().map(\.id)
            let before = try await SystemsSnapshot.take(fixture)
            let pgLog = fixture.pg.log().count

            // Same machine, same state folder: the lock is the stopped process's flock.
            let second = try await fixture.sprocketctl(["up", "--yes", "--json"])
            #expect(second.status == 4, "refused while the lock is held: \(second.status)\n\(second.stderr)")
            #expect(second.stderr.contains("\(pid)"), "names the holder: \(second.stderr)")
            let after = try await SystemsSnapshot.take(fixture)
            #expect(before == after, "the refused run changed something: \(before.difference(to: after))")
            #expect(fixture.pg.loggedStatements(after: pgLog).isEmpty)
            #expect(try await local.runs().map(\.id) == runsBefore, "the refused run recorded nothing")

            let resumed = try await first.resume(pid)
            #expect(resumed.status == 0, "the lock was never lost: \(resumed.stdout)\(resumed.stderr)")
            let outcomes = try await local.runs().map(\.outcome)
            #expect(!outcomes.contains(.leaseLost) && !outcomes.contains(.failed) && !outcomes.contains(.interrupted), "\(outcomes)")
            try await fixture.expectRerunConverges()
            let orphans = try await fixture.orphans()
            #expect(orphans.isEmpty, "\(orphans)")
        }
    }
}
