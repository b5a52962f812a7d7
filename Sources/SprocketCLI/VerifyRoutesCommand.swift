import ArgumentParser
import DockerEngine
import Foundation
import Orchestration
import SprocketCore
import Traefik

/// `sprocketctl verify routes`: checks that Traefik serves every router the spec's `routes:` compile to, and
/// optionally requests each route through the node's ports.
///
/// The expected routers come from the spec alone (``RouteLabelCompiler``), so nothing has to be listed by hand.
/// Traefik's Swarm provider picks services up on its next poll, so the check waits within `--budget` until every
/// router passes.
struct VerifyRoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "Check that Traefik serves every route of the spec: router present, enabled, error-free, same rule, entry points, TLS resolver and middlewares, and a service with servers.",
        discussion: """
            Reads Traefik's API (/api/http/routers and /api/http/services, paged) and waits within --budget for \
            discovery (Traefik polls Swarm every 5 s with the generated configuration, 15 s by default). Without \
            --traefik-api or TRAEFIK_API, the API of the Traefik the stack runs is read by a job on its network, routers \
            Traefik dropped are explained by its log, plain-HTTP routes are requested through its web entry point, and \
            HTTPS routes through websecure with their host as SNI from a job of sprocketctl on its network (a router on \
            Traefik's default certificate quotes Traefik's ACME error; certificates served and failed orders go to the \
            ledger). \
            --probe then requests each route through --node-address on \
            ports 80/443 with its Host and SNI, reporting status, certificate issuer and expiry, and flags Traefik's \
            default certificate. Exit 0 only when every router (and probe) passes, else 1; a spec without routes \
            exits 0.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(name: .customLong("traefik-api"), help: "Traefik's API, e.g. http://127.0.0.1:8080 (default: env TRAEFIK_API; without either, the API of the Traefik the stack runs, read by a job on its network).")
    var traefikAPI: String?

    @Option(name: .customLong("traefik-user"), help: "User for basic auth in front of the API.")
    var traefikUser: String?

    @Option(name: .customLong("traefik-password-env"), help: "The environment variable holding the basic-auth password (never the password itself).")
    var traefikPasswordVariable: String?

    @Option(help: "How long to wait for Traefik to discover the routers, e.g. 60s, 2m, 1m30s.")
    var budget: String = "60s"

    @Flag(help: "Also request each route through --node-address on ports 80/443 with its Host and SNI.")
    var probe = false

    @Option(name: .customLong("node-address"), help: "The ingress node's address for --probe.")
    var nodeAddress: String = "127.0.0.1"

    @Option(name: .customLong("http-port"), help: "The port of the `web` entry point on the node, for --probe.")
    var httpPort: Int = 80

    @Option(name: .customLong("https-port"), help: "The port of the `websecure` entry point on the node, for --probe.")
    var httpsPort: Int = 443

    @OptionGroup var trust: RouteTrustOptions

    func run() async throws {
        let budget = try Self.parseBudget(self.budget)
        try await CommandRuntime.run(options) { runtime in
            let stack = try runtime.loadSpec()
            let compiled = RouteLabelCompiler(stack: stack).compiledRouters()
            guard !compiled.isEmpty else {
                runtime.console.err("\(stack.name)/\(stack.environment): the spec declares no routes, so there is nothing to verify (add `routes:` to a service; see docs/spec.md)")
                if options.json { runtime.console.json(VerifyRoutesOutput(stack: stack, api: nil, report: RouteVerificationReport(routers: []), probes: nil)) }
                return
            }
            if traefikAPI == nil, (runtime.environment["TRAEFIK_API"] ?? "").isEmpty, let traefik = TraefikDeployment(stack: stack) {
                try await verifyInsideSwarm(stack, traefik: traefik, compiled: compiled, budget: budget, runtime: runtime)
                return
            }
            let client = try makeClient(runtime.environment)
            try await Self.preflight(client)
            if !options.json {
                runtime.console.err("verifying \(compiled.count) routers of \(stack.name)/\(stack.environment) at \(client.baseURL) (budget \(self.budget))...")
            }
            let verifier = RouteVerifier(
                source: client, provider: stack.routing.traefik.swarmProvider,
                unexpectedNamePrefix: TraefikName.sanitize("\(stack.name)-\(stack.environment)") + "-",
                budget: budget, logger: runtime.logger)
            var report: RouteVerificationReport
            do {
                report = try await verifier.verify(compiled.map(ExpectedRouter.init))
            } catch let error as TraefikAPIError {
                throw VerifyRoutesError.apiUnusable(error, budget: self.budget)
            }
            report.unexpected.removeAll { VerifyRouteRun.belongsToAnotherEnvironment($0.router, of: stack) }
            var probes: [RouteProbeCheck]?
            if probe {
                let plan = RouteProbePlan(
                    version: stack.routing.traefik, nodeAddress: nodeAddress, httpPort: httpPort, httpsPort: httpsPort)
                let targets = compiled.map { plan.target(for: $0) }
                let results = try await RouteProbe(caBundle: trust.caBundle).probe(targets.compactMap(\.self))
                probes = plan.checks(compiled, targets: targets, results: results)
                // What is really served feeds the staging-first rule of `up` and the rate-limit ledger.
                let recorded = try AcmeLedgerUpdates.record(results, ledgerPath: runtime.acmeLedgerPath(stack))
                if !recorded.isEmpty && !options.json {
                    runtime.console.err("recorded Let's Encrypt certificates of \(recorded.joined(separator: ", ")) in the issuance ledger")
                }
            }
            let output = VerifyRoutesOutput(stack: stack, api: client.baseURL, report: report, probes: probes)
            if options.json {
                runtime.console.json(output)
            } else {
                for line in VerifyRoutesRenderer.render(output, compiled: compiled) { runtime.console.out(line) }
            }
            if !output.passed { throw ExitCode(ExitStatus.failure) }
        }
    }

    /// Without an API address: reads the API of the Traefik the stack runs from a job on its network, explains
    /// routers the API does not list from Traefik's log, and requests each plain-HTTP route through `web`.
    private func verifyInsideSwarm(
        _ stack: StackSpec, traefik: TraefikDeployment, compiled: [CompiledRouter], budget: Duration, runtime: CommandRuntime
    ) async throws {
        if !options.json {
            runtime.console.err("verifying the routers of \(stack.name)/\(stack.environment) in \(traefik.dockerName)'s API, read from its network (budget \(self.budget))...")
        }
        let engine = EngineHandle(endpoint: try DockerEndpoint.fromEnvironment(runtime.environment), logger: runtime.logger)
        let ledgerPath = runtime.acmeLedgerPath(stack)
        let result: VerifyRouteRun.Outcome
        do {
            result = try await VerifyRouteRun(
                stack: stack, traefik: traefik, client: try await engine.driver().client, budget: budget, logger: runtime.logger,
                caBundle: trust.caBundle, ledgerPath: ledgerPath
            ).run()
        } catch {
            await engine.shutdown()
            if let error = error as? TraefikAPIError { throw VerifyRoutesError.apiUnusable(error, budget: self.budget) }
            throw error
        }
        await engine.shutdown()
        if !options.json {
            for line in VerifyRouteGate.ledgerNotes(result, ledgerPath: ledgerPath) { runtime.console.err(line) }
        }
        let output = VerifyRoutesOutput(
            stack: stack, api: "\(traefik.dockerName) (from a job on \(traefik.network))", report: result.report,
            probes: result.tlsChecks.isEmpty ? nil : result.tlsChecks)
        if options.json {
            runtime.console.json(output)
        } else {
            for line in VerifyRoutesRenderer.render(output, compiled: compiled) { runtime.console.out(line) }
            let failures = VerifyRouteRun.failureLines(result.report, declared: result.declared)
            if !failures.isEmpty { runtime.console.out("") }
            for line in failures { runtime.console.out(line) }
        }
        if !output.passed { throw ExitCode(ExitStatus.failure) }
    }

    /// The API client, with basic auth when `--traefik-user` is given; the password only ever comes from the
    /// environment variable `--traefik-password-env` names.
    private func makeClient(_ environment: [String: String]) throws -> TraefikAPIClient {
        guard let address = traefikAPI ?? environment["TRAEFIK_API"], !address.isEmpty else {
            throw VerifyRoutesError.noAPIAddress
        }
        var authentication = TraefikAPIAuthentication.none
        switch (traefikUser, traefikPasswordVariable) {
        case (nil, nil):
            break
        case (let user?, let variable?):
            guard let password = environment[variable] else { throw VerifyRoutesError.passwordVariableUnset(variable) }
            authentication = .basic(username: user, password: password)
        case (nil, _?):
            throw VerifyRoutesError.incompleteCredentials("--traefik-password-env needs --traefik-user")
        case (_?, nil):
            throw VerifyRoutesError.incompleteCredentials("--traefik-user needs --traefik-password-env NAME (the variable holding the password)")
        }
        return try TraefikAPIClient(baseURL: address, authentication: authentication)
    }

    /// One read of `/api/version` before waiting: an address nothing listens on, a wrong path or wrong
    /// credentials will not fix themselves within the budget, so they fail at once. Anything else (a timeout, a
    /// 5xx from a Traefik restarting) is left to the verifier, which retries within the budget.
    private static func preflight(_ client: TraefikAPIClient) async throws {
        do {
            _ = try await client.version()
        } catch let error as TraefikAPIError {
            switch error {
            case .unreachable, .invalidBaseURL, .undecodable:
                throw VerifyRoutesError.apiUnusable(error, budget: nil)
            case .http(_, let status, _) where [401, 403, 404].contains(status):
                throw VerifyRoutesError.apiUnusable(error, budget: nil)
            default:
                return
            }
        }
    }

    /// `60s`, `2m`, `1m30s`, `500ms`, `1h` or bare seconds.
    static func parseBudget(_ text: String) throws -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        var total = Duration.zero
        var number = ""
        var unit = ""
        func flush() -> Bool {
            guard let value = Int(number) else { return false }
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .seconds(value)
            case "m": total += .seconds(value * 60)
            case "h": total += .seconds(value * 3600)
            default: return false
            }
            number = ""
            unit = ""
            return true
        }
        for character in trimmed {
            if character.isASCII, character.isNumber {
                if !unit.isEmpty, !flush() { throw ValidationError("--budget \(text): use a duration like 60s, 2m or 1m30s") }
                number.append(character)
            } else {
                unit.append(character)
            }
        }
        guard !trimmed.isEmpty, flush() else { throw ValidationError("--budget \(text): use a duration like 60s, 2m or 1m30s") }
        return total
    }
}

/// Why `verify routes` could not check anything.
enum VerifyRoutesError: Error, CustomStringConvertible {
    case noAPIAddress
    case passwordVariableUnset(String)
    case incompleteCredentials(String)
    /// The API could not be read; `budget` is set when the verifier gave up after waiting.
    case apiUnusable(TraefikAPIError, budget: String?)

    var description: String {
        switch self {
        case .noAPIAddress:
            return "no Traefik API address: pass --traefik-api http://HOST:8080 or set TRAEFIK_API "
                + "(Traefik's `traefik` entry point; from a workstation, e.g. `ssh -L 8080:127.0.0.1:8080 <manager>`)"
        case .passwordVariableUnset(let name):
            return "--traefik-password-env names \(name), but \(name) is not set in the environment; export it first"
        case .incompleteCredentials(let reason):
            return reason
        case .apiUnusable(let error, let budget):
            let waited = budget.map { " (no read succeeded within the budget of \($0))" } ?? ""
            return "cannot verify routes: \(error)\(waited)\n    hint: check --traefik-api (or TRAEFIK_API), and pass "
                + "--traefik-user with --traefik-password-env if the API is guarded"
        }
    }
}

/// What `verify routes --json` prints: the verifier's report, plus the probes when asked for.
struct VerifyRoutesOutput: Encodable {
    var stack: String
    var environment: String
    /// The API read, without credentials; nil when there was nothing to verify.
    var api: String?
    var report: RouteVerificationReport
    var probes: [RouteProbeCheck]?

    init(stack: StackSpec, api: String?, report: RouteVerificationReport, probes: [RouteProbeCheck]?) {
        self.stack = stack.name
        self.environment = stack.environment
        self.api = api
        self.report = report
        self.probes = probes
    }

    /// Every router passed and every probe (if any) passed.
    var passed: Bool { report.passed && (probes ?? []).allSatisfy(\.passed) }

    enum CodingKeys: String, CodingKey {
        case stack, environment, api, passed, routers, unexpected, polls, waitedSeconds, budgetSeconds, lastReadError, probes
    }

    /// The report's fields at the top level (`passed`, `routers`, ...), so `--json` reads like the report itself.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stack, forKey: .stack)
        try container.encode(environment, forKey: .environment)
        try container.encodeIfPresent(api, forKey: .api)
        try container.encode(passed, forKey: .passed)
        try container.encode(report.routers, forKey: .routers)
        try container.encode(report.unexpected, forKey: .unexpected)
        try container.encode(report.polls, forKey: .polls)
        try container.encode(report.waitedSeconds, forKey: .waitedSeconds)
        try container.encode(report.budgetSeconds, forKey: .budgetSeconds)
        try container.encodeIfPresent(report.lastReadError, forKey: .lastReadError)
        try container.encodeIfPresent(probes, forKey: .probes)
    }
}
