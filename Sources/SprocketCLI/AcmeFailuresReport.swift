import Foundation
import LetsEncrypt

/// What `acme failures` found, as printed and as its `--json` document.
struct AcmeFailuresReport: Encodable {
    /// The Docker service whose log was read.
    var traefikService: String?
    var ledgerPath: String
    /// One entry per host with failed orders.
    var hosts: [ACMEHostFailures]
    /// How many failed orders were newly added to the ledger by this run.
    var recorded: Int

    func render(checked: [String], to console: Console) {
        let failing = Set(hosts.map(\.host))
        for entry in hosts {
            var line = "\(entry.host): no certificate: \(entry.failedOrders) failed order\(entry.failedOrders == 1 ? "" : "s") "
                + "in \(traefikService ?? "Traefik")'s log, the last at \(Self.timestamp(entry.last))"
            let origin = [entry.resolver.map { "resolver \($0)" }, entry.caServer.map { "CA \($0)" }, entry.router.map { "router \($0)" }]
                .compactMap { $0 }
            if !origin.isEmpty { line += " (\(origin.joined(separator: ", ")))" }
            console.out(line)
            console.out("  the CA said: \(entry.reason)")
            console.out("  what to do: \(entry.remedy)")
        }
        for host in checked where !failing.contains(host) {
            console.out("\(host): no failed order in \(traefikService ?? "Traefik")'s log")
        }
        if recorded > 0 {
            console.out("ledger \(ledgerPath): \(recorded) failed validation\(recorded == 1 ? "" : "s") newly recorded "
                + "(`acme check` counts them against Let's Encrypt's limits)")
        }
    }

    private static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
