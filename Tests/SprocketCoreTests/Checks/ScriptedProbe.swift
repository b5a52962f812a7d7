import Synchronization
@testable import SprocketCore

/// A ``CheckProbe`` that answers each check's attempts from a script, and records what it was asked.
final class ScriptedProbe: CheckProbe, ServiceRedeployer {
    enum Step: Sendable {
        case pass(String)
        case fail(String)
        case error(String)
        /// Never answers (until cancelled).
        case hang
    }

    struct ProbeError: Error, CustomStringConvertible {
        var description: String
    }

    private struct State {
        var script: [String: [Step]]
        var attempts: [(check: String, timeout: Duration)] = []
        var running = 0
        var mostRunning = 0
        var forced: [String] = []
    }

    private let state: Mutex<State>
    /// What a check without a script answers.
    let fallback: Step

    init(_ script: [String: [Step]] = [:], fallback: Step = .pass("fine")) {
        state = Mutex(State(script: script))
        self.fallback = fallback
    }

    var attempts: [String] { state.withLock { $0.attempts.map(\.check) } }
    var timeouts: [Duration] { state.withLock { $0.attempts.map(\.timeout) } }
    var mostRunning: Int { state.withLock { $0.mostRunning } }
    var forced: [String] { state.withLock { $0.forced } }

    func attempt(_ check: DesiredCheck, timeout: Duration) async throws -> CheckObservation {
        let step = state.withLock { state -> Step in
            state.attempts.append((check.name, timeout))
            state.running += 1
            state.mostRunning = max(state.mostRunning, state.running)
            guard var steps = state.script[check.name], !steps.isEmpty else { return fallback }
            let step = steps.removeFirst()
            state.script[check.name] = steps.isEmpty ? [step] : steps
            return step
        }
        defer { state.withLock { $0.running -= 1 } }
        // Let other checks start, so the concurrency bound is observable.
        await Task.yield()
        switch step {
        case .pass(let seen): return CheckObservation(passed: true, expected: check.expectation, seen: seen)
        case .fail(let seen): return CheckObservation(passed: false, expected: check.expectation, seen: seen)
        case .error(let message): throw ProbeError(description: message)
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            return CheckObservation(passed: false, expected: check.expectation, seen: "woke up")
        }
    }

    func forceUpdate(serviceNamed dockerName: String) async throws {
        state.withLock { $0.forced.append(dockerName) }
    }
}

extension DesiredCheck {
    /// A check of service `service` in layer `layer`, for runner tests.
    static func sample(
        _ name: String, layer: String = "app", kind: Kind = .replicas(expected: 1), service: String? = "web",
        retries: Int = 3, interval: Duration = .seconds(2), timeout: Duration = .seconds(5), origin: Origin = .service
    ) -> DesiredCheck {
        DesiredCheck(
            name: name, layer: layer, origin: origin,
            service: service.map { CheckedService(name: $0, dockerName: "demo-default_\($0)", namePrefix: "demo-default") },
            kind: kind, timing: CheckTiming(timeout: timeout, interval: interval, retries: retries))
    }
}
