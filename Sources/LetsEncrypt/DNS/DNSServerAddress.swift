import Foundation

/// Where to send DNS queries: an IP address and a port.
public struct DNSServerAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public var address: IPAddress
    public var port: Int

    public init(address: IPAddress, port: Int = 53) {
        self.address = address
        self.port = port
    }

    /// Parses `203.0.113.53`, `203.0.113.53:5353`, `2001:db8::53` or `[2001:db8::53]:5353` (port 53 when omitted).
    /// - Throws: ``DNSError/invalidServer(_:reason:)`` for host names (a resolver needs an IP address) and bad ports.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var host = trimmed
        var portText: String?
        if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
            host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            if rest.hasPrefix(":") { portText = String(rest.dropFirst()) } else if !rest.isEmpty {
                throw DNSError.invalidServer(text, reason: "expected [address]:port")
            }
        } else if trimmed.filter({ $0 == ":" }).count == 1, let colon = trimmed.firstIndex(of: ":") {
            host = String(trimmed[..<colon])
            portText = String(trimmed[trimmed.index(after: colon)...])
        }
        guard let address = IPAddress(host) else {
            throw DNSError.invalidServer(text, reason: "not an IP address; give the resolver's IPv4 or IPv6 address")
        }
        var port = 53
        if let portText {
            guard let parsed = Int(portText), (1...65535).contains(parsed) else {
                throw DNSError.invalidServer(text, reason: "port must be a number from 1 to 65535")
            }
            port = parsed
        }
        self.init(address: address, port: port)
    }

    /// The first `nameserver` line of a resolv.conf file (`/etc/resolv.conf` by default).
    /// - Throws: ``DNSError/configuration(path:reason:)`` when the file cannot be read or names no usable server.
    public static func systemDefault(resolvConf path: String = "/etc/resolv.conf") throws -> DNSServerAddress {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DNSError.configuration(path: path, reason: "cannot read it; pass a DNS server explicitly (host:port)")
        }
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            // A scoped IPv6 address (fe80::1%eth0) cannot be used here; skip it and try the next line.
            if let address = IPAddress(String(fields[1])) { return DNSServerAddress(address: address) }
        }
        throw DNSError.configuration(path: path, reason: "no usable nameserver line; pass a DNS server explicitly")
    }

    /// `203.0.113.53:53` or `[2001:db8::53]:53`.
    public var description: String {
        address.isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
