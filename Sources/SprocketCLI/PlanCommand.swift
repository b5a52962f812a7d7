import ArgumentParser
import SprocketCore

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Show what `up` would change, field by field, without changing anything.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Plan against nothing: needs only the spec (no daemon); every object shows as a create.")
    var offline = false

    @Flag(help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    @Option(help: "Only this layer (repeatable).")
    var layer: [String] = []

    @Flag(help: "Do not plan removal of objects that are gone from the spec.")
    var noPrune = false

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let stack = try runtime.loadSpec()
            let plannerOptions = Planner.Options(layers: layer.isEmpty ? nil : Set(layer), prune: !noPrune)
            var plan: Plan?
            try await runtime.withDeployment { deployment, _ in
                plan = try await deployment.prepare(stack, options: plannerOptions, offline: offline).plan
            }
            guard let plan else { return }
            if options.json {
                runtime.console.json(plan)
            } else {
                for line in PlanRenderer(color: false).render(plan) { runtime.console.out(line) }
            }
            if detailedExitcode && plan.hasChanges { throw ExitCode(ExitStatus.changesPresent) }
        }
    }
}
