import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension TraefikSwarm {
    /// A plain HTTP/1.0 response as sent: status, headers (name and value as written), body.
    public struct Reply: Sendable, CustomStringConvertible {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: String

        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        public var description: String { "HTTP \(status) \(headers.map { "\($0.name): \($0.value)" }) \(body.prefix(300))" }
    }

    /// Sends `GET path` with `Host: host` (and `headers`, written verbatim, so a test can send `X_User`) to
    /// `address:port` over plain HTTP; nil when nothing answered. Only loopback addresses are used by the tests.
    public static func request(
        address: String, port: Int, host: String, path: String = "/", headers: [(String, String)] = []
    ) -> Reply? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else { return nil }
        let connected = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        var text = "GET \(path) HTTP/1.0\r\nHost: \(host)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        let request = Array((text + "\r\n").utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        let reply = String(decoding: received, as: UTF8.self)
        guard let split = reply.range(of: "\r\n\r\n") else { return nil }
        let head = reply[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let statusLine = head.first else { return nil }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        let headers = head.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Reply(status: status, headers: headers, body: String(reply[split.upperBound...]))
    }

    /// ``request(address:port:host:path:headers:)`` on this Traefik's `web` entry point, repeated until the answer
    /// is not Traefik's 404 for an unknown route (the provider picks new services up within ~15 s) or `timeout`.
    public func waitForRoute(
        address: String = "127.0.0.1", host: String, path: String = "/", headers: [(String, String)] = [], timeout: Duration = .seconds(60)
    ) async -> Reply? {
        let deadline = ContinuousClock.now + timeout
        var last: Reply?
        while ContinuousClock.now < deadline {
            last = Self.request(address: address, port: httpPort, host: host, path: path, headers: headers)
            if let last, last.status != 404 || !last.body.contains("404 page not found") { return last }
            try? await Task.sleep(for: .milliseconds(500))
        }
        return last
    }

    /// An htpasswd line Traefik's basic auth accepts (`{SHA}` scheme), for a test user only.
    public static func htpasswdLine(user: String, password: String) -> String {
        "\(user):{SHA}" + Data(Insecure.SHA1.hash(data: Data(password.utf8))).base64EncodedString()
    }
}
