import ArgumentParser
import Foundation
import LetsEncrypt
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
                if let stack { results += DoctorNodeChecks(stack: stack, ipvs: NodePreflight().ipvs()).all() }
                let docker = await checks.docker()
                results.append(docker)
                if docker.status == .ok, let stack {
                    results += await DoctorClusterChecks(
                        runtime: runtime, identity: StackIdentity(stack: stack.name, environment: stack.environment), stack: stack).run()
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

    /// The spec-level checks of the original's failure modes (docs/pain-points.md), over every declared
    /// environment. Each check type reads only what the command gathers here, so each is unit-tested on its own.
    ///
    /// Covered: 1, 2, 5 (DoctorVaultChecks, git-secrets), 3, 4, 6, 12, 14, 16, 17, 19, 23 (DoctorPainPointChecks),
    /// 7 (DoctorVaultChecks), 8, 28 (DoctorSecretCollisionChecks), 11, 31 (DoctorSecretHygieneChecks), 15, 22, 27
    /// (DoctorConfigUsageChecks), 18 (DoctorRoutingChecks), 26 (DoctorMonitoringChecks, Gatus only), and with Docker
    /// 13, 19, 20 (DoctorClusterChecks, DoctorOrphanChecks).
    ///
    /// Not checked, because nothing in a spec, the local state or the cluster shows them:
    /// - 9 environment naming drift, 10 secret-source churn, 21 lost changes across merges, 25 docs diverging: the
    ///   tool derives every name, has one manifest, and generates docs, so there is nothing left to compare against;
    /// - 24 shallow verification: `verify` is generated from the spec;
    /// - 29 toolchain fragility, 30 the broken DB sync script, 32 the bus factor: organisational or about tooling
    ///   the stack no longer has.
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
        let ledgerPath = runtime.acmeLedgerPath(stack)
        var ledger: CertificateLedger?
        var ledgerProblem: [DoctorCheckResult] = []
        do {
            ledger = FileManager.default.fileExists(atPath: ledgerPath) ? try CertificateLedger(path: ledgerPath) : nil
        } catch {
            ledgerProblem = [DoctorCheckResult(name: "certificate-ledger", status: .warn, message: "the ACME ledger cannot be read: \(error)",
                                               hint: "fix or move aside \(ledgerPath); the certificate checks below run without it")]
        }
        let keyFile = runtime.vaultKeyFile(declared: stack.vault?.keyFile)
        return DoctorPainPointChecks(
            stack: stack, environments: [stack] + others, lock: try ImageLock.load(from: stack.rootDirectory), tokenExpiries: expiries
        ).all()
            + DoctorSecretHygieneChecks(stack: stack).all()
            + DoctorSecretCollisionChecks(stack: stack).all()
            + DoctorConfigUsageChecks(stack: stack).all()
            + DoctorVaultChecks(stack: stack, keyFile: keyFile, permissions: Self.permissions, workTree: GitSecretScan.workTree(containing:)).all()
            + ledgerProblem + DoctorRoutingChecks(stack: stack, ledger: ledger).all()
            + [DoctorMonitoringChecks(stack: stack).watchedHosts()]
    }

    /// The permission bits of `path`, nil when it does not exist.
    static func permissions(_ path: String) -> UInt16? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return (attributes[.posixPermissions] as? NSNumber)?.uint16Value
    }

    /// Findings listed per check on a terminal; `--json` lists them all.
    static let detailsShown = 40

    struct DoctorOutput: Encodable {
        var ok: Bool
        var checks: [DoctorCheckResult]
    }
}
