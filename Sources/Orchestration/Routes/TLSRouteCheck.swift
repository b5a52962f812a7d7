import Foundation
import LetsEncrypt
import SprocketCore
import Traefik

/// The HTTPS part of ``VerifyRouteRun``: each router on `websecure` (or with TLS) requested from inside the swarm
/// through Traefik's `websecure` entry point with its host as SNI (``SwarmRouteProbe``), and judged as
/// `verify routes --probe` judges it from the host (``RouteProbePlan/problem(_:router:untrustedAllowed:)``).
///
/// Traefik serves its default certificate until its resolver obtained one, so a router with a resolver on the
/// default certificate is requested again until the budget ends, unless Traefik's log shows an order for its host
/// that failed since this check started: then the failure is final, and Traefik's line and what to do are quoted.
public struct TLSRouteCheck {
    public let stack: StackSpec
    public let prober: @Sendable ([RouteProbeTarget]) async throws -> [RouteProbeResult]
    public let logSource: any TraefikLogSource
    public var budget: Duration
    /// Whether certificates must verify against the trust bundle (`--ca-bundle` given); otherwise a staging
    /// resolver's certificate may be untrusted.
    public var strictTrust = false
    public var pause: Duration = .seconds(3)

    /// What the check found.
    public struct Outcome {
        /// One check per router probed, in the order given.
        var checks: [RouteProbeCheck] = []
        /// What each probe saw (for the issuance ledger).
        var results: [RouteProbeResult] = []
        /// A finding per failed router (full name).
        var findings: [String: RouteFinding] = [:]
        /// The failed orders Traefik logged for the hosts of routers served its default certificate.
        var acmeFailures: [ACMEOrderFailure] = []
    }

    /// Probes `routers` (those requested over HTTPS; others are skipped). `resolvers` holds the resolver each router
    /// carries in Traefik's API (the staging one after a staging-first `up`), by full name.
    public func run(_ routers: [CompiledRouter], address: String, resolvers: [String: String]) async throws -> Outcome {
        let plan = RouteProbePlan(version: stack.routing.traefik, nodeAddress: address, httpsPort: TraefikDeployment.websecurePort)
        let secure = routers.compactMap { router -> (CompiledRouter, RouteProbeTarget)? in
            guard let target = plan.target(for: router), target.scheme == .https else { return nil }
            return (router, target)
        }
        guard !secure.isEmpty else { return Outcome() }
        let started = Date()
        let deadline = ContinuousClock.now + budget
        var latest: [RouteProbeResult?] = Array(repeating: nil, count: secure.count)
        var pending = Array(secure.indices)
        var logged: [(line: String, failure: ACMEOrderFailure)] = []
        while true {
            let results: [RouteProbeResult]
            do {
                results = try await prober(pending.map { secure[$0].1 })
            } catch let error as CancellationError {
                throw error
            } catch {
                // The job itself could not run (no runner image, an unreadable --ca-bundle, no swarm): every route still
                // pending fails with the reason, rather than the whole check reading as "Traefik's API unreadable".
                for index in pending { latest[index] = RouteProbeResult(target: secure[index].1, error: "the in-swarm probe could not run: \(error)") }
                break
            }
            for (index, result) in zip(pending, results) { latest[index] = result }
            pending = pending.filter { index in
                guard let result = latest[index] else { return true }
                return problem(result, secure[index].0, resolvers: resolvers) != nil
            }
            guard !pending.isEmpty, ContinuousClock.now + pause < deadline else { break }
            // A router without a certificate yet whose order failed since this check began will not get one by waiting.
            logged = await acmeFailureLines()
            pending = pending.filter { index in
                guard latest[index]?.certificate?.isTraefikDefault == true, let host = secure[index].1.host else { return true }
                return !logged.contains { $0.failure.domains.contains(host.lowercased()) && $0.failure.date >= started.addingTimeInterval(-2) }
            }
            guard !pending.isEmpty else { break }
            try await Task.sleep(for: pause)
        }
        var outcome = Outcome()
        var needsLog = false
        for (index, (router, target)) in secure.enumerated() {
            let result = latest[index] ?? RouteProbeResult(target: target, error: "not probed")
            outcome.results.append(result)
            let found = problem(result, router, resolvers: resolvers)
            outcome.checks.append(RouteProbeCheck(router: router.name, result: result, problem: found, note: nil))
            if found != nil, result.certificate?.isTraefikDefault == true { needsLog = true }
        }
        if needsLog { logged = await acmeFailureLines() }
        for (check, (_, target)) in zip(outcome.checks, secure) {
            guard let found = check.problem else { continue }
            // What was served, unless it is Traefik's default certificate, which the problem already names.
            let seen = check.result.map { $0.certificate?.isTraefikDefault == true ? target.label : $0.summaryLine } ?? target.label
            var acmeError: String?
            var remedy: String?
            if check.result?.certificate?.isTraefikDefault == true, let host = target.host?.lowercased(),
                let last = logged.last(where: { $0.failure.domains.contains(host) })
            {
                acmeError = TraefikLogExplainer.trimmed(last.line, limit: 1_000)
                remedy = ACMEFailureAdvice.remedy(for: last.failure, challenge: stack.routing.acme.challenge.rawValue)
                outcome.acmeFailures += logged.filter { $0.failure.domains.contains(host) }.map(\.failure)
            } else if check.result?.certificate?.isTraefikDefault == true {
                remedy = "Traefik's log holds no failed order for \(target.host ?? "the host") yet: the order may still be running "
                    + "(run `sprocketctl verify` again in a minute), or Traefik could not start it; `sprocketctl acme failures` reads its log"
            }
            outcome.findings[check.router] = .tlsProbeFailed(detail: "\(found) (\(seen))", acmeError: acmeError, remedy: remedy)
        }
        return outcome
    }

    private func problem(_ result: RouteProbeResult, _ router: CompiledRouter, resolvers: [String: String]) -> String? {
        // Judged with the resolver the router carries in Traefik (the staging one after a staging-first `up`).
        var deployed = router
        if router.certResolver != nil, let resolver = resolvers[router.name] { deployed.certResolver = resolver }
        let staging = deployed.certResolver.flatMap { AcmeLedgerUpdates.environment(ofResolver: $0, stack: stack) } == .staging
        return RouteProbePlan.problem(result, router: deployed, untrustedAllowed: staging && !strictTrust)
    }

    /// Traefik's failed-order lines, each with what it says; none when the log cannot be read (the probe's own
    /// verdict stands without them).
    private func acmeFailureLines() async -> [(line: String, failure: ACMEOrderFailure)] {
        let parser = TraefikACMELogParser()
        let lines = (try? await logSource.recentLogLines()) ?? []
        return lines.compactMap { line in parser.failure(in: line).map { (line, $0) } }
    }
}
