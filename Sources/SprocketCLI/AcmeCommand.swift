import ArgumentParser
import Foundation
import LetsEncrypt
import Orchestration
import SprocketCore

/// `sprocketctl acme`: Let's Encrypt without accidents.
struct AcmeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acme",
        abstract: "Let's Encrypt safety: which hosts may use the production CA, and why.",
        subcommands: [AcmeCheckCommand.self, AcmeFailuresCommand.self])
}

/// `sprocketctl acme check`: for every host the spec routes through the ACME resolver, decides staging or production
/// (staging first for a host never issued before; production only after a DNS preflight: A/AAAA point at the
/// ingress node, CAA allows letsencrypt.org; the local issuance ledger keeps Let's Encrypt's weekly limits in view).
struct AcmeCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every ACME host of the spec: DNS preflight, CAA, rate limits, staging first.",
        discussion: """
            Exit 0 when the spec's resolver is safe for every host; 2 when the spec asks for the production CA but \
            some host must go to staging first or fails the preflight (set `routing.acme.staging: true` or pass \
            --acme-staging for the first deploy, fix DNS, or --force); 1 on errors.
            """)

    @OptionGroup var options: GlobalOptions

    @Flag(name: .customLong("acme-staging"), help: "Treat every host as staging (what `routing.acme.staging: true` does).")
    var staging = false

    @Flag(help: "Allow production despite the staging-first rule or a rate limit about to be reached.")
    var force = false

    @OptionGroup var dns: DNSPreflightOptions

    @Option(help: "The issuance ledger (default: <state dir>/acme-ledger.json).")
    var ledger: String?

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let spec = try runtime.loadSpec()
            let hosts = AcmeLedgerUpdates.acmeHosts(of: spec)
            guard !hosts.isEmpty else {
                if options.json { runtime.console.json(ACMESafetyReport(stagingRequested: staging, ledgerPath: "", decisions: [])) }
                runtime.console.out("no route of \(spec.name)/\(spec.environment) uses an ACME resolver: nothing to check")
                return
            }
            let stagingRequested = staging || spec.routing.acme.staging
            let nodes = try dns.addresses(of: spec.routing)
            if nodes.isEmpty && !stagingRequested {
                throw ValidationError(
                    "the production CA needs a DNS preflight: set `routing.public_ip` or give --node-address with the "
                        + "ingress node's public address (or check staging with --acme-staging)")
            }
            let resolver = try dns.resolver()
            let identity = StackIdentity(stack: spec.name, environment: spec.environment)
            let ledgerPath = ledger ?? AcmeLedgerUpdates.ledgerPath(stateFolder: runtime.store(for: identity).directory)
            let policy = ACMEResolverPolicy(
                stagingRequested: stagingRequested, force: force, productionResolver: spec.routing.acme.resolver,
                stagingResolver: "\(spec.routing.acme.resolver)-staging")
            let report = await policy.evaluate(
                hosts: hosts, preflight: ACMEPreflight(resolver: resolver, nodeAddresses: nodes),
                ledger: try CertificateLedger(path: ledgerPath))
            if options.json {
                runtime.console.json(report)
            } else {
                for decision in report.decisions {
                    runtime.console.out("\(decision.host): \(decision.environment.rawValue) (\(decision.resolver))")
                    for reason in decision.reasons { runtime.console.out("  because \(reason)") }
                    for warning in decision.warnings { runtime.console.out("  warning: \(warning)") }
                }
            }
            // The spec's routers carry one resolver; production is unsafe when any host must not use it yet.
            let blocked = report.stagingHosts
            if !stagingRequested && !blocked.isEmpty {
                runtime.console.err(
                    "error: the spec uses the production CA, but \(blocked.joined(separator: ", ")) must use staging first "
                        + "(see the reasons above); deploy once with `routing.acme.staging: true` (or --acme-staging), "
                        + "fix DNS, or pass --force if you know better")
                throw ExitCode(ExitStatus.changesPresent)
            }
        }
    }
}
