import ArgumentParser
import Foundation
import SprocketCore

/// `sprocketctl drift`: what changed on the engine since the last successful run, classified.
///
/// It only reads: no lock, no state write, no secret generation, no key creation. So it can run from cron or CI
/// next to a deploy without getting in its way.
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare the live objects with the last applied spec: changed by hand, rolled back, missing, extra, under-replicated.",
        discussion: "Never writes anything. Exit 0 without drift; with --exit-code, 2 when drift is found.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Act on this stack name instead of reading the spec (needs a recorded successful run).")
    var stack: String?

    @Flag(help: "Exit with 2 when drift is found.")
    var exitCode = false

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            // Read the spec at most once: its warnings go to stderr, and it is needed only for the identity or
            // when no run has succeeded yet.
            let spec: StackSpec? = stack == nil ? try runtime.loadSpec() : nil
            let identity = try spec.map { StackIdentity(stack: $0.name, environment: $0.environment) }
                ?? runtime.identity(stackOverride: stack)
            let recorded = DriftBaseline.lastSuccessfulRun(of: try await runtime.stateStore(for: identity).runs(), identity: identity)
            var report: DriftReport?
            try await runtime.withDeployment(sharingSealedStoreOf: identity) { deployment, _ in
                let driver = try await deployment.context.driver()
                let baseline: DriftBaseline
                let observed: ObservedState
                if let recorded {
                    baseline = recorded
                    observed = try await driver.observe(identity)
                } else {
                    guard let spec else {
                        throw SprocketError(
                            .stateIO, "no successful run of \(identity) is recorded, and --stack skips the spec",
                            subject: (try? runtime.stateStore(for: identity).location) ?? runtime.store(for: identity).directory,
                            hint: "run without --stack to compare with the spec, or pass the --state-dir of its runs")
                    }
                    // `prepare` neither generates secrets nor creates the key unless asked to (only `up` asks).
                    let prepared = try await deployment.prepare(spec, options: Planner.Options(), offline: false)
                    baseline = DriftBaseline(currentSpec: prepared.desired)
                    observed = prepared.observed
                }
                let status = try await driver.status(identity)
                report = DriftDetector().detect(baseline: baseline, observed: observed, status: status)
            }
            guard let report else { return }
            if options.json {
                runtime.console.json(report)
            } else {
                for line in Self.render(report) { runtime.console.out(line) }
            }
            if exitCode && report.hasDrift { throw ExitCode(ExitStatus.changesPresent) }
        }
    }

    /// Per layer, one line per finding; field changes indented below it, as `plan` shows them.
    static func render(_ report: DriftReport) -> [String] {
        var lines: [String] = []
        for group in report.layers {
            lines.append("layer \(group.layer):")
            for finding in group.findings {
                lines.append("  \(symbol(finding.kind)) \(finding.resource) (\(finding.dockerName)) - \(finding.detail)")
                for field in finding.fields {
                    lines.append("      \(field.path): \(field.old ?? "(none)") -> \(field.new ?? "(none)")")
                }
            }
        }
        for note in report.notes { lines.append("note: \(note)") }
        let baseline = report.baselineRunID.map { "the last applied spec (run \($0))" } ?? "the current spec"
        if report.hasDrift {
            let count = report.findings.count
            lines.append("Drift in \(report.identity): \(count) finding\(count == 1 ? "" : "s") against \(baseline).")
        } else {
            lines.append("No drift: \(report.identity) matches \(baseline).")
        }
        return lines
    }

    private static func symbol(_ kind: DriftFinding.Kind) -> String {
        switch kind {
        case .changedByHand: "~"
        case .rolledBackBySwarm: "<"
        case .missing: "-"
        case .extra: "+"
        case .replicasBelowTarget: "!"
        }
    }
}
