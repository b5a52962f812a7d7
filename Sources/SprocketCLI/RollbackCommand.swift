import ArgumentParser
import Foundation
import SprocketCore

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Restore the service specs of an earlier successful run (default: the one before the last).",
        discussion: """
            Services are updated or recreated to that run's definitions, and services it did not have are removed. \
            The configs and secrets it mounted must still exist (values are never kept in state); otherwise nothing \
            is changed and the error lists what is missing.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Act on this stack name instead of reading the spec.")
    var stack: String?

    @Option(name: .customLong("to"), help: "The run to restore (an ID from `sprocketctl history`).")
    var run: String?

    @Flag(help: "Restore without asking. Without a terminal on stdin, `rollback` never asks.")
    var yes = false

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let identity = try runtime.identity(stackOverride: stack)
            if !yes && runtime.console.isStandardInputTerminal && !options.json {
                let target = run ?? "the successful run before the last"
                guard runtime.console.confirm("Restore \(identity) to \(target)?") else { throw ExitCode(ExitStatus.failure) }
            }
            let renderer = EventRenderer(console: runtime.console, json: options.json)
            try await runtime.withDeployment(events: renderer.handler, sharingSealedStoreOf: identity) { deployment, _ in
                let result = try await deployment.rollback(identity, to: run, command: run.map { "rollback --to \($0)" } ?? "rollback")
                if options.json {
                    runtime.console.json(RollbackOutput(applied: result.applied, runID: result.runID, changes: result.plan.allChanges.map(\.description)))
                } else if result.applied {
                    for line in PlanRenderer(color: false).render(result.plan).dropLast() { runtime.console.err(line) }
                    runtime.console.err("rollback: \(identity) restored (\(result.plan.allChanges.count) changes, run \(result.runID ?? "-"))")
                } else {
                    runtime.console.err("rollback: \(identity) already matches that run")
                }
            }
        }
    }
}

struct RollbackOutput: Encodable {
    var applied: Bool
    var runID: String?
    var changes: [String]
}
