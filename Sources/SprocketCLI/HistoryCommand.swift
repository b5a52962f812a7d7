import ArgumentParser
import Foundation
import SprocketCore

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "The runs that changed this stack environment, newest first.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Act on this stack name instead of reading the spec.")
    var stack: String?

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let identity = try runtime.identity(stackOverride: stack)
            let runs = try await runtime.stateStore(for: identity).runs().reversed()
            if options.json {
                for run in runs { runtime.console.json(HistoryEntry(run)) }
                return
            }
            guard !runs.isEmpty else {
                runtime.console.out("\(identity): no recorded runs")
                return
            }
            let formatter = ISO8601DateFormatter()
            let rows = runs.map { run in
                [run.id, run.command, run.outcome.rawValue, formatter.string(from: run.startedAt), String(run.changes.count)]
            }
            for line in TextTable.render([["RUN", "COMMAND", "OUTCOME", "STARTED", "CHANGES"]] + rows) { runtime.console.out(line) }
        }
    }
}

struct HistoryEntry: Encodable {
    var id: String
    var command: String
    var outcome: String
    var startedAt: Date
    var finishedAt: Date?
    var changes: [String]
    var error: String?

    init(_ run: RunRecord) {
        id = run.id
        command = run.command
        outcome = run.outcome.rawValue
        startedAt = run.startedAt
        finishedAt = run.finishedAt
        changes = run.changes.map(\.description)
        error = run.error
    }
}
