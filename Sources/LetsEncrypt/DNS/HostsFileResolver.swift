import Foundation

/// Answers A and AAAA questions from a hosts-format file (`203.0.113.9 app.example.com www.example.com`), and
/// passes everything else (other names, CAA) to an optional fallback resolver.
///
/// Use it to override DNS locally: to preflight a name before its records are published, or in tests.
public struct HostsFileResolver: DNSResolver {
    /// The file the entries came from (named in messages).
    public let path: String
    /// Normalised host name → addresses, in file order.
    public let entries: [String: [IPAddress]]
    private let fallback: (any DNSResolver)?

    /// Reads and parses `path` now.
    /// - Parameters:
    ///   - path: a file in `/etc/hosts` format; `#` starts a comment.
    ///   - fallback: asked for names the file does not list and for every type other than A and AAAA; without
    ///     one, such names are NXDOMAIN and other types have no records.
    /// - Throws: ``DNSError/configuration(path:reason:)`` naming `path:line` for an unreadable file or bad address.
    public init(path: String, fallback: (any DNSResolver)? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DNSError.configuration(path: path, reason: "cannot read the hosts file; check the path")
        }
        try self.init(contents: String(decoding: data, as: UTF8.self), path: path, fallback: fallback)
    }

    /// Parses hosts-format `contents`; `path` only names the source in messages.
    /// - Throws: ``DNSError/configuration(path:reason:)`` naming `path:line` for a bad address.
    public init(contents: String, path: String = "<hosts>", fallback: (any DNSResolver)? = nil) throws {
        var entries: [String: [IPAddress]] = [:]
        for (index, rawLine) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = fields.first else { continue }
            guard let address = IPAddress(String(first)) else {
                throw DNSError.configuration(
                    path: "\(path):\(index + 1)", reason: "\"\(first)\" is not an IP address; write `ADDRESS NAME…`")
            }
            guard fields.count >= 2 else {
                throw DNSError.configuration(path: "\(path):\(index + 1)", reason: "\(address) is followed by no name")
            }
            for name in fields.dropFirst() {
                let key = DNSName.normalize(String(name))
                if entries[key]?.contains(address) != true { entries[key, default: []].append(address) }
            }
        }
        self.path = path
        self.entries = entries
        self.fallback = fallback
    }

    public var serverDescription: String {
        fallback.map { "\(path) (then \($0.serverDescription))" } ?? path
    }

    public func query(_ name: String, type: DNSRecordType) async throws -> [DNSResourceRecord] {
        let key = DNSName.normalize(name)
        guard let addresses = entries[key], type == .a || type == .aaaa else {
            if let fallback { return try await fallback.query(key, type: type) }
            if entries[key] != nil { return [] }
            throw DNSError.nameNotFound(name: key, server: path)
        }
        return addresses.compactMap { address in
            switch (type, address) {
            case (.a, .v4): DNSResourceRecord(name: key, ttl: 0, data: .a(address))
            case (.aaaa, .v6): DNSResourceRecord(name: key, ttl: 0, data: .aaaa(address))
            default: nil
            }
        }
    }
}
