import ArgumentParser
import Foundation
import SprocketCore

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Per layer and service: replicas running/desired, image, update state, restarts.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Act on this stack name instead of reading the spec.")
    var stack: String?

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let identity = try runtime.identity(stackOverride: stack)
            try await runtime.withDeployment { deployment, _ in
                let reports = try await deployment.context.driver().status(identity)
                if options.json {
                    runtime.console.json(StatusOutput(stack: identity.stack, environment: identity.environment, services: reports))
                    return
                }
                guard !reports.isEmpty else {
                    runtime.console.out("\(identity): nothing deployed")
                    return
                }
                let header = ["LAYER", "SERVICE", "REPLICAS", "IMAGE", "UPDATE", "RESTARTS"]
                let rows = reports.map { report in
                    [report.layer, report.name, "\(report.runningTasks)/\(report.desiredTasks)", report.image,
                     report.updateState ?? "-", String(report.restarts)]
                }
                for line in TextTable.render([header] + rows) { runtime.console.out(line) }
                for report in reports where report.runningTasks < report.desiredTasks {
                    if let error = report.lastError { runtime.console.out("\(report.name): \(error)") }
                }
            }
        }
    }
}

struct StatusOutput: Encodable {
    var stack: String
    var environment: String
    var services: [ServiceStatusReport]
}

/// Left-aligned columns separated by two spaces.
enum TextTable {
    static func render(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in
            rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
