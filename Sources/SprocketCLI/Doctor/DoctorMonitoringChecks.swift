import Foundation
import SprocketCore

/// `doctor`'s check that monitoring watches what this environment serves (docs/pain-points.md #26: Gatus watched stale
/// hostnames and old IPs, so it stayed green while the real endpoints were down). Pure over the rendered configs.
///
/// Only a Gatus configuration can be read this way (its `url:` keys); other monitors (Telegraf, Prometheus) take
/// their targets from discovery or plugins whose configs do not say which host is meant, so they are not checked.
struct DoctorMonitoringChecks {
    var stack: StackSpec

    /// Configs mounted by a Gatus service, or named like one.
    private var monitoringConfigs: [ConfigSpec] {
        let gatusServices = stack.layers.flatMap(\.services).filter { $0.image.lowercased().contains("gatus") }
        let mounted = Set(gatusServices.flatMap(\.configs).map(\.source))
        return stack.layers.flatMap(\.configs).filter { mounted.contains($0.name) || $0.name.lowercased().contains("gatus") }
    }

    /// Hosts this environment answers on: every route URL's host, every service name and network alias (Docker's
    /// DNS), and loopback.
    private var knownHosts: Set<String> {
        var hosts: Set<String> = ["localhost", "127.0.0.1", "::1"]
        for entry in RouteEntry.entries(of: stack) {
            for url in entry.urls { if let host = URL(string: url)?.host { hosts.insert(host.lowercased()) } }
        }
        for service in stack.layers.flatMap(\.services) {
            hosts.insert(service.name.lowercased())
            for network in service.networks { hosts.formUnion(network.aliases.map { $0.lowercased() }) }
        }
        if let vault = stack.vault?.server { hosts.insert(vault.name.lowercased()) }
        return hosts
    }

    func watchedHosts() -> DoctorCheckResult {
        let name = "monitoring-targets"
        let configs = monitoringConfigs
        guard !configs.isEmpty else { return DoctorCheckResult(name: name, status: .ok, message: "no Gatus configuration in the stack") }
        let known = knownHosts
        var findings: [String] = []
        var watched = 0
        for config in configs {
            for url in Self.watchedURLs(in: String(decoding: config.content ?? [], as: UTF8.self)) {
                guard let host = URL(string: url)?.host?.lowercased(), !host.isEmpty else { continue }
                watched += 1
                if !known.contains(host) {
                    findings.append("config \(config.name): \(Self.withoutCredentials(url)) — no route or service of \(stack.environment) answers on \(host)")
                }
            }
        }
        return .judging(
            name, findings, passed: "Gatus watches \(watched) URLs, all served by this environment", status: .warn,
            message: { "\($0) monitored URLs are not served by \(stack.environment) (docs/pain-points.md #26: Gatus watched stale hosts and IPs)" },
            hint: "derive each URL from the settings in the config template (`https://api.{{public_host}}/healthz`) so it follows the routes, "
                + "or watch the service by its name on a shared network")
    }

    /// The URL without `user:password@`, so a finding never prints a credential written into it.
    static func withoutCredentials(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else { return url }
        components.user = nil
        components.password = nil
        return components.string ?? url
    }

    /// The values of `url:` keys (YAML block or flow style), without variables the monitor expands itself (`${X}`).
    static func watchedURLs(in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: #"\burl\s*:\s*["']?([A-Za-z][A-Za-z0-9+.-]*://[^"'\s,}]+)"#) else { return [] }
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }.filter { !$0.contains("${") }
    }
}
