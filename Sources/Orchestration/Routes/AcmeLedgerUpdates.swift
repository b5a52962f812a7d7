import Foundation
import LetsEncrypt
import SprocketCore
import Traefik

/// Keeps the local Let's Encrypt ledger in step with what is really served, and lets `up` use it.
///
/// `up`'s route gate, `verify` and `verify routes` (and `--probe` from the host) see the certificates Traefik serves;
/// every ACME certificate they see is
/// recorded once (by its `notBefore`), staging and production apart. `up` then goes to production only for hosts
/// that already have a certificate: a host never issued before gets the staging CA first.
public enum AcmeLedgerUpdates {
    /// Let's Encrypt's staging issuers say so in their names ("(STAGING) Pretend Pear X1", "(STAGING) Ersatz …").
    public static func environment(ofIssuer issuer: String) -> ACMEEnvironment? {
        guard issuer.contains("Let's Encrypt") || issuer.contains("(STAGING)") else { return nil }
        return issuer.contains("(STAGING)") ? .staging : .production
    }
    /// The hosts of every router that asks an ACME resolver for its certificate, in first-seen order.
    public static func acmeHosts(of spec: StackSpec) -> [String] {
        let parser = TraefikRuleParser(version: spec.routing.traefik)
        var hosts: [String] = []
        for router in RouteLabelCompiler(stack: spec).compiledRouters() where router.certResolver != nil {
            guard let rule = try? parser.parse(router.rule) else { continue }
            for matcher in rule.matchers where matcher.name.lowercased() == "host" {
                for host in matcher.arguments where !hosts.contains(host) { hosts.append(host) }
            }
        }
        return hosts
    }


    public static func ledgerPath(stateFolder: String) -> String {
        "\(stateFolder)/acme-ledger.json"
    }

    /// Which CA a resolver of `stack` uses: the staging resolver of a staging-first run (``ACMESettings/stagingResolverName``)
    /// staging, the spec's resolver staging or production as `routing.acme.staging` says; nil for any other name.
    public static func environment(ofResolver name: String, stack: StackSpec) -> ACMEEnvironment? {
        let acme = stack.routing.acme
        if name == acme.resolver { return acme.staging ? .staging : .production }
        if name == acme.stagingResolverName { return .staging }
        // The production resolver seen by the gate of a staging-first run (whose own resolver is the staging one).
        if name + ACMESettings.stagingResolverSuffix == acme.resolver { return .production }
        return nil
    }

    /// Where a failed order is filed: Let's Encrypt's directories by their URL; another CA under the environment of
    /// the resolver that logged it when the spec points that environment at this very CA
    /// (`routing.acme.staging_directory`, `production_directory`); any other CA (a test CA) under staging.
    public static func environment(of failure: ACMEOrderFailure, stack: StackSpec) -> ACMEEnvironment {
        if let letsEncrypt = ACMEEnvironment.allCases.first(where: { $0.directoryURL == failure.caServer }) { return letsEncrypt }
        if let resolver = failure.resolver, let configured = environment(ofResolver: resolver, stack: stack),
            directory(configured, of: stack) == failure.caServer
        {
            return configured
        }
        return .staging
    }

    /// Records the failed validations among `failures` (Traefik's log), each filed by ``environment(of:stack:)``;
    /// returns those newly recorded. Reading the same failures again records nothing
    /// (``CertificateLedger/recordFailures(_:unknownCA:)``).
    public static func recordFailures(_ failures: [ACMEOrderFailure], stack: StackSpec, ledgerPath: String) throws -> [ACMEOrderFailure] {
        var ledger = try CertificateLedger(path: ledgerPath)
        var recorded: [ACMEOrderFailure] = []
        for filedUnder in ACMEEnvironment.allCases {
            recorded += try ledger.recordFailures(failures.filter { environment(of: $0, stack: stack) == filedUnder }, unknownCA: filedUnder)
        }
        return recorded
    }

    /// The ACME directory `stack` uses for `environment`.
    public static func directory(_ environment: ACMEEnvironment, of stack: StackSpec) -> String {
        let acme = stack.routing.acme
        return acme.directoryOverride ?? (environment == .staging ? acme.stagingDirectory : acme.productionDirectory)
    }

    /// Where the certificates of a CA other than Let's Encrypt are filed: per host, the environment of the resolver
    /// its router carries, when the spec points that environment at another CA (`routing.acme.staging_directory`,
    /// `production_directory`). Let's Encrypt's certificates are filed by their issuer instead.
    public static func customCAEnvironments(_ hostResolvers: [String: String], stack: StackSpec) -> [String: ACMEEnvironment] {
        hostResolvers.compactMapValues { resolver in
            guard let resolverEnvironment = environment(ofResolver: resolver, stack: stack) else { return nil }
            let caDirectory = directory(resolverEnvironment, of: stack)
            return ACMEEnvironment.allCases.contains { $0.directoryURL == caDirectory } ? nil : resolverEnvironment
        }
    }

    /// Records the ACME certificates among `results`: Let's Encrypt's by their issuer, another CA's for the hosts
    /// `customCA` files under an environment (never Traefik's default certificate); returns the hosts newly recorded.
    public static func record(_ results: [RouteProbeResult], ledgerPath: String, customCA: [String: ACMEEnvironment] = [:]) throws -> [String] {
        var ledger = try CertificateLedger(path: ledgerPath)
        var recorded: [String] = []
        for result in results {
            guard let host = result.target.host, let certificate = result.certificate, !certificate.isTraefikDefault,
                let environment = environment(ofIssuer: certificate.issuer) ?? customCA[host]
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
    ///
    /// When the production CA remains, every ACME host must first pass the DNS preflight (A/AAAA point only at the
    /// ingress node's `public_ip`, CAA allows letsencrypt.org): a failed order costs a production rate limit, so
    /// a failing host stops the run before anything changes, with what to fix. `preflight` is nil when no public
    /// address of the ingress node is known, which also stops a production run; `skipPreflight` (split-horizon DNS,
    /// a load balancer in front) trusts the operator instead.
    public static func resolverForRun(
        _ stack: StackSpec, forceStaging: Bool, allowProduction: Bool, ledgerPath: String,
        preflight: ACMEPreflight?, skipPreflight: Bool = false, warn: (String) -> Void
    ) async throws -> StackSpec {
        let hosts = Self.acmeHosts(of: stack)
        guard !hosts.isEmpty, !stack.routing.acme.staging else { return stack }
        if forceStaging {
            warn("using Let's Encrypt's staging CA for this run (--acme-staging): browsers will not trust its certificates")
            return withStaging(stack)
        }
        if !allowProduction {
            let ledger = try CertificateLedger(path: ledgerPath)
            let fresh = hosts.filter { !ledger.hasIssued($0, in: .production) && !ledger.hasIssued($0, in: .staging) }
            if !fresh.isEmpty {
                warn(
                    "\(fresh.joined(separator: ", ")) never had a certificate: this run uses Let's Encrypt's staging CA first "
                        + "(no production rate limit at stake); once `up`'s route gate or `verify` has seen the staging certificates, "
                        + "the next `up` uses production (`acme check` shows why; `--acme-production` skips this)")
                return withStaging(stack)
            }
        }
        guard !skipPreflight else {
            warn("DNS preflight skipped (--skip-dns-preflight): \(hosts.joined(separator: ", ")) go to Let's Encrypt's production CA unchecked")
            return stack
        }
        guard let preflight else {
            throw SprocketError(
                .preflightFailed,
                "the production CA is about to be used for \(hosts.joined(separator: ", ")), but the DNS preflight needs the ingress node's public address",
                subject: "routing.public_ip",
                hint: "set `routing.public_ip` (a setting per environment works) or pass --node-address; "
                    + "or deploy with --acme-staging; --skip-dns-preflight trusts DNS as it is")
        }
        let verdicts = await preflight.check(hosts, for: .production)
        let refused = verdicts.filter { !$0.isAllowed }
        guard refused.isEmpty else {
            let lines = refused.flatMap { verdict in verdict.errors.map { "  \(verdict.host): \($0.message)" } }
            throw SprocketError(
                .preflightFailed,
                "DNS preflight for Let's Encrypt's production CA failed (nothing was changed):\n" + lines.joined(separator: "\n"),
                subject: "DNS via \(preflight.resolver.serverDescription)",
                hint: "fix the records above and run `up` again (`acme check --node-address ...` rechecks without deploying); "
                    + "--acme-staging deploys now with untrusted certificates")
        }
        return stack
    }

    /// The stack with its ACME resolver on the staging CA, under a name of its own (`letsencrypt-staging`): its
    /// routers' labels and Traefik's static configuration both change, and the certificates the staging resolver
    /// obtained stay apart from the production resolver's in Traefik's storage, so the run that moves to production
    /// gets a production certificate instead of Traefik serving the stored staging one.
    public static func withStaging(_ stack: StackSpec) -> StackSpec {
        var stack = stack
        stack.routing.acme.resolver = stack.routing.acme.stagingResolverName
        stack.routing.acme.staging = true
        return SpecLoader.fillGeneratedConfigs(stack)
    }
}

extension SprocketError.Code {
    /// Let's Encrypt's production CA refused before anything changed: a host fails the DNS preflight.
    public static let preflightFailed = SprocketError.Code(rawValue: "preflight-failed")
}
