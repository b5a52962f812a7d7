import Foundation

/// Reads the HTTP routers, services and middlewares that a set of service labels defines, the way
/// Traefik's label parser groups them: `traefik.http.<kind>.<name>.<option path>=<value>`, option
/// paths case-insensitive.
public struct TraefikLabelReader: Sendable {
    /// One resource (router, service or middleware) and its options, keyed by lower-case option path.
    public struct Resource: Sendable, Hashable {
        public var name: String
        public var options: [String: String]
        /// The label key of each option, to find where it is written.
        public var labelKeys: [String: String]
    }

    public var routers: [String: Resource] = [:]
    public var services: [String: Resource] = [:]
    public var middlewares: [String: Resource] = [:]

    public init(labels: [String: String]) {
        for (key, value) in labels {
            let parts = key.split(separator: ".", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 5, parts[0].lowercased() == "traefik", parts[1].lowercased() == "http" else { continue }
            let (name, option) = (parts[3], parts[4].lowercased())
            switch parts[2].lowercased() {
            case "routers": Self.add(&routers, name: name, option: option, value: value, key: key)
            case "services": Self.add(&services, name: name, option: option, value: value, key: key)
            case "middlewares": Self.add(&middlewares, name: name, option: option, value: value, key: key)
            default: continue
            }
        }
    }

    private static func add(_ resources: inout [String: Resource], name: String, option: String, value: String, key: String) {
        resources[name, default: Resource(name: name, options: [:], labelKeys: [:])].options[option] = value
        resources[name]?.labelKeys[option] = key
    }
}

extension TraefikLabelReader.Resource {
    /// A router's entry points; empty means every entry point.
    var entryPoints: [String] {
        (options["entrypoints"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A router's explicit priority; nil when absent or 0 (Traefik's default).
    var priority: Int? {
        options["priority"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0 == 0 ? nil : $0 }
    }
}
