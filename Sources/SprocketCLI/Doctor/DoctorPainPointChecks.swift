import Foundation
import SprocketCore

/// The checks of `doctor` that look for the original system's failure modes in a spec (each result names the
/// pain point of docs/pain-points.md it guards against). Pure: they read the spec, the image lock and the
/// recorded Vault token expiries, and this machine's paths; they change nothing.
struct DoctorPainPointChecks {
    var stack: StackSpec
    /// Every declared environment, loaded, for the cross-environment checks.
    var environments: [StackSpec]
    var lock: ImageLock?
    /// Recorded Vault token expiry by token name (nil: never minted).
    var tokenExpiries: [String: Date?]
    var now: Date = Date()
    var pathExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }

    func all() -> [DoctorCheckResult] {
        [pinnedImages(), leastPrivilege(), adminPlanes(), defaultCredentials(), hostPaths(), vaultTokens(), sharedHosts()]
    }

    /// #14, #23: moving tags (`latest`, `main`, nightly) deploy whatever the registry has that day.
    func pinnedImages() -> DoctorCheckResult {
        let moving = ["latest", "main", "master", "nightly", "edge", "dev"]
        let images = Set(stack.layers.flatMap(\.services).map(\.image)).subtracting([RunnerImage.placeholder])
        let unpinned = images.filter { image in
            guard !image.contains("@"), lock?.images[image] == nil, let reference = ImageReference(image) else { return false }
            return moving.contains(reference.tag ?? "latest") || reference.tag?.hasPrefix("main-") == true
        }.sorted()
        guard !unpinned.isEmpty else {
            return DoctorCheckResult(name: "pinned-images", status: .ok, message: "every image has a fixed tag or a locked digest")
        }
        return DoctorCheckResult(
            name: "pinned-images", status: .warn,
            message: "\(unpinned.count) images use a moving tag and no locked digest (docs/pain-points.md #14, #23: nightly images broke Grafana)",
            hint: "pin a version in the settings, or run `sprocketctl images lock` and commit images.lock", details: unpinned)
    }

    /// #12: every service connected as the database admin.
    func leastPrivilege() -> DoctorCheckResult {
        guard let postgres = stack.postgres else {
            return DoctorCheckResult(name: "db-least-privilege", status: .ok, message: "no `postgres:` declared")
        }
        let admin = postgres.admin.passwordSecret
        let offenders = stack.layers.flatMap(\.services).filter { $0.secrets.contains { $0.source == admin } }.map(\.name).sorted()
        guard !offenders.isEmpty else {
            return DoctorCheckResult(name: "db-least-privilege", status: .ok,
                                     message: "no service mounts the admin's password (`\(admin)`); \(postgres.roles.count) roles declared")
        }
        return DoctorCheckResult(
            name: "db-least-privilege", status: .fail,
            message: "\(offenders.joined(separator: ", ")) mount the database admin's password (docs/pain-points.md #12: every service connected as doadmin)",
            hint: "declare a role per service under `postgres.roles` with the grants it needs, and mount that role's password instead")
    }

    /// #3, #19: admin planes (Vault, Traefik's API) on a public host without TLS or authentication.
    func adminPlanes() -> DoctorCheckResult {
        var findings: [String] = []
        let vaultService = stack.vault?.server?.name ?? "vault"
        for service in stack.layers.flatMap(\.services) {
            for route in service.routes {
                let isAdmin = service.name == vaultService || service.image.contains("vault") || route.traefikService == "api@internal"
                guard isAdmin else { continue }
                if route.tls == .none { findings.append("\(service.name) route \(route.name): plain HTTP") }
                if route.traefikService == "api@internal" && !route.middlewares.contains(where: { $0.kind == "forwardauth" || $0.kind == "basicauth" }) {
                    findings.append("\(service.name) route \(route.name): Traefik's API without forward-auth or basic-auth")
                }
            }
        }
        guard !findings.isEmpty else {
            return DoctorCheckResult(name: "admin-planes", status: .ok, message: "no admin plane is routed without TLS and authentication")
        }
        return DoctorCheckResult(
            name: "admin-planes", status: .fail, message: "admin planes are exposed (docs/pain-points.md #3, #19: Vault over plain HTTP)",
            hint: "use `tls: acme` (or `default`) and a `forward_auth` middleware, or reach it over Tailscale only", details: findings)
    }

    /// #14, #16: well-known default credentials (guest/guest, admin/admin) set in the spec.
    func defaultCredentials() -> DoctorCheckResult {
        let defaults: Set<String> = ["guest", "admin", "password", "changeme", "root"]
        var findings: [String] = []
        for service in stack.layers.flatMap(\.services) {
            for variable in service.environment where defaults.contains(variable.value.lowercased()) {
                let name = variable.name.uppercased()
                if name.contains("PASS") || name.contains("SECRET") || (name.contains("USER") && variable.value.lowercased() == "guest") {
                    findings.append("\(service.name): \(variable.name) is a well-known default (\(variable.location))")
                }
            }
        }
        guard !findings.isEmpty else {
            return DoctorCheckResult(name: "default-credentials", status: .ok, message: "no well-known default credential in the spec")
        }
        return DoctorCheckResult(
            name: "default-credentials", status: .fail,
            message: "default credentials are set (docs/pain-points.md #14, #16: RabbitMQ guest/guest, Grafana admin/admin)",
            hint: "generate them (`generate: {length: 32}` under `secrets:`) and pass them as files", details: findings)
    }

    /// #6: bind mounts and bind-backed volumes need their host folders to exist on the node.
    func hostPaths() -> DoctorCheckResult {
        let missing = Set(HostDirectories.requirements(of: stack).filter { !pathExists($0.path) }.map { "\($0.path) (\($0.owner))" })
        guard !missing.isEmpty else {
            return DoctorCheckResult(name: "host-paths", status: .ok, message: "every host folder the spec binds exists here")
        }
        return DoctorCheckResult(
            name: "host-paths", status: .warn,
            message: "\(missing.count) host folders the spec binds are missing on this machine (docs/pain-points.md #6; a warning: this may not be the node)",
            hint: "run `sprocketctl node bootstrap` on the node, which creates them", details: missing.sorted())
    }

    /// #4: tokens that expire without anyone noticing.
    func vaultTokens() -> DoctorCheckResult {
        guard let tokens = stack.vault?.tokens, !tokens.isEmpty else {
            return DoctorCheckResult(name: "vault-tokens", status: .ok, message: "no `vault.tokens` declared")
        }
        var expired: [String] = []
        var soon: [String] = []
        var unminted: [String] = []
        for token in tokens {
            guard let recorded = tokenExpiries[token.name], let expiry = recorded else {
                unminted.append(token.name)
                continue
            }
            let left = expiry.timeIntervalSince(now)
            if left <= 0 {
                expired.append("\(token.name): expired \(expiry.formatted(.iso8601))")
            } else if left < token.renewalThreshold.secondsValue {
                soon.append("\(token.name): expires \(expiry.formatted(.iso8601)), within its renewal threshold")
            }
        }
        if !expired.isEmpty {
            return DoctorCheckResult(name: "vault-tokens", status: .fail, message: "Vault tokens have expired (docs/pain-points.md #4)",
                                     hint: "run `sprocketctl up`: it replaces tokens Vault no longer knows", details: expired + soon)
        }
        if !soon.isEmpty || !unminted.isEmpty {
            return DoctorCheckResult(
                name: "vault-tokens", status: .warn, message: "Vault tokens need `up` (docs/pain-points.md #4: a token expired a month later)",
                hint: "run `sprocketctl up`, which renews tokens near expiry and mints missing ones",
                details: soon + unminted.map { "\($0): not minted yet (or recorded in another state folder)" })
        }
        return DoctorCheckResult(name: "vault-tokens", status: .ok, message: "\(tokens.count) Vault tokens, none near expiry")
    }

    /// #17, #19: two environments that share one Traefik must never claim the same host or router.
    func sharedHosts() -> DoctorCheckResult {
        let diagnostics = RouteConflictDetector.diagnostics(for: environments)
        guard !diagnostics.isEmpty else {
            return DoctorCheckResult(
                name: "routes-across-environments", status: .ok,
                message: "\(environments.count) environments checked together: no host or router claimed twice")
        }
        return DoctorCheckResult(
            name: "routes-across-environments", status: .fail,
            message: "environments claim the same hosts or routers (docs/pain-points.md #17, #19: duplicate routers answered 404)",
            hint: "give each environment its own `subdomain`", details: diagnostics.map(\.description))
    }
}
