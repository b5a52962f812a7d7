import ArgumentParser
import Foundation
import SprocketCore

/// `doctor`: runs every check without changing anything, one line per check with what to do about a failure;
/// exit 1 when any check fails (warnings do not fail).
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "Run every check without changing anything, and explain each failure.")

    @OptionGroup var options: GlobalOptions

    @Flag(name: .customLong("skip-docker"), help: "Do not check the Docker daemon (e.g. on a workstation that only edits specs).")
    var skipDocker = false

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let checks = DoctorChecks(runtime: runtime)
            var results = [checks.spec(), checks.gitLeaks()]
            let stack = try? runtime.loadSpec()
            if let stack { results += try Self.painPoints(stack, runtime: runtime) }
            if !skipDocker {
                let docker = await checks.docker()
                results.append(docker)
                if docker.status == .ok, let stack {
                    results += await DoctorClusterChecks(
                        runtime: runtime, identity: StackIdentity(stack: stack.name, environment: stack.environment)).run()
                }
            }
            if options.json {
                runtime.console.json(DoctorOutput(ok: !results.contains { $0.status == .fail }, checks: results))
            } else {
                for result in results {
                    runtime.console.out("\(result.status.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)) \(result.name): \(result.message)")
                    for detail in result.details.prefix(Self.detailsShown) { runtime.console.out("       \(detail)") }
                    if result.details.count > Self.detailsShown {
                        runtime.console.out("       … and \(result.details.count - Self.detailsShown) more (all of them with --json)")
                    }
                    if result.status != .ok, let hint = result.hint { runtime.console.out("       what to do: \(hint)") }
                }
            }
            if results.contains(where: { $0.status == .fail }) { throw ExitCode(1) }
        }
    }

    /// The spec-level checks of the original's failure modes, over every declared environment.
    static func painPoints(_ stack: StackSpec, runtime: CommandRuntime) throws -> [DoctorCheckResult] {
        let loader = SpecLoader(processEnvironment: runtime.environment)
        let others = stack.declaredEnvironments.filter { $0 != stack.environment }.compactMap {
            try? loader.load(path: runtime.options.file, environment: $0)
        }
        var expiries: [String: Date?] = [:]
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        if let tokens = stack.vault?.tokens, !tokens.isEmpty {
            let reports = (try? StatusCommand.vaultTokens(runtime, identity: identity, stackOverride: nil)) ?? []
            for report in reports { expiries[report.name] = report.expiresAt }
        }
        return DoctorPainPointChecks(
            stack: stack, environments: [stack] + others, lock: try ImageLock.load(from: stack.rootDirectory), tokenExpiries: expiries
        ).all()
    }

    /// Findings listed per check on a terminal; `--json` lists them all.
    static let detailsShown = 40

    struct DoctorOutput: Encodable {
        var ok: Bool
        var checks: [DoctorCheckResult]
    }
}
