import ArgumentParser
import DockerEngine
import Foundation
import Orchestration
import SprocketCore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the deployed stack against its spec: replicas and health, restart loops, declared checks, published ports, lingering tasks, and its routes in Traefik.",
        discussion: """
            The checks come from the spec; nothing extra needs writing. Exit 0 only when every check passes, else 1. \
            `--fix` forces an update of services that still run tasks of a superseded version. \
            When the stack runs Traefik, every router is also checked in Traefik's API (read by a job on its network) and \
            through its web entry point, and every HTTPS route through websecure with its host as SNI (its certificate: \
            Traefik's default one, issuer, expiry, trust against --ca-bundle), as `verify routes` does; `verify routes` \
            shows the details.
            """,
        subcommands: [VerifyRoutesCommand.self])

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Force an update of every service with lingering tasks of an older version (like `docker service update --force`).")
    var fix = false

    @OptionGroup var trust: RouteTrustOptions

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let stack = try runtime.loadSpec()
            var report: VerifyReport?
            try await runtime.withDeployment { _, engine in
                let probe = DockerCheckProbe(client: try await engine.driver().client)
                if !options.json { runtime.console.err("verifying \(stack.name)/\(stack.environment)...") }
                var checked = try await Verifier(runner: CheckRunner(probe: probe), redeployer: probe).verify(stack, fix: fix)
                if let routes = try await VerifyRoutesLayer.check(
                    stack, client: try await engine.driver().client, logger: runtime.logger, caBundle: trust.caBundle,
                    ledgerPath: runtime.acmeLedgerPath(stack), note: { if !options.json { runtime.console.err($0) } })
                {
                    checked = VerifyReport(stack: checked.stack, environment: checked.environment, layers: checked.layers + [routes], fixed: checked.fixed)
                }
                report = checked
            }
            guard let report else { return }
            if options.json {
                runtime.console.json(report)
            } else {
                for line in VerifyRenderer.render(report) { runtime.console.out(line) }
            }
            if !report.passed { throw ExitCode(ExitStatus.failure) }
        }
    }
}

/// The text form of a ``VerifyReport``: one table row per check, grouped by layer, then a summary.
enum VerifyRenderer {
    static func render(_ report: VerifyReport) -> [String] {
        let header = ["LAYER", "CHECK", "RESULT", "EXPECTED", "SEEN"]
        let rows = report.layers.flatMap { layer in
            layer.checks.map { [layer.name, $0.check, $0.passed ? "ok" : "FAIL", $0.expected, $0.seen] }
        }
        var lines = TextTable.render([header] + rows)
        let checks = report.layers.flatMap(\.checks)
        let failed = checks.filter { !$0.passed }
        lines.append("")
        lines.append(failed.isEmpty
            ? "verify: all \(checks.count) checks passed"
            : "verify: \(failed.count) of \(checks.count) checks failed: \(failed.map(\.check).joined(separator: "; "))")
        if !report.fixed.isEmpty {
            lines.append("fixed: forced an update of \(report.fixed.joined(separator: ", ")); run verify again once it converged")
        }
        return lines
    }
}
