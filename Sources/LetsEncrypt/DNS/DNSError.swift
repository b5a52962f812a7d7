import Foundation

/// Everything that can go wrong resolving a name, each naming the server asked and what to do.
public enum DNSError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// NXDOMAIN: the name does not exist.
    case nameNotFound(name: String, server: String)
    /// SERVFAIL: the server could not resolve the name (often broken DNSSEC or an unreachable authoritative server).
    case serverFailure(name: String, type: DNSRecordType, server: String)
    /// Any other non-zero RCODE (REFUSED, NOTIMP, FORMERR…).
    case unexpectedResponseCode(DNSResponseCode, name: String, type: DNSRecordType, server: String)
    /// No answer within the timeout, after every attempt.
    case timeout(name: String, type: DNSRecordType, server: String, attempts: Int, timeout: Duration)
    /// The server answered with something that is not a valid DNS response to our question.
    case malformedResponse(server: String, detail: String)
    /// Sending or receiving failed (connection refused over TCP, no route, socket error).
    case transport(server: String, reason: String)
    /// A CNAME chain that loops or is longer than the resolver follows.
    case cnameChainTooLong(name: String, chain: [String])
    /// The name cannot be asked about (empty label, too long).
    case invalidName(String, reason: String)
    /// The DNS server address cannot be used.
    case invalidServer(String, reason: String)
    /// A resolv.conf or hosts file cannot be read or names no server.
    case configuration(path: String, reason: String)

    public var description: String {
        switch self {
        case .nameNotFound(let name, let server):
            "\(name) does not exist in DNS (NXDOMAIN from \(server)): create the record at your DNS provider, "
                + "or check the spelling of the hostname"
        case .serverFailure(let name, let type, let server):
            "DNS server \(server) could not resolve \(type) \(name) (SERVFAIL): the domain's name servers may be "
                + "unreachable or its DNSSEC broken; try again, or check the domain at your DNS provider"
        case .unexpectedResponseCode(let code, let name, let type, let server):
            "DNS server \(server) answered \(code) for \(type) \(name): use a resolver that allows recursive "
                + "queries from this host (pass another server)"
        case .timeout(let name, let type, let server, let attempts, let timeout):
            "DNS server \(server) did not answer \(type) \(name) within \(timeout) (\(attempts) attempts): "
                + "check that it is reachable on UDP and TCP port 53, or pass another server"
        case .malformedResponse(let server, let detail):
            "DNS server \(server) sent a malformed response: \(detail)"
        case .transport(let server, let reason):
            "Cannot talk to DNS server \(server): \(reason)"
        case .cnameChainTooLong(let name, let chain):
            "The CNAME chain of \(name) loops or is too long (\(chain.joined(separator: " → "))): fix the CNAME records"
        case .invalidName(let name, let reason):
            "Cannot look up \"\(name)\": \(reason)"
        case .invalidServer(let server, let reason):
            "Cannot use DNS server \"\(server)\": \(reason)"
        case .configuration(let path, let reason):
            "\(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
