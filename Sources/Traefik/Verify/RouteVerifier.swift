import Logging
import SprocketCore

/// Checks that Traefik serves the routers the spec expects, waiting for discovery within a budget.
///
/// Traefik's Swarm provider polls Docker every `refreshSeconds` (15 s by default, 5 s as sprocketctl configures it), so a router deployed a moment ago may not be in the API yet.
/// The verifier reads the API, judges every router (``RouteEvaluation``), and while something fails and the
/// budget allows, waits ``pollInterval`` and reads again. All waiting goes through the injected clock, so tests
/// run the loop without real time passing.
///
/// ```swift
/// let client = try TraefikAPIClient(baseURL: "http://127.0.0.1:8080")
/// let report = try await RouteVerifier(source: client).verify(expectedRouters)
/// report.summaryLines.forEach { print($0) }
/// ```
public struct RouteVerifier: Sendable {
    /// Where routers and services are read from.
    public var source: any TraefikRoutingSource
    /// How names without a provider suffix are resolved, and which routers count as ours.
    public var evaluation: RouteEvaluation
    /// How long to wait for every router to pass (default 60 s: four Swarm polls of Traefik).
    public var budget: Duration
    /// The time between reads.
    public var pollInterval: Duration
    /// The clock all waiting goes through.
    public var clock: any Clock<Duration>
    /// Receives one `debug` line per read.
    public var logger: Logger
    /// Traefik's log, read once at the end to explain routers the API does not list; nil: not explained.
    public var logSource: (any TraefikLogSource)?

    /// The default discovery budget.
    public static let defaultBudget = Duration.seconds(60)

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - source: Usually a ``TraefikAPIClient``.
    ///   - provider: `swarm` (Traefik v3) or `docker` (v2 Swarm mode): the suffix of names given without one.
    ///   - unexpectedNamePrefix: When set, our provider's routers starting with it that nothing expects fail the
    ///     report as orphans or duplicates.
    ///   - budget: The discovery budget.
    ///   - pollInterval: The time between reads.
    ///   - clock: The clock to wait on; tests inject one that does not need real time.
    public init(
        source: any TraefikRoutingSource, provider: String = Traefik.swarmProvider,
        unexpectedNamePrefix: String? = nil, budget: Duration = defaultBudget, pollInterval: Duration = .seconds(5),
        clock: any Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "sprocketctl.route-verifier")
    ) {
        self.source = source
        self.evaluation = RouteEvaluation(provider: provider, unexpectedNamePrefix: unexpectedNamePrefix)
        self.budget = budget
        self.pollInterval = pollInterval
        self.clock = clock
        self.logger = logger
    }

    /// Reads the API until every expected router passes or the budget is spent, and reports the last reading.
    ///
    /// A failed read (Traefik restarting, unreachable) is retried like a failing router. When the budget ends
    /// with a failed read, the last good reading is reported with ``RouteVerificationReport/lastReadError``.
    ///
    /// - Throws: The last read's error when no read succeeded within the budget; `CancellationError`.
    public func verify(_ expected: [ExpectedRouter]) async throws -> RouteVerificationReport {
        try await verify(expected, presenceOnly: [])
    }

    /// ``verify(_:)`` plus routers whose presence and Traefik's verdict alone are checked (hand-written labels),
    /// then, for every router the API does not list, the line of Traefik's log that says why (``logSource``).
    ///
    /// - Parameter providerServices: per router name, the service Traefik made from the Docker service that
    ///   defines it (a dropped service's log line names that, not the router).
    public func verify(
        _ expected: [ExpectedRouter], presenceOnly: [String], providerServices: [String: String] = [:]
    ) async throws -> RouteVerificationReport {
        var report = try await poll(expected, presenceOnly, on: clock)
        guard let logSource, report.routers.contains(where: { $0.findings.contains(.missing) }) else { return report }
        let lines: [String]
        do {
            lines = try await logSource.recentLogLines()
        } catch let error as CancellationError {
            throw error
        } catch {
            logger.debug("cannot read traefik's log", metadata: ["error": "\(error)"])
            return report
        }
        let explainer = TraefikLogExplainer(lines: lines)
        for index in report.routers.indices where report.routers[index].findings.contains(.missing) {
            let router = report.routers[index].router
            let service = providerServices[router] ?? providerServices[TraefikResourceName(parsing: router).name]
            guard let line = explainer.explanation(router: router, providerService: service) else { continue }
            report.routers[index].findings = report.routers[index].findings.map { $0 == .missing ? .dropped(logLine: line) : $0 }
        }
        return report
    }

    /// The loop, generic over the clock so its instants can be compared.
    private func poll<C: Clock>(
        _ expected: [ExpectedRouter], _ presenceOnly: [String], on clock: C
    ) async throws -> RouteVerificationReport where C.Duration == Duration {
        let start = clock.now
        var polls = 0
        var lastGood: RouteVerificationReport?
        while true {
            try Task.checkCancellation()
            polls += 1
            var readError: (any Error)?
            do {
                let snapshot = try await source.routingSnapshot()
                let judged = evaluation.judge(expected, against: snapshot)
                let present = evaluation.judgePresence(presenceOnly, against: snapshot)
                let presentNames = Set(present.map(\.router))
                lastGood = RouteVerificationReport(
                    routers: judged.routers + present, unexpected: judged.unexpected.filter { !presentNames.contains($0.router) }, polls: polls,
                    waitedSeconds: start.duration(to: clock.now).secondsValue, budgetSeconds: budget.secondsValue)
            } catch let error as CancellationError {
                throw error
            } catch {
                readError = error
            }
            let failing = lastGood.map { $0.failures.count } ?? expected.count + presenceOnly.count
            logger.debug("read traefik routing", metadata: [
                "poll": "\(polls)", "failing": "\(failing)", "error": "\(readError.map { "\($0)" } ?? "none")",
            ])
            if readError == nil, let lastGood, lastGood.passed { return lastGood }
            guard start.duration(to: clock.now) + pollInterval <= budget else {
                return try finish(lastGood, readError: readError, polls: polls, waited: start.duration(to: clock.now))
            }
            try await clock.sleep(for: pollInterval)
        }
    }

    /// The report at the end of the budget: the last good reading, marked with the final read's error if any.
    private func finish(
        _ lastGood: RouteVerificationReport?, readError: (any Error)?, polls: Int, waited: Duration
    ) throws -> RouteVerificationReport {
        guard var report = lastGood else {
            throw readError ?? CancellationError()
        }
        report.polls = polls
        report.waitedSeconds = waited.secondsValue
        report.lastReadError = readError.map { "\($0)" }
        return report
    }
}
