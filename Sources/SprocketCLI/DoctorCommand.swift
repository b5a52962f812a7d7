import ArgumentParser
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
            if !skipDocker { results.append(await checks.docker()) }
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

    /// Findings listed per check on a terminal; `--json` lists them all.
    static let detailsShown = 40

    struct DoctorOutput: Encodable {
        var ok: Bool
        var checks: [DoctorCheckResult]
    }
}
