import ArgumentParser
import DockerEngine
import Foundation
import LetsEncrypt
import Orchestration
import SprocketCore

/// `sprocketctl acme failures`: the certificate orders Traefik's ACME resolver failed for the spec's hosts, read from
/// Traefik's own log (the only place Traefik reports them), recorded in the issuance ledger so the rate-limit checks
/// and the staging-first policy count them, and explained: host, resolver, the CA's reason, what to do.
struct AcmeFailuresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failures",
        abstract: "Read Traefik's log for failed certificate orders of the spec's hosts, record them in the ledger, say what to do.",
        discussion: """
            Reads the log of the Traefik service the stack runs (the one mounting the generated static configuration, \
            or --traefik-service) for `Unable to obtain ACME certificate` lines of the hosts whose routes use an ACME \
            resolver. Failed validations are added to the ledger once each (reading the log again adds nothing); a \
            CA other than Let's Encrypt's is filed under the environment whose routing.acme.*_directory names it, else under \
            staging. Exit 0 when no host has a \
            failed order in the log, 2 when some has (listed with the CA's reason), 1 on errors.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "The issuance ledger (default: <state dir>/acme-ledger.json).")
    var ledger: String?

    @Option(name: .customLong("traefik-service"), help: "Traefik's Docker service (default: the stack's service that mounts the generated static configuration).")
    var traefikService: String?

    @Option(help: "How many of the latest log lines of each Traefik task to read.")
    var tail: Int = 5_000

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let spec = try runtime.loadSpec()
            let hosts = AcmeLedgerUpdates.acmeHosts(of: spec)
            let ledgerPath = ledger ?? runtime.acmeLedgerPath(spec)
            guard !hosts.isEmpty else {
                if options.json { runtime.console.json(AcmeFailuresReport(traefikService: nil, ledgerPath: ledgerPath, hosts: [], recorded: 0)) }
                runtime.console.out("no route of \(spec.name)/\(spec.environment) uses an ACME resolver: nothing to check")
                return
            }
            let service = try Self.traefikService(explicit: traefikService, spec: spec)
            let lines = try await Self.logLines(of: service, tail: tail, runtime: runtime)
            let failures = TraefikACMELogParser().failures(in: lines).filter { !Set($0.domains).isDisjoint(with: hosts) }
            let recorded = try AcmeLedgerUpdates.recordFailures(failures, stack: spec, ledgerPath: ledgerPath)
            let summaries = ACMEHostFailures.summarize(failures, hosts: hosts, challenge: spec.routing.acme.challenge.rawValue)
            let report = AcmeFailuresReport(traefikService: service, ledgerPath: ledgerPath, hosts: summaries, recorded: recorded.count)
            if options.json {
                runtime.console.json(report)
            } else {
                report.render(checked: hosts, to: runtime.console)
            }
            if !summaries.isEmpty { throw ExitCode(ExitStatus.changesPresent) }
        }
    }

    static func traefikService(explicit: String?, spec: StackSpec) throws -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        guard let traefik = TraefikDeployment(stack: spec) else {
            throw ValidationError(
                "\(spec.name)/\(spec.environment) runs no Traefik of its own (no service mounts the generated `traefik-static` "
                    + "config, or no `routing.network` is set): name the Traefik service that routes it with --traefik-service")
        }
        return traefik.dockerName
    }

    static func logLines(of service: String, tail: Int, runtime: CommandRuntime) async throws -> [String] {
        let engine = EngineHandle(endpoint: try DockerEndpoint.fromEnvironment(runtime.environment), logger: runtime.logger)
        do {
            let lines = try await engine.driver().client.serviceLogs(service, tail: max(1, tail), timeout: .seconds(30))
            await engine.shutdown()
            return lines.map(\.text)
        } catch let error as DockerClientError {
            await engine.shutdown()
            throw SprocketError(
                .engine, "cannot read the log of Traefik's service \(service): \(error)", subject: service,
                hint: "deploy the stack first (`sprocketctl up`), or name the Traefik service with --traefik-service")
        } catch {
            await engine.shutdown()
            throw error
        }
    }
}
