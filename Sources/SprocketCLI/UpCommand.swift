import ArgumentParser
import DockerEngine
import Foundation
import Orchestration
import SprocketCore

struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Bring the stack environment to the spec, layer by layer, waiting for each to converge.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Only this layer (repeatable); other layers are neither changed nor pruned.")
    var layer: [String] = []

    @Option(help: "How many engine operations run at once inside a layer.")
    var concurrency = 8

    @Flag(help: "Apply without asking. Without a terminal on stdin, `up` never asks.")
    var yes = false

    @Flag(help: "Keep objects that are gone from the spec instead of removing them.")
    var noPrune = false

    @Flag(help: "On failure, leave the failed state in place (for debugging) instead of restoring what the run changed.")
    var noRollback = false

    @Option(name: .customLong("rekey-secrets"), help: ArgumentHelp(
        "Move at most N secrets still named by the legacy plain hash of their value to keyed names (their consumers roll).",
        valueName: "N"))
    var rekeySecrets = 0

    @Flag(name: .customLong("acme-staging"), help: "Use Let's Encrypt's staging CA for this run (untrusted certificates, no rate-limit risk).")
    var acmeStaging = false

    @Flag(name: .customLong("acme-production"), help: "Use the spec's production CA even for hosts that never had a certificate (skips staging first).")
    var acmeProduction = false

    @Flag(name: .customLong("skip-dns-preflight"), help: "Use the production CA without checking DNS first (split-horizon DNS, a load balancer in front).")
    var skipDNSPreflight = false

    @OptionGroup var dns: DNSPreflightOptions

    @OptionGroup var trust: RouteTrustOptions

    func validate() throws {
        guard rekeySecrets >= 0 else { throw ValidationError("--rekey-secrets \(rekeySecrets): give a count of 0 or more") }
    }

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let spec = try runtime.loadSpec()
            let stack = try await AcmeLedgerUpdates.resolverForRun(
                spec, forceStaging: acmeStaging, allowProduction: acmeProduction,
                ledgerPath: runtime.acmeLedgerPath(spec),
                preflight: AcmeLedgerUpdates.acmeHosts(of: spec).isEmpty ? nil : try dns.preflight(for: spec.routing), skipPreflight: skipDNSPreflight
            ) { runtime.console.err("warning: \($0)") }
            let started = ContinuousClock.now
            // The route gate reads Traefik's API from a job on its network: its own engine connection, opened on first use.
            let routeEngine = EngineHandle(endpoint: try DockerEndpoint.fromEnvironment(runtime.environment), logger: runtime.logger)
            let routeGate = VerifyRouteGate(
                stack: stack, client: { try await routeEngine.driver().client }, logger: runtime.logger, caBundle: trust.caBundle,
                ledgerPath: runtime.acmeLedgerPath(spec))
            let orchestrator = UpOrchestrator(
                environment: runtime.runEnvironment, events: EventRenderer(console: runtime.console, json: options.json).handler,
                notices: RunNoticeRenderer(console: runtime.console, json: options.json).handler)
            var outcome = "failed"
            var result: Deployment.Result?
            defer {
                if options.json {
                    runtime.console.json(RunSummary(
                        outcome: outcome, result: result, dockerCalls: orchestrator.dockerCalls, vaultCalls: orchestrator.vaultCalls, started: started))
                }
            }
            do {
                result = try await orchestrator.run(
                    stack, options: UpOrchestrator.Options(
                        planner: Planner.Options(layers: layer.isEmpty ? nil : Set(layer), prune: !noPrune, rekeySecrets: rekeySecrets),
                        concurrency: concurrency,
                        rollsBack: !noRollback),
                    extraGates: [routeGate], confirm: confirmation(runtime))
                await routeEngine.shutdown()
            } catch let error as SprocketError where error.code == .rolledBack {
                outcome = "rolled-back"
                await routeEngine.shutdown()
                throw error
            } catch is UpOrchestrator.Declined {
                await routeEngine.shutdown()
                throw ExitCode(ExitStatus.failure)
            } catch {
                await routeEngine.shutdown()
                throw error
            }
            outcome = "succeeded"
            if let result, !options.json {
                if !result.applied { runtime.console.err(PlanRenderer(color: false).summary(result.plan)) }
                for note in result.plan.notes { runtime.console.err("note: \(note)") }
                runtime.console.err(UpFinalLine.describe(
                    converged: result.applied
                        ? "\(stack.name)/\(stack.environment) converged (\(result.plan.allChanges.count) changes, run \(result.runID ?? "-"))" : nil,
                    docker: orchestrator.dockerCalls?.mutating ?? 0, vault: orchestrator.vaultCalls.mutating))
            }
        }
    }

    /// With a terminal on stdin and neither `--yes` nor `--json`, the plan is shown and confirmed before anything
    /// changes (a plan without changes is not asked about).
    private func confirmation(_ runtime: CommandRuntime) -> UpOrchestrator.Confirmation? {
        guard !yes && runtime.console.isStandardInputTerminal && !options.json else { return nil }
        let console = runtime.console
        return { plan in
            for line in PlanRenderer(color: console.usesColor).render(plan) { console.err(line) }
            return console.confirm("Apply these changes?")
        }
    }
}
