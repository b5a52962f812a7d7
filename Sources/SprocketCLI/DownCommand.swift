import ArgumentParser
import Foundation
import Orchestration
import SprocketCore

struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down", abstract: "Remove every object of the stack environment (volumes only with --volumes).")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Act on this stack name instead of reading the spec.")
    var stack: String?

    @Flag(help: "Also remove the stack environment's named volumes (their data is lost).")
    var volumes = false

    @Option(help: "How many engine operations run at once.")
    var concurrency = 8

    @Flag(help: "Remove without asking. Required when stdin is not a terminal.")
    var yes = false

    @Flag(name: .customLong("destroy-data"), help: "Also drop the spec's PostgreSQL databases and roles and delete its S3 buckets with their objects (asks again on a terminal).")
    var destroyData = false

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let identity = try runtime.identity(stackOverride: stack)
            if !yes {
                guard runtime.console.isStandardInputTerminal else {
                    throw SprocketError(.conflict, "`down` removes \(identity) and needs confirmation", hint: "pass --yes")
                }
                guard runtime.console.confirm("Remove every service, network, config and secret of \(identity)?") else {
                    throw ExitCode(ExitStatus.failure)
                }
            }
            // `--stack` removes the swarm's objects only; with the spec, its databases and buckets are torn down too.
            let spec = stack == nil ? try? runtime.loadSpec() : nil
            if destroyData, let spec, spec.postgres != nil || spec.s3 != nil, runtime.console.isStandardInputTerminal, !runtime.console.confirm(
                "Drop the databases and roles and delete the buckets (with every object) of \(spec.name)/\(spec.environment)? This cannot be undone.")
            {
                throw ExitCode(ExitStatus.failure)
            }
            let started = ContinuousClock.now
            let orchestrator = DownOrchestrator(
                environment: runtime.runEnvironment, events: EventRenderer(console: runtime.console, json: options.json).handler)
            var outcome = "failed"
            var result: Deployment.Result?
            defer {
                if options.json {
                    runtime.console.json(RunSummary(outcome: outcome, result: result, dockerCalls: orchestrator.dockerCalls, started: started))
                }
            }
            let done = try await orchestrator.run(
                identity, spec: spec, options: DownOrchestrator.Options(removeVolumes: volumes, destroyData: destroyData, concurrency: concurrency))
            result = done.result
            outcome = "succeeded"
            for report in done.external {
                for line in ExternalProviders.render(report.removed, offline: false).dropFirst() { runtime.console.err(line) }
                for kept in report.kept { runtime.console.err("kept: \(kept)") }
            }
            if !options.json {
                for note in done.result.plan.notes { runtime.console.err("note: \(note)") }
                runtime.console.err(done.result.applied
                    ? "down: removed \(done.result.plan.allChanges.count) objects of \(identity)" : "down: nothing of \(identity) is deployed")
            }
        }
    }
}
