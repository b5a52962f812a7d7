import Foundation
import SprocketCore

/// `doctor` checks of what a service is given against what it uses: a config mounted but never read (docs/pain-points.md #27)
/// and addresses written as numbers where a service name or setting belongs (docs/pain-points.md #15, #22). Pure over the spec.
struct DoctorConfigUsageChecks {
    var stack: StackSpec

    func all() -> [DoctorCheckResult] { [unreferencedConfigs(), hardCodedAddresses()] }

    /// #27: `redis.conf` was mounted, but `redis-server` ran without it, so none of its settings applied. Which file
    /// an image reads by default cannot be known from the spec, so only a service that sets its own command or
    /// entrypoint is checked: then some argument (or an environment value, for `CONFIG_PATH`-style variables) must
    /// name the file, its folder, or, relative to the working directory, its file name.
    func unreferencedConfigs() -> DoctorCheckResult {
        var findings: [String] = []
        for service in stack.layers.flatMap(\.services) where service.command != nil || service.entrypoint != nil {
            let texts = (service.entrypoint ?? []) + (service.command ?? []) + service.environment.map(\.value)
            for reference in service.configs {
                let target = reference.target ?? "/\(reference.source)"
                if !Self.mentions(target, in: texts, workingDirectory: service.workingDirectory) {
                    findings.append(
                        "\(service.name): config \(reference.source) is mounted at \(target), but its command never names it (\(reference.location))")
                }
            }
        }
        return .judging(
            "unused-configs", findings, passed: "every config mounted into a service with its own command is named by that command", status: .warn,
            message: { "\($0) mounted configs are not passed to their service's command (docs/pain-points.md #27: redis.conf was "
                + "mounted but redis-server ran with its defaults)" },
            hint: "pass the path to the program (e.g. `command: [redis-server, /usr/local/etc/redis/redis.conf]`), or remove the config; "
                + "if the program reads it from that path by itself, mount it without overriding the command")
    }

    /// Folders shared by every program, so a command under one of them says nothing about a config under another.
    static let systemFolders: Set<String> = ["/etc", "/usr", "/run", "/var", "/tmp", "/opt", "/bin", "/sbin", "/lib", "/home", "/root", "/srv", "/data"]

    /// Whether the command can be reading the config: it names the file or its folder; or the config is inside the
    /// working directory, or inside the application folder the command runs from (`node /app/core/main.js` with
    /// `/app/config/production.json`: such programs find their config relative to themselves).
    static func mentions(_ target: String, in texts: [String], workingDirectory: String?) -> Bool {
        let folder = (target as NSString).deletingLastPathComponent
        if let workingDirectory, target.hasPrefix((workingDirectory as NSString).standardizingPath + "/") { return true }
        let components = target.split(separator: "/")
        let applicationRoot = components.count > 2 ? "/\(components[0])/" : nil
        return texts.contains { text in
            if text.contains(target) { return true }
            if folder != "/", !folder.isEmpty, text.contains(folder) { return true }
            guard let applicationRoot, !systemFolders.contains(String(applicationRoot.dropLast())) else { return false }
            return text.contains(applicationRoot)
        }
    }

    /// #15, #22: a gateway address (`172.18.0.1`, docker_gwbridge) or a node's IP written into environment, a command
    /// or a config breaks when the network is recreated or the node changes. Addresses equal to a setting's value
    /// (`lan_ip`, `public_ip`, …) are derived and not reported; loopback, any-address and CIDR ranges are not hosts.
    func hardCodedAddresses() -> DoctorCheckResult {
        let settingValues = Set(stack.settings.names.compactMap { stack.settings[$0]?.description })
            .union(stack.routing.publicAddresses).union([stack.routing.lanAddress, stack.routing.tailscaleAddress].compactMap { $0 })
        var findings: [String] = []
        func scan(_ text: String, _ place: String) {
            for address in Self.ipv4Addresses(in: text) where !settingValues.contains(address) {
                let gateway = address.hasPrefix("172.") && address.hasSuffix(".0.1") ? " (a Docker bridge gateway, e.g. docker_gwbridge)" : ""
                findings.append("\(place): \(address)\(gateway)")
            }
        }
        for service in stack.layers.flatMap(\.services) {
            for variable in service.environment { scan(variable.value, "\(service.name) environment \(variable.name) (\(variable.location))") }
            scan(((service.entrypoint ?? []) + (service.command ?? [])).joined(separator: " "), "\(service.name) command (\(service.location))")
            if let logging = service.logging {
                for (key, value) in logging.options.sorted(by: { $0.key < $1.key }) { scan(value, "\(service.name) logging \(key) (\(service.location))") }
            }
        }
        for layer in stack.layers {
            for config in layer.configs {
                if case .generated = config.source { continue }
                scan(String(decoding: config.content ?? [], as: UTF8.self), "config \(config.name) (\(config.location))")
            }
        }
        return .judging(
            "hard-coded-addresses", findings, passed: "no IP address written into environment, commands or configs outside the settings", status: .warn,
            message: { "\($0) IP addresses are written by hand (docs/pain-points.md #15, #22: a hard-coded docker_gwbridge 172.18.0.1 "
                + "broke logging, stale IPs in Gatus)" },
            hint: "use the service name on a shared network (Docker's DNS), or a setting (`${lan_ip}`) so each environment says it once")
    }

    /// IPv4 addresses in `text`, except loopback, 0.0.0.0, broadcast and netmasks, and ranges written as CIDR.
    static func ipv4Addresses(in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: #"(?<![0-9.])((?:[0-9]{1,3}\.){3}[0-9]{1,3})(?![0-9.]|/[0-9])"#) else { return [] }
        var found: [String] = []
        for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range(at: 1), in: text) else { continue }
            let address = String(text[range])
            let octets = address.split(separator: ".").compactMap { Int($0) }
            guard octets.count == 4, octets.allSatisfy({ $0 <= 255 }), octets[0] != 127, octets[0] != 0, octets[0] != 255,
                !found.contains(address)
            else { continue }
            found.append(address)
        }
        return found
    }
}
