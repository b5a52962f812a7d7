import SprocketCore
import Traefik

/// The text form of `verify routes`: a table with one row per router (its spec service, result and findings),
/// the probes if any, then the verifier's closing line.
enum VerifyRoutesRenderer {
    static func render(_ output: VerifyRoutesOutput, compiled: [CompiledRouter]) -> [String] {
        let services = Dictionary(compiled.map { ($0.name, $0.specService) }, uniquingKeysWith: { first, _ in first })
        let header = ["ROUTER", "SERVICE", "RESULT", "FINDINGS"]
        let rows = (output.report.routers + output.report.unexpected).map { verdict in
            [verdict.router, services[verdict.router] ?? "-", verdict.passed ? "ok" : "FAIL",
             verdict.findings.map(\.description).joined(separator: "; ")]
        }
        var lines = TextTable.render([header] + rows)
        if let probes = output.probes {
            lines.append("")
            lines += TextTable.render([["ROUTER", "PROBE", "RESULT", "SEEN"]] + probes.map { check in
                [check.router, check.result?.target.label ?? "-", check.note != nil ? "skipped" : (check.passed ? "ok" : "FAIL"),
                 check.problem ?? check.note ?? check.result?.summaryLine ?? ""]
            })
        }
        lines.append("")
        lines.append(output.report.summaryLines.last ?? "")
        if let probes = output.probes {
            let failed = probes.filter { !$0.passed }
            lines.append(failed.isEmpty ? "probes: all \(probes.count) ok" : "probes: \(failed.count) of \(probes.count) failed")
        }
        return lines
    }
}
