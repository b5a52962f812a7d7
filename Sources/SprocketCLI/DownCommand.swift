import ArgumentParser
import Foundation
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
            let renderer = EventRenderer(console: runtime.console, json: options.json)
            let started = ContinuousClock.now
            try await runtime.withDeployment(
                concurrency: max(1, concurrency), events: renderer.handler, sharingSealedStoreOf: identity
            ) { deployment, engine in
                var outcome = "failed"
                var result: Deployment.Result?
                defer {
                    if options.json {
                        runtime.console.json(RunSummary(
                            outcome: outcome, runID: result?.runID, changes: result?.plan.allChanges.count ?? 0,
                            dockerCalls: engine.callStats.map(RunSummary.Calls.init),
                            seconds: (ContinuousClock.now - started).secondsValue))
                    }
                }
                result = try await deployment.down(identity, removeVolumes: volumes, command: "down")
                try await tearDownExternal(runtime, deployment: deployment, engine: engine)
                outcome = "succeeded"
                if let result, !options.json {
                    for note in result.plan.notes { runtime.console.err("note: \(note)") }
                    runtime.console.err(result.applied ? "down: removed \(result.plan.allChanges.count) objects of \(identity)" : "down: nothing of \(identity) is deployed")
                }
            }
        }
    }

    /// Databases and buckets outlive `down` unless `--destroy-data` is given and confirmed; what is kept is said.
    private func tearDownExternal(_ runtime: CommandRuntime, deployment: Deployment, engine: EngineHandle) async throws {
        guard stack == nil, let spec = try? runtime.loadSpec(), spec.postgres != nil || spec.s3 != nil else { return }
        if destroyData && runtime.console.isStandardInputTerminal && !runtime.console.confirm(
            "Drop the databases and roles and delete the buckets (with every object) of \(spec.name)/\(spec.environment)? This cannot be undone.")
        {
            throw ExitCode(ExitStatus.failure)
        }
        let secrets = try deployment.secrets(for: spec)
        for provider in try ExternalProviders.make(spec, secrets: secrets, environment: runtime.environment, engine: engine, logger: runtime.logger) {
            let report = try await provider.teardown(destroyData: destroyData, dryRun: false)
            for line in ExternalProviders.render(report.removed, offline: false).dropFirst() { runtime.console.err(line) }
            for kept in report.kept { runtime.console.err("kept: \(kept)") }
        }
    }
}
