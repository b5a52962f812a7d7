import Foundation
import LetsEncrypt
import SprocketCore
import Traefik

/// Keeps the local Let's Encrypt ledger in step with what is really served, and lets `up` use it.
///
/// `verify routes --probe` sees the certificates Traefik serves; every Let's Encrypt certificate it sees is
/// recorded once (by its `notBefore`), staging and production apart. `up` then goes to production only for hosts
/// that already have a certificate: a host never issued before gets the staging CA first.
enum AcmeLedgerUpdates {
    /// Let's Encrypt's staging issuers say so in their names ("(STAGING) Pretend Pear X1", "(STAGING) Ersatz …").
    static func environment(ofIssuer issuer: String) -> ACMEEnvironment? {
        guard issuer.contains("Let's Encrypt") || issuer.contains("(STAGING)") else { return nil }
        return issuer.contains("(STAGING)") ? .staging : .production
    }

    static func ledgerPath(_ runtime: CommandRuntime, stack: StackSpec) -> String {
        "\(runtime.store(for: StackIdentity(stack: stack.name, environment: stack.environment)).directory)/acme-ledger.json"
    }

    /// Records the Let's Encrypt certificates among `results`; returns the hosts newly recorded.
    static func record(_ results: [RouteProbeResult], ledgerPath: String) throws -> [String] {
        var ledger = try CertificateLedger(path: ledgerPath)
        var recorded: [String] = []
        for result in results {
            guard let host = result.target.host, let certificate = result.certificate,
                let environment = environment(ofIssuer: certificate.issuer)
            else { continue }
            if let last = ledger.lastIssuance(of: host, in: environment), abs(last.timeIntervalSince(certificate.notBefore)) < 1 {
                continue
            }
            try ledger.recordIssued(names: [host], environment: environment, date: certificate.notBefore)
            recorded.append(host)
        }
        return recorded
    }

    /// The stack `up` deploys: the spec's ACME resolver switched to the staging CA when `--acme-staging` asks for
    /// it, or when some ACME host has never had a certificate (unless `--acme-production`).
    static func stagingFirst(
        _ stack: StackSpec, forceStaging: Bool, allowProduction: Bool, ledgerPath: String, warn: (String) -> Void
    ) throws -> StackSpec {
        let hosts = AcmeCheckCommand.acmeHosts(of: stack)
        guard !hosts.isEmpty, !stack.routing.acme.staging else { return stack }
        if forceStaging {
            warn("using Let's Encrypt's staging CA for this run (--acme-staging): browsers will not trust its certificates")
            return withStaging(stack)
        }
        guard !allowProduction else { return stack }
        let ledger = try CertificateLedger(path: ledgerPath)
        let fresh = hosts.filter { !ledger.hasIssued($0, in: .production) && !ledger.hasIssued($0, in: .staging) }
        guard !fresh.isEmpty else { return stack }
        warn(
            "\(fresh.joined(separator: ", ")) never had a certificate: this run uses Let's Encrypt's staging CA first "
                + "(no production rate limit at stake); once `verify routes --probe` has seen the staging certificates, "
                + "the next `up` uses production (`acme check` shows why; `--acme-production` skips this)")
        return withStaging(stack)
    }

    private static func withStaging(_ stack: StackSpec) -> StackSpec {
        var stack = stack
        stack.routing.acme.staging = true
        return SpecLoader.fillGeneratedConfigs(stack)
    }
}
