import Testing
@testable import SprocketCore

@Suite("Check runner: retries, intervals, timeouts")
struct CheckRunnerTests {
    let clock = TestClock()

    /// A runner whose attempt deadline (timeout + 1000 s) is never reached by advancing intervals only.
    func runner(_ probe: ScriptedProbe, concurrency: Int = 4) -> CheckRunner {
        CheckRunner(probe: probe, clock: clock, setupAllowance: .seconds(1000), concurrency: concurrency)
    }

    @Test("a check passes at its first passing attempt, after waiting the interval between attempts")
    func passesAfterRetries() async throws {
        let probe = ScriptedProbe(["web: http": [.fail("HTTP 503"), .fail("HTTP 503"), .pass("HTTP 200")]])
        let runner = runner(probe)
        let check = DesiredCheck.sample("web: http", retries: 5)
        let outcome = try await driving(clock, maximumStep: .seconds(10)) { try await runner.run(check) }
        #expect(outcome.passed)
        #expect(outcome.attempts == 3)
        #expect(outcome.seen == "HTTP 200")
        #expect(outcome.seconds == 4)
        #expect(clock.requestedSleeps.filter { $0 == .seconds(2) }.count == 2)
        #expect(probe.timeouts == [.seconds(5), .seconds(5), .seconds(5)])
    }

    @Test("a check fails after `retries` failed attempts and reports the last one with what it expected")
    func failsAfterRetries() async throws {
        let probe = ScriptedProbe(["web: http": [.fail("HTTP 500 with body \"oops\"")]])
        let runner = runner(probe)
        let check = DesiredCheck.sample(
            "web: http",
            kind: .http(HTTPProbeRequest(method: "GET", path: "/health", expectedStatus: 200, bodyContains: "ok", target: .published(port: 18080))))
        let outcome = try await driving(clock, maximumStep: .seconds(10)) { try await runner.run(check) }
        #expect(!outcome.passed)
        #expect(outcome.attempts == 3)
        #expect(outcome.expected == "HTTP 200 with a body containing \"ok\"")
        #expect(outcome.seen == "HTTP 500 with body \"oops\" (3 attempts, 2s apart)")
        #expect(outcome.gateResult == GateCheckResult(layer: "app", check: "web: http", passed: false, expected: outcome.expected, seen: outcome.seen))
    }

    @Test("one attempt means no wait at all")
    func singleAttempt() async throws {
        let probe = ScriptedProbe(["web: restarts": [.fail("4 restarts in the last 2m")]])
        let outcome = try await driving(clock, maximumStep: .seconds(10)) {
            try await runner(probe).run(DesiredCheck.sample("web: restarts", retries: 1))
        }
        #expect(!outcome.passed && outcome.attempts == 1)
        #expect(outcome.seen == "4 restarts in the last 2m")
        #expect(!clock.requestedSleeps.contains(.seconds(2)))
    }

    @Test("a probe error is what the attempt saw, not a crash of the run")
    func probeErrorIsSeen() async throws {
        let probe = ScriptedProbe(["web: tcp": [.error("the engine is gone")]])
        let outcome = try await driving(clock, maximumStep: .seconds(10)) {
            try await runner(probe).run(DesiredCheck.sample("web: tcp", retries: 1))
        }
        #expect(!outcome.passed)
        #expect(outcome.seen == "could not check: the engine is gone")
    }

    @Test("an attempt that does not answer within its timeout (plus the probe's setup time) fails")
    func attemptTimesOut() async throws {
        let probe = ScriptedProbe(["web: tcp": [.hang]])
        let runner = CheckRunner(probe: probe, clock: clock, setupAllowance: .seconds(30))
        let outcome = try await driving(clock) { try await runner.run(DesiredCheck.sample("web: tcp", retries: 2)) }
        #expect(!outcome.passed)
        #expect(outcome.attempts == 2)
        #expect(outcome.seen == "no answer within 35s (2 attempts, 2s apart)")
        #expect(outcome.seconds == 72)
    }

    @Test("many checks run at most `concurrency` at a time and come back in the order given")
    func boundedAndOrdered() async throws {
        let names = (0..<9).map { "svc-\($0): replicas" }
        let probe = ScriptedProbe(Dictionary(uniqueKeysWithValues: names.map { ($0, [ScriptedProbe.Step.pass("1 running")]) }))
        let runner = runner(probe, concurrency: 2)
        let outcomes = try await runner.run(names.map { DesiredCheck.sample($0) })
        #expect(outcomes.map(\.check) == names)
        #expect(outcomes.allSatisfy { $0.passed })
        #expect(probe.mostRunning <= 2)
    }
}
