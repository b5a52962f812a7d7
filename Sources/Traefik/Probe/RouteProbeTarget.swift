/// One route to request through Traefik's entry points: where to connect, and which name to ask for.
public struct RouteProbeTarget: Sendable, Equatable, Codable {
    /// `http` (entry point `web`, port 80) or `https` (`websecure`, port 443).
    public enum Scheme: String, Sendable, Codable {
        case http, https
    }

    /// The scheme.
    public var scheme: Scheme
    /// The name in `Host` and SNI, e.g. `app.example.com` or `app.localhost`; nil for an IP route, which gets the
    /// address as `Host` and no SNI.
    public var host: String?
    /// The node address to connect to (IP or resolvable name): the ingress node, not whatever `host` resolves to.
    public var address: String
    /// The TCP port (80 or 443 unless Traefik listens elsewhere).
    public var port: Int
    /// The request path, e.g. `/` or `/api/health`.
    public var path: String

    /// Creates a target; the port defaults to the scheme's (80 or 443).
    public init(scheme: Scheme, host: String?, address: String, port: Int? = nil, path: String = "/") {
        self.scheme = scheme
        self.host = host
        self.address = address
        self.port = port ?? (scheme == .https ? 443 : 80)
        self.path = path.hasPrefix("/") ? path : "/" + path
    }

    /// The `Host` header: the name (or the address for IP routes), with the port when it is not the scheme's.
    public var hostHeader: String {
        let name = host ?? address
        let bracketed = name.contains(":") ? "[\(name)]" : name
        let isDefaultPort = port == (scheme == .https ? 443 : 80)
        return isDefaultPort ? bracketed : "\(bracketed):\(port)"
    }

    /// The SNI name: the host for TLS routes, nil for IP routes and IP-literal hosts (SNI may not carry an IP).
    public var serverName: String? {
        guard scheme == .https, let host, !Self.isIPLiteral(host) else { return nil }
        return host
    }

    /// `https://app.example.com/ via 203.0.113.7:443`.
    public var label: String {
        "\(scheme.rawValue)://\(hostHeader)\(path) via \(address.contains(":") ? "[\(address)]" : address):\(port)"
    }

    /// True for dotted IPv4 and for IPv6 (anything with a colon).
    static func isIPLiteral(_ text: String) -> Bool {
        if text.contains(":") { return true }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in UInt8(part).map { _ in true } ?? false }
    }
}
