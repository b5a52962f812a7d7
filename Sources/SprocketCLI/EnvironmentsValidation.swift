import SprocketCore

/// `validate` over several environments: each is loaded and validated on its own, then the routes of all of
/// them are checked together (``RouteConflictDetector``), as environments served by one Traefik must be: a
/// router name, or a host and path at equal priority, claimed in two environments is an error naming both.
struct EnvironmentsValidation {
    let runtime: CommandRuntime
    /// Every declared environment rather than the `--env` values.
    let all: Bool

    func run() throws {
        let loader = SpecLoader(processEnvironment: runtime.environment)
        var names = runtime.options.environments
        var stacks: [StackSpec] = []
        var errors: [SpecDiagnostic] = []
        if all {
            // The first load tells which environments exist; a spec that fails it fails here with its own errors.
            let first = try loader.load(path: runtime.options.file, environment: names.first)
            names = first.declaredEnvironments.isEmpty ? [first.environment] : first.declaredEnvironments
        }
        for name in unique(names) {
            do {
                stacks.append(try loader.load(path: runtime.options.file, environment: name))
            } catch {
                errors += error.diagnostics.map { Self.tagged($0, environment: name) }
            }
        }
        var printed = Set<String>()
        for stack in stacks {
            for warning in stack.warnings where printed.insert(warning.description).inserted {
                runtime.console.err(warning.description)
            }
        }
        let ownFindings = Set(stacks.flatMap { RouteConflictDetector.diagnostics(for: [$0]) })
        errors += RouteConflictDetector.diagnostics(for: stacks).filter { !ownFindings.contains($0) }
        if errors.contains(where: { $0.severity == .error }) { throw SpecError(errors) }
        for warning in errors where printed.insert(warning.description).inserted { runtime.console.err(warning.description) }
        let outputs = stacks.map { stack in
            ValidateOutput(
                valid: true, stack: stack.name, environment: stack.environment, layers: stack.layers.map(\.name),
                services: stack.layers.reduce(0) { $0 + $1.services.count }, warnings: stack.warnings)
        }
        if runtime.options.json {
            runtime.console.json(EnvironmentsValidateOutput(valid: true, environments: outputs, warnings: errors))
        } else {
            for output in outputs {
                runtime.console.out("\(output.stack)/\(output.environment): valid (\(output.layers.count) layers, \(output.services) services)")
            }
            runtime.console.out("\(outputs.count) environments checked together: no router or host claimed twice")
        }
    }

    private func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// The diagnostic with the environment it came from in front of its message (the files are shared).
    static func tagged(_ diagnostic: SpecDiagnostic, environment: String) -> SpecDiagnostic {
        var tagged = diagnostic
        tagged.message = "environment `\(environment)`: \(diagnostic.message)"
        return tagged
    }
}

/// `validate --json` with several environments.
struct EnvironmentsValidateOutput: Encodable {
    var valid: Bool
    var environments: [ValidateOutput]
    /// Cross-environment findings that are only warnings.
    var warnings: [SpecDiagnostic]
}
