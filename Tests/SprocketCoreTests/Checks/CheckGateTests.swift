import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("Layer gates and verify, over a scripted probe")
struct CheckGateTests {
    @Test("a failing gate check stops the run before the next layer, naming the check, what it expected and what it saw")
    func failingGateStopsTheRun() async throws {
        let driver = RecordingClusterDriver()
        let probe = ScriptedProbe(["db: replicas": [.fail("0 running")]])
        let gate = CheckGate(runner: CheckRunner(probe: probe, clock: ImmediateClock(), setupAllowance: .seconds(1000), concurrency: 2))
        let events = EventLog()
        let desired = StackFixture.desired(StackFixture.standard)
        let observed = try await driver.observe(desired.identity)
        let plan = Planner().plan(desired: desired, observed: observed)
        let error = await #expect(throws: SprocketError.self) {
            try await Applier(driver: driver, pollInterval: .milliseconds(5), gate: gate, events: events.handler)
                .apply(plan, desired: desired, observed: observed)
        }
        #expect(error?.code == .gateFailed)
        let message = String(describing: try #require(error))
        #expect(message.contains("db: replicas: expected 1 task of the current version running, saw 0 running (5 attempts, 2s apart)"), "\(message)")
        #expect(!driver.mutatingCalls.contains("createService it-dev_api"), "the next layer must not start")
        #expect(probe.attempts.contains("proxy: replicas"), "the first layer was gated too")
        #expect(!probe.attempts.contains { $0.hasPrefix("api:") })
    }

    @Test("a layer whose checks pass lets the run go on, and says how many passed")
    func passingGate() async throws {
        let driver = RecordingClusterDriver()
        let probe = ScriptedProbe()
        let events = EventLog()
        let desired = StackFixture.desired(StackFixture.standard)
        let observed = try await driver.observe(desired.identity)
        let plan = Planner().plan(desired: desired, observed: observed)
        try await Applier(driver: driver, pollInterval: .milliseconds(5), gate: CheckGate(runner: CheckRunner(probe: probe, clock: ImmediateClock(), setupAllowance: .seconds(1000))), events: events.handler)
            .apply(plan, desired: desired, observed: observed)
        #expect(driver.mutatingCalls.contains("createService it-dev_api"))
        let notes = events.events.compactMap { event -> String? in
            if case .note(let text) = event { return text }
            return nil
        }
        #expect(notes == ["layer edge: 2/2 checks passed", "layer data: 2/2 checks passed", "layer app: 2/2 checks passed"])
    }

    @Test("verify reports per layer in deploy order, passes only when every check passes, and --fix redeploys lingering services")
    func verifyReportAndFix() async throws {
        let stack = StackFixture.standard
        let probe = ScriptedProbe(["api: no lingering tasks": [.fail("1 task of an older version still running (abc)")]])
        let verifier = Verifier(runner: CheckRunner(probe: probe, clock: ImmediateClock(), setupAllowance: .seconds(1000)), redeployer: probe)
        let report = try await verifier.verify(stack, fix: true)
        #expect(report.layers.map(\.name) == ["edge", "data", "app"])
        #expect(report.layers.map(\.passed) == [true, true, false])
        #expect(!report.passed)
        #expect(report.failures.map(\.check) == ["api: no lingering tasks"])
        #expect(report.layers[2].checks.map(\.check) == ["api: replicas", "api: fewer than 3 restarts in 2m", "api: no lingering tasks"])
        #expect(probe.forced == ["it-dev_api"])
        #expect(report.fixed == ["api"])

        let healthy = try await Verifier(runner: CheckRunner(probe: ScriptedProbe(), clock: ImmediateClock(), setupAllowance: .seconds(1000))).verify(stack)
        #expect(healthy.passed && healthy.fixed.isEmpty, "\(healthy.failures)")
        let json = String(decoding: try JSONEncoder().encode(healthy), as: UTF8.self)
        #expect(json.contains("\"passed\":true"))
    }
}

/// A clock for tests that do not look at time: a sleep under 500 s (the interval between attempts) returns at once,
/// a longer one (an attempt's deadline, with a setup allowance of 1000 s) lasts until it is cancelled, so no
/// deadline races a scripted answer.
struct ImmediateClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    var now: Instant { Instant(offset: .zero) }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        if deadline.offset >= .seconds(500) { try await Task.sleep(for: .seconds(3600)) }
        await Task.yield()
        try Task.checkCancellation()
    }
}
