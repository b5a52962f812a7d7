import AsyncHTTPClient
import Foundation

/// Where the Docker daemon listens.
///
/// Build one with ``fromEnvironment(_:)`` from the `DOCKER_HOST` and `DOCKER_TLS_VERIFY` variables, which the CLI
/// passes in: the library itself never reads the process environment.
public enum DockerEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// A unix domain socket, such as `/var/run/docker.sock`.
    case unixSocket(path: String)
    /// A TCP address. `tls` selects HTTPS (the daemon's `--tlsverify` mode).
    case tcp(host: String, port: Int, tls: Bool)

    /// The daemon's conventional socket, used when `DOCKER_HOST` is unset.
    public static let defaultSocketPath = "/var/run/docker.sock"

    /// The forms of `DOCKER_HOST` this client accepts, quoted in error messages.
    static let acceptedForms = "unix:///path/to/docker.sock or tcp://host:port"

    /// Parses `DOCKER_HOST` (and `DOCKER_TLS_VERIFY`) the way the docker CLI does, for the forms this client supports.
    ///
    /// - `unix:///path` selects a unix socket; an unset or empty `DOCKER_HOST` means `unix:///var/run/docker.sock`.
    /// - `tcp://host:port` selects TCP; a missing port defaults to 2375, or 2376 with TLS, as in the docker CLI.
    ///   IPv6 hosts are written in brackets: `tcp://[::1]:2375`.
    /// - `DOCKER_TLS_VERIFY` set to anything but empty, `0` or `false` turns on TLS for TCP.
    ///
    /// - Parameter env: The process environment, passed in by the caller.
    /// - Returns: The endpoint to connect to.
    /// - Throws: ``DockerClientError/invalidEndpoint(_:)`` naming the value and the accepted forms.
    public static func fromEnvironment(_ env: [String: String]) throws -> DockerEndpoint {
        let tls = isTLSRequested(env["DOCKER_TLS_VERIFY"])
        guard let raw = env["DOCKER_HOST"]?.trimmingWhitespace(), !raw.isEmpty else {
            return .unixSocket(path: defaultSocketPath)
        }
        return try parse(raw, tls: tls)
    }

    /// Parses one `DOCKER_HOST` value.
    static func parse(_ raw: String, tls: Bool) throws(DockerClientError) -> DockerEndpoint {
        if raw.hasPrefix("unix://") {
            let path = String(raw.dropFirst("unix://".count))
            guard path.hasPrefix("/"), path.count > 1 else {
                throw invalid(raw, because: "a unix socket needs an absolute path")
            }
            return .unixSocket(path: path)
        }
        if raw.hasPrefix("tcp://") {
            var rest = Substring(raw.dropFirst("tcp://".count))
            // The docker CLI tolerates a trailing slash; any other path is not something the API can use.
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            return try parseTCP(rest, raw: raw, tls: tls)
        }
        throw invalid(raw, because: "unsupported scheme")
    }

    private static func parseTCP(_ rest: Substring, raw: String, tls: Bool) throws(DockerClientError) -> DockerEndpoint
    {
        let defaultPort = tls ? 2376 : 2375
        let host: Substring
        let portText: Substring?
        if rest.hasPrefix("[") {
            // Bracketed IPv6 literal, optionally followed by ":port".
            guard let close = rest.firstIndex(of: "]") else { throw invalid(raw, because: "unclosed '['") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.isEmpty {
                portText = nil
            } else if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else {
                throw invalid(raw, because: "unexpected text after the IPv6 address")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
            portText = nil
        }
        guard !host.isEmpty, !host.contains("/"), !host.contains(":") || rest.hasPrefix("[") else {
            throw invalid(raw, because: "missing or malformed host")
        }
        guard let portText else { return .tcp(host: String(host), port: defaultPort, tls: tls) }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw invalid(raw, because: "the port must be a number from 1 to 65535")
        }
        return .tcp(host: String(host), port: port, tls: tls)
    }

    private static func invalid(_ raw: String, because reason: String) -> DockerClientError {
        .invalidEndpoint(
            "DOCKER_HOST=\"\(raw)\" is not usable (\(reason)); expected \(acceptedForms)"
        )
    }

    /// The docker CLI treats any non-empty `DOCKER_TLS_VERIFY` as "on"; "0" and "false" are accepted as "off"
    /// because users write them expecting exactly that.
    private static func isTLSRequested(_ value: String?) -> Bool {
        guard let value = value?.trimmingWhitespace().lowercased(), !value.isEmpty else { return false }
        return value != "0" && value != "false"
    }

    /// The endpoint as a `DOCKER_HOST`-style string, with " (TLS)" appended for TLS TCP endpoints.
    public var description: String {
        switch self {
        case .unixSocket(let path):
            return "unix://\(path)"
        case .tcp(let host, let port, let tls):
            return "tcp://\(hostForURL(host)):\(port)" + (tls ? " (TLS)" : "")
        }
    }

    /// The value for the HTTP `Host` header. dockerd (Go net/http) rejects HTTP/1.1 requests without one, and
    /// AsyncHTTPClient sends none on unix sockets, so the client always sets it.
    var hostHeader: String {
        switch self {
        case .unixSocket:
            return "localhost"
        case .tcp(let host, let port, _):
            return "\(hostForURL(host)):\(port)"
        }
    }

    /// Builds the absolute URL for a request URI such as `/v1.41/info?x=1`, or nil if no valid URL results.
    func url(forURI uri: String) -> String? {
        switch self {
        case .unixSocket(let path):
            // AsyncHTTPClient reads the percent-encoded socket path from the host part of an http+unix URL.
            return URL(httpURLWithSocketPath: path, uri: uri)?.absoluteString
        case .tcp(let host, let port, let tls):
            return "\(tls ? "https" : "http")://\(hostForURL(host)):\(port)\(uri)"
        }
    }
}

/// IPv6 literals need brackets in URLs and Host headers.
private func hostForURL(_ host: String) -> String {
    host.contains(":") ? "[\(host)]" : host
}

extension String {
    func trimmingWhitespace() -> String {
        trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
