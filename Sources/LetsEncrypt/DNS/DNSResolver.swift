/// Something that answers DNS questions: the network (``UDPDNSResolver``), a hosts file (``HostsFileResolver``),
/// or a test double.
public protocol DNSResolver: Sendable {
    /// A human name for the source of answers (`10.0.0.53:53`, `/etc/hosts`), used in messages.
    var serverDescription: String { get }

    /// Asks one question and returns the answer section as the source gave it (CNAME records included).
    ///
    /// An empty result means the name exists but has no record of that type (NODATA).
    /// - Throws: ``DNSError``; ``DNSError/nameNotFound(name:server:)`` for NXDOMAIN.
    func query(_ name: String, type: DNSRecordType) async throws -> [DNSResourceRecord]
}

/// The outcome of resolving a name: the CNAME chain walked and the records found at its end.
public struct DNSResolution: Sendable, Equatable {
    /// The name asked about.
    public var name: String
    /// Every name visited, starting with `name`; longer than one when CNAMEs were followed.
    public var chain: [String]
    /// The records of the requested type owned by the last name of the chain.
    public var records: [DNSRecordData]

    /// The name the records belong to (the end of the CNAME chain).
    public var canonicalName: String { chain.last ?? name }
}

extension DNSResolver {
    /// The most CNAME hops followed before giving up.
    public static var maximumCNAMEHops: Int { 8 }

    /// Resolves `name` for `type`, following CNAME chains: those included in the answer, and by asking again
    /// for the target when the source stopped at a CNAME.
    /// - Throws: ``DNSError``; NXDOMAIN of the name (or of a CNAME target) as ``DNSError/nameNotFound(name:server:)``.
    public func resolve(_ name: String, type: DNSRecordType) async throws -> DNSResolution {
        let start = DNSName.normalize(name)
        if let problem = DNSName.problem(with: start) { throw DNSError.invalidName(name, reason: problem) }
        var chain = [start]
        var records = try await query(start, type: type)
        if type == .cname {
            return DNSResolution(name: start, chain: chain, records: records.filter { $0.type == .cname }.map(\.data))
        }
        var lastAsked = start
        var questions = 1
        while true {
            let current = try followCNAMEs(in: records, chain: &chain)
            let found = records.filter { $0.type == type && DNSName.normalize($0.name) == current }.map(\.data)
            if !found.isEmpty || current == lastAsked {
                return DNSResolution(name: start, chain: chain, records: found)
            }
            // The answer stopped at a CNAME target without its records: ask for the target itself.
            guard questions <= Self.maximumCNAMEHops else {
                throw DNSError.cnameChainTooLong(name: start, chain: chain)
            }
            lastAsked = current
            records = try await query(current, type: type)
            questions += 1
        }
    }

    /// Walks the CNAME records in `records` from the end of `chain`, appending each target; returns the last name.
    private func followCNAMEs(in records: [DNSResourceRecord], chain: inout [String]) throws -> String {
        guard var current = chain.last else { return "" }
        while let next = records.first(where: { DNSName.normalize($0.name) == current && $0.type == .cname }),
            case .cname(let target) = next.data
        {
            let normalized = DNSName.normalize(target)
            guard !chain.contains(normalized), chain.count <= Self.maximumCNAMEHops else {
                throw DNSError.cnameChainTooLong(name: chain[0], chain: chain + [normalized])
            }
            chain.append(normalized)
            current = normalized
        }
        return current
    }

    /// The IPv4 and IPv6 addresses of `name` (A and AAAA, CNAMEs followed), IPv4 first.
    /// - Throws: ``DNSError``; NXDOMAIN when the name does not exist.
    public func addresses(of name: String) async throws -> [IPAddress] {
        let v4 = try await resolve(name, type: .a)
        let v6 = try await resolve(name, type: .aaaa)
        return (v4.records + v6.records).compactMap { data in
            switch data {
            case .a(let address), .aaaa(let address): address
            default: nil
            }
        }
    }
}
