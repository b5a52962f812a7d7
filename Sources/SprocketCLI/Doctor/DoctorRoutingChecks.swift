import Foundation
import LetsEncrypt
import Orchestration
import SprocketCore

/// `doctor` checks of HTTPS (docs/pain-points.md #18: the HTTP→HTTPS redirect silently removed so port 80 answered 404, Let's
/// Encrypt limits hit while testing, the certificate store on one volume). Pure over the spec and the local ACME
/// ledger (nil when there is none).
struct DoctorRoutingChecks {
    var stack: StackSpec
    var ledger: CertificateLedger?
    var now: Date = Date()

    /// Let's Encrypt's certificate lifetime: the ledger records when a certificate was issued (its `notBefore`),
    /// so its expiry is estimated from this.
    static let certificateLifetime: TimeInterval = 90 * 24 * 3600
    static let expiryWarning: TimeInterval = 14 * 24 * 3600

    func all() -> [DoctorCheckResult] { [httpRedirect(), acmeStorage(), certificateExpiry(), acmeRateLimits()] }

    private var publicTLSRoutes: [(service: ServiceSpec, route: RouteSpec)] {
        guard stack.routing.enables(.public) else { return [] }
        return stack.layers.flatMap(\.services).flatMap { service in
            service.routes.filter { $0.tls != .none && ($0.access.isEmpty || $0.access.contains(.public)) }.map { (service, $0) }
        }
    }

    /// Names of configs whose content is Traefik's generated static configuration.
    private var generatedStaticConfigs: Set<String> {
        Set(stack.layers.flatMap(\.configs).filter { $0.source == .generated(.traefikStatic) }.map(\.name))
    }

    /// The services that run Traefik: they mount the generated static configuration, or run a Traefik image.
    private var traefikServices: [ServiceSpec] {
        stack.layers.flatMap(\.services).filter { service in
            service.configs.contains { generatedStaticConfigs.contains($0.source) } || service.image.lowercased().contains("traefik")
        }
    }

    /// #18: with only the public profile, the redirect is on Traefik's `web` entry point, which only the generated
    /// static configuration (or a hand-written one that says so) provides; otherwise each route has its own.
    func httpRedirect() -> DoctorCheckResult {
        let name = "http-redirect"
        guard !publicTLSRoutes.isEmpty else { return DoctorCheckResult(name: name, status: .ok, message: "no public HTTPS route") }
        guard RouteRedirectPolicy.redirectsAtEntryPoint(stack) else {
            return DoctorCheckResult(name: name, status: .ok, message: "each public HTTPS route has its own HTTP→HTTPS redirect router")
        }
        let traefik = traefikServices
        guard !traefik.isEmpty else {
            return DoctorCheckResult(name: name, status: .ok, message: "Traefik is not part of this stack: its redirect is configured where it runs")
        }
        let configs = Dictionary(stack.layers.flatMap(\.configs).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let missing = traefik.filter { service in
            if service.configs.contains(where: { generatedStaticConfigs.contains($0.source) }) { return false }
            let texts = ((service.entrypoint ?? []) + (service.command ?? [])).map { $0.lowercased() }
                + service.configs.compactMap { configs[$0.source]?.content }.map { String(decoding: $0, as: UTF8.self).lowercased() }
            return !texts.contains { $0.contains("redirections") }
        }
        guard !missing.isEmpty else {
            return DoctorCheckResult(name: name, status: .ok, message: "Traefik's `web` entry point redirects HTTP to HTTPS")
        }
        return DoctorCheckResult(
            name: name, status: .fail,
            message: "\(missing.map(\.name).joined(separator: ", ")) configure Traefik by hand without an HTTP→HTTPS redirect, and the "
                + "routes rely on one (docs/pain-points.md #18: the redirect was removed and port 80 answered 404)",
            hint: "mount the generated static configuration (`configs: {traefik-static: {generated: traefik-static}}`), or add "
                + "`--entrypoints.web.http.redirections.entrypoint.to=websecure` to Traefik's command",
            details: publicTLSRoutes.map { "\($0.service.name) route \($0.route.name) (\($0.route.location))" })
    }

    /// #18: Traefik keeps its ACME account and certificates in `acme.storage`; on a container's own disk they are
    /// lost with the task, and every restart orders them again until Let's Encrypt's limits stop it.
    func acmeStorage() -> DoctorCheckResult {
        let name = "acme-storage"
        guard publicTLSRoutes.contains(where: { $0.route.tls == .acme }) else {
            return DoctorCheckResult(name: name, status: .ok, message: "no route uses ACME certificates")
        }
        let storage = stack.routing.acme.storage
        let unsaved = traefikServices.filter { service in
            !service.mounts.contains { mount in
                let folder = mount.target.hasSuffix("/") ? mount.target : mount.target + "/"
                return mount.kind != .tmpfs && mount.source != nil && (storage == mount.target || storage.hasPrefix(folder))
            }
        }
        guard !unsaved.isEmpty else {
            return DoctorCheckResult(name: name, status: .ok, message: "ACME certificates (\(storage)) are kept on a volume")
        }
        return DoctorCheckResult(
            name: name, status: .warn,
            message: "\(unsaved.map(\.name).joined(separator: ", ")) keep \(storage) on the container's own disk: every new task "
                + "orders every certificate again (docs/pain-points.md #18)",
            hint: "mount a named volume at \((storage as NSString).deletingLastPathComponent) (e.g. `volumes: [traefik-data:/data]`) and back it up")
    }

    /// The hosts that get Let's Encrypt certificates in this environment.
    private var acmeHosts: [String] { AcmeLedgerUpdates.acmeHosts(of: stack).sorted() }

    /// #18: the ledger (kept by `verify routes --probe`) knows when each served certificate was issued.
    func certificateExpiry() -> DoctorCheckResult {
        let name = "certificate-expiry"
        let hosts = acmeHosts
        guard !hosts.isEmpty, let ledger else {
            return DoctorCheckResult(name: name, status: .ok, message: hosts.isEmpty ? "no ACME host" : "no certificate ledger here: nothing to check")
        }
        var expired: [String] = []
        var soon: [String] = []
        var unknown: [String] = []
        for host in hosts {
            guard let issued = ledger.lastIssuance(of: host, in: stack.routing.acme.staging ? .staging : .production) else {
                unknown.append(host)
                continue
            }
            let expiry = issued.addingTimeInterval(Self.certificateLifetime)
            let left = expiry.timeIntervalSince(now)
            let line = "\(host): issued \(issued.formatted(.iso8601)), expires about \(expiry.formatted(.iso8601))"
            if left <= 0 { expired.append(line) } else if left < Self.expiryWarning { soon.append("\(line) (\(Int(left / 86_400)) days left)") }
        }
        let hint = "Traefik renews 30 days before expiry: check its log for ACME errors, then run `sprocketctl verify routes --probe`, "
            + "which records the certificate really served (a renewed one clears this)"
        if !expired.isEmpty {
            return DoctorCheckResult(name: name, status: .fail, message: "\(expired.count) certificates have expired by the ledger's record (docs/pain-points.md #18)",
                                     hint: hint, details: expired + soon)
        }
        if !soon.isEmpty {
            return DoctorCheckResult(name: name, status: .warn,
                                     message: "\(soon.count) certificates expire within 14 days by the ledger's record (docs/pain-points.md #18)",
                                     hint: hint, details: soon)
        }
        return DoctorCheckResult(
            name: name, status: .ok,
            message: "\(hosts.count - unknown.count) recorded certificates valid for 14 days or more"
                + (unknown.isEmpty ? "" : "; \(unknown.count) hosts not in the ledger yet"))
    }

    /// #18: limits hit while testing. `up` goes to the staging CA first for hosts never issued; this shows where the
    /// production limits stand for the next order of every ACME host.
    func acmeRateLimits() -> DoctorCheckResult {
        let name = "acme-rate-limits"
        let hosts = acmeHosts
        guard !hosts.isEmpty else { return DoctorCheckResult(name: name, status: .ok, message: "no ACME host") }
        if stack.routing.acme.staging {
            return DoctorCheckResult(name: name, status: .ok,
                                     message: "`routing.acme.staging` is on: Let's Encrypt's staging CA, untrusted certificates, no production limit")
        }
        guard let ledger else {
            return DoctorCheckResult(name: name, status: .ok, message: "no ledger yet: `up` orders from the staging CA first for all \(hosts.count) ACME hosts")
        }
        let fresh = hosts.filter { !ledger.hasIssued($0, in: .production) && !ledger.hasIssued($0, in: .staging) }
        let concerns = ledger.assess(names: hosts, environment: .production).concerns
        let staging = fresh.isEmpty ? "" : "; \(fresh.count) hosts never had a certificate, so `up` uses the staging CA first"
        guard !concerns.isEmpty else {
            return DoctorCheckResult(name: name, status: .ok, message: "Let's Encrypt production limits are clear for \(hosts.count) hosts" + staging)
        }
        let exceeded = concerns.contains { $0.status == .exceeded }
        return DoctorCheckResult(
            name: name, status: exceeded ? .fail : .warn,
            message: "Let's Encrypt production limits are \(exceeded ? "reached" : "close") (docs/pain-points.md #18: limits hit while testing)" + staging,
            hint: "set `routing.acme.staging: true` (or `up --acme-staging`) while testing; `sprocketctl acme check` shows each limit",
            details: concerns.map(\.message))
    }
}
