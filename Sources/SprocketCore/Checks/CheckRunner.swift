/// Runs checks: each one up to `retries` attempts, `interval` apart, each attempt bounded by its `timeout`
/// (plus ``setupAllowance`` for the probe to start). A check passes at its first passing attempt.
///
/// Every wait goes through the injected clock, so tests run the loop without real time passing.
public struct CheckRunner: Sendable {
    public var probe: any CheckProbe
    public var clock: any Clock<Duration>
    /// Time an attempt may take beyond the check's `timeout`: creating and scheduling a probe job.
    public var setupAllowance: Duration
    /// Checks run at once.
    public var concurrency: Int

    public init(
        probe: any CheckProbe, clock: any Clock<Duration> = ContinuousClock(), setupAllowance: Duration = .seconds(30),
        concurrency: Int = 4
    ) {
        self.probe = probe
        self.clock = clock
        self.setupAllowance = setupAllowance
        self.concurrency = concurrency
    }

    /// Runs every check, `concurrency` at a time, and returns their outcomes in the order given.
    public func run(_ checks: [DesiredCheck]) async throws -> [CheckOutcome] {
        try await withThrowingTaskGroup(of: (Int, CheckOutcome).self) { group in
            var outcomes = [CheckOutcome?](repeating: nil, count: checks.count)
            var pending = checks.enumerated().makeIterator()
            var running = 0
            while running < max(1, concurrency), let (index, check) = pending.next() {
                group.addTask { (index, try await run(check)) }
                running += 1
            }
            while let (index, outcome) = try await group.next() {
                outcomes[index] = outcome
                if let (index, check) = pending.next() {
                    group.addTask { (index, try await run(check)) }
                }
            }
            return outcomes.compactMap { $0 }
        }
    }

    /// Runs one check to its outcome.
    ///
    /// - Throws: `CancellationError` only; a failing or erroring probe is a failed check.
    public func run(_ check: DesiredCheck) async throws -> CheckOutcome {
        let elapsed = Self.stopwatch(clock)
        let attempts = max(1, check.timing.retries)
        var observation = CheckObservation(passed: false, expected: check.expectation, seen: "not checked")
        var made = 0
        for attempt in 1...attempts {
            try Task.checkCancellation()
            made = attempt
            observation = try await attemptWithinDeadline(check)
            if observation.passed { break }
            if attempt < attempts { try await clock.sleep(for: check.timing.interval) }
        }
        let seen = observation.passed || made == 1 ? observation.seen : "\(observation.seen) (\(made) attempts, \(check.timing.interval.goStyle) apart)"
        return CheckOutcome(
            layer: check.layer, check: check.name, origin: check.origin, service: check.service?.name, passed: observation.passed,
            expected: observation.expected, seen: seen, attempts: made, seconds: elapsed().secondsValue)
    }

    /// One attempt, raced against the deadline; an error of the probe is what the attempt saw.
    private func attemptWithinDeadline(_ check: DesiredCheck) async throws -> CheckObservation {
        let limit = check.timing.timeout + setupAllowance
        let (probe, clock) = (self.probe, self.clock)
        return try await withThrowingTaskGroup(of: CheckObservation?.self) { group in
            group.addTask {
                do {
                    return try await probe.attempt(check, timeout: check.timing.timeout)
                } catch let error as CancellationError {
                    throw error
                } catch {
                    return CheckObservation(passed: false, expected: check.expectation, seen: "could not check: \(error)")
                }
            }
            group.addTask {
                try await clock.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first ?? CheckObservation(passed: false, expected: check.expectation, seen: "no answer within \(limit.goStyle)")
        }
    }

    /// A function that returns the time passed on `clock` since this call.
    private static func stopwatch<C: Clock>(_ clock: C) -> @Sendable () -> Duration where C.Duration == Duration {
        let start = clock.now
        return { start.duration(to: clock.now) }
    }
}

extension DesiredCheck {
    /// What a passing attempt looks like, in the words of a report.
    public var expectation: String {
        switch kind {
        case .replicas(let expected):
            guard let expected else { return "every desired task of the current version running" }
            return "\(expected) task\(expected == 1 ? "" : "s") of the current version running"
        case .noRestartLoop(let restarts, let window):
            return "fewer than \(restarts) restarts in \(window.goStyle)"
        case .http(let request):
            return "HTTP \(request.expectedStatus)" + (request.bodyContains.map { " with a body containing \"\($0)\"" } ?? "")
        case .tcp(let target):
            switch target {
            case .network(_, let host, let port, _): return "a connection to \(host):\(port)"
            case .published(let port): return "a connection to host port \(port)"
            }
        case .command:
            return "exit status 0"
        case .noLingeringTasks:
            return "no task of an older service version running"
        }
    }
}
