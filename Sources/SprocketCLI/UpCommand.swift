import ArgumentParser
import DockerEngine
import Foundation
import SprocketCore
import Vault

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
                ledgerPath: AcmeLedgerUpdates.ledgerPath(runtime, stack: spec),
                preflight: AcmeCheckCommand.acmeHosts(of: spec).isEmpty ? nil : try dns.preflight(for: spec.routing), skipPreflight: skipDNSPreflight
            ) { runtime.console.err("warning: \($0)") }
            let renderer = EventRenderer(console: runtime.console, json: options.json)
            let started = ContinuousClock.now
            let plannerOptions = Planner.Options(layers: layer.isEmpty ? nil : Set(layer), prune: !noPrune, rekeySecrets: rekeySecrets)
            let vaultGate = stack.vault.map { vault in
                VaultUnsealGate(
                    vault: vault, keyFile: runtime.vaultKeyFile(declared: vault.keyFile),
                    passphrase: runtime.environment["SPROCKET_VAULT_PASSPHRASE"], logger: runtime.logger, calls: runtime.vaultCalls)
            }
            let externalGate = ExternalCheckGate(firstLayer: stack.layers.first?.name)
            // The route gate reads Traefik's API from a job on its network: its own engine connection, opened on first use.
            let routeEngine = EngineHandle(endpoint: try DockerEndpoint.fromEnvironment(runtime.environment), logger: runtime.logger)
            let routeGate = VerifyRouteGate(
                stack: stack, client: { try await routeEngine.driver().client }, logger: runtime.logger, caBundle: trust.caBundle,
                ledgerPath: AcmeLedgerUpdates.ledgerPath(runtime, stack: spec))
            do {
                try await apply(stack, runtime: runtime, renderer: renderer, gates: (vaultGate.map { [$0] } ?? []) + [externalGate, routeGate],
                                vaultGate: vaultGate, externalGate: externalGate, started: started, plannerOptions: plannerOptions)
            } catch {
                await routeEngine.shutdown()
                throw error
            }
            await routeEngine.shutdown()
        }
    }

    private func apply(
        _ stack: StackSpec, runtime: CommandRuntime, renderer: EventRenderer, gates: [any LayerGate], vaultGate: VaultUnsealGate?,
        externalGate: ExternalCheckGate, started: ContinuousClock.Instant, plannerOptions: Planner.Options
    ) async throws {
        do {
            try await runtime.withDeployment(
                concurrency: max(1, concurrency), events: renderer.handler,
                extraGates: gates,
                sharingSealedStoreOf: StackIdentity(stack: stack.name, environment: stack.environment), writesSealedStore: true
            ) { deployment, engine in
                if !yes && runtime.console.isStandardInputTerminal && !options.json {
                    let preview = try await deployment.prepare(stack, options: plannerOptions, offline: false).plan
                    guard preview.hasChanges else {
                        runtime.console.err(PlanRenderer(color: false).summary(preview))
                        runtime.console.err(UpFinalLine.describe(
                            converged: nil, docker: engine.callStats?.mutating ?? 0, vault: runtime.vaultCalls.stats().mutating))
                        return
                    }
                    for line in PlanRenderer(color: runtime.console.usesColor).render(preview) { runtime.console.err(line) }
                    guard runtime.console.confirm("Apply these changes?") else { throw ExitCode(ExitStatus.failure) }
                }
                var outcome = "failed"
                var result: Deployment.Result?
                defer {
                    if options.json {
                        runtime.console.json(RunSummary(
                            outcome: outcome, runID: result?.runID, changes: result?.plan.allChanges.count ?? 0,
                            dockerCalls: engine.callStats.map(RunSummary.Calls.init), vaultCalls: RunSummary.Calls(runtime.vaultCalls.stats()),
                            seconds: (ContinuousClock.now - started).secondsValue))
                    }
                }
                let command = noRollback ? "up --no-rollback" : "up"
                // One lease for the whole run: every step below checks it before it changes anything, Vault included.
                try await deployment.withRunLease(StackIdentity(stack: stack.name, environment: stack.environment), command: command) { lease in
                    runtime.vaultCalls.fenceWrites { operation in try await lease.check(before: operation) }
                    do {
                        try await Self.importRunnerImage(for: stack, engine: engine, lease: lease)
                        // The manifest's secrets (up to Vault's layer when they go through Vault), then Vault's tokens: every
                        // later step resolves the stack's secrets, tokens included.
                        try await UpSecretSync(runtime: runtime, gate: vaultGate, json: options.json, lease: lease).run(
                            stack, deployment: deployment, options: plannerOptions, command: command, rollsBack: !noRollback,
                            events: renderer.handler)
                        if let vaultGate {
                            _ = try await UpVaultCredentials(runtime: runtime, gate: vaultGate, json: options.json, lease: lease).run(
                                stack, deployment: deployment, options: plannerOptions, command: command, rollsBack: !noRollback,
                                events: renderer.handler)
                        }
                        try await UpExternalResources(runtime: runtime, json: options.json, lease: lease)
                            .run(stack, deployment: deployment, engine: engine, gate: externalGate)
                        result = try await deployment.up(stack, options: plannerOptions, command: command, rollsBack: !noRollback, lease: lease)
                        if let vaultGate {
                            try await UpVaultCredentials(runtime: runtime, gate: vaultGate, json: options.json, lease: lease)
                                .revokeReplacedTokens(stack, command: command)
                        }
                    } catch let error as SprocketError where error.code == .rolledBack {
                        outcome = "rolled-back"
                        throw error
                    }
                    // Nothing to apply means no layer gate ran: the stack's Vault must still be unsealed and configured.
                    if let result, !result.applied, let vaultGate {
                        let failed = try await vaultGate.ensure(events: renderer.handler).filter { !$0.passed }
                        if !failed.isEmpty {
                            throw SprocketError(
                                .gateFailed, failed.map { "\($0.check): expected \($0.expected), saw \($0.seen)" }.joined(separator: "\n"),
                                hint: "nothing else changed; fix Vault (`sprocketctl vault status`) and run `up` again")
                        }
                    }
                }
                outcome = "succeeded"
                if let result, !options.json {
                    if !result.applied { runtime.console.err(PlanRenderer(color: false).summary(result.plan)) }
                    for note in result.plan.notes { runtime.console.err("note: \(note)") }
                    runtime.console.err(UpFinalLine.describe(
                        converged: result.applied
                            ? "\(stack.name)/\(stack.environment) converged (\(result.plan.allChanges.count) changes, run \(result.runID ?? "-"))" : nil,
                        docker: engine.callStats?.mutating ?? 0, vault: runtime.vaultCalls.stats().mutating))
                }
            }
        }
    }
}

extension UpCommand {
    /// Imports this sprocketctl's runner image into the daemon when a service runs it (`vault.unsealer`,
    /// `vault.renewer`); a no-op when the daemon has it.
    static func importRunnerImage(for stack: StackSpec, engine: EngineHandle, lease: any StateLease) async throws {
        let runner = ExecutableImage()
        let reference = try runner.reference()
        guard stack.layers.contains(where: { $0.services.contains { $0.image == reference } }) else { return }
        let client = try await engine.driver().client
        if try await client.imageExists(reference) { return }
        try await lease.check(before: "importing the runner image \(reference)")
        _ = try await runner.ensure(on: client)
    }
}
