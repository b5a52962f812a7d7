import ArgumentParser
import SprocketCore

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check the spec and report every problem at once (needs nothing but the spec).",
        discussion: """
            With several --env (or --all-environments) each environment is loaded and their routes are checked \
            together, as for environments served by one Traefik: a router name or host and path claimed in two \
            environments is an error naming both.
            """)

    @OptionGroup var options: GlobalOptions

    @Flag(name: .customLong("all-environments"), help: "Check every declared environment together (like repeating --env); the spec's environments are read through --env or `default_environment`.")
    var allEnvironments = false

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            if allEnvironments || options.environments.count > 1 {
                return try EnvironmentsValidation(runtime: runtime, all: allEnvironments).run()
            }
            let stack = try runtime.loadSpec()
            let services = stack.layers.reduce(0) { $0 + $1.services.count }
            if options.json {
                runtime.console.json(ValidateOutput(
                    valid: true, stack: stack.name, environment: stack.environment, layers: stack.layers.map(\.name),
                    services: services, warnings: stack.warnings))
            } else {
                runtime.console.out("\(stack.name)/\(stack.environment): valid (\(stack.layers.count) layers, \(services) services)")
            }
        }
    }
}

struct ValidateOutput: Encodable {
    var valid: Bool
    var stack: String
    var environment: String
    var layers: [String]
    var services: Int
    var warnings: [SpecDiagnostic]
}
