/// One thing the DNS preflight found about a hostname, with a message that says what to fix.
public struct PreflightFinding: Codable, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem; stable for `--json` consumers.
    public enum Kind: String, Codable, Sendable {
        /// The name cannot get a public certificate at all (IP literal, `localhost`, a single label).
        case notPublicName = "not-public-name"
        /// NXDOMAIN.
        case nameNotFound = "name-not-found"
        /// The name exists but has no A or AAAA record.
        case noAddress = "no-address"
        /// An A or AAAA record points somewhere other than the ingress node.
        case addressMismatch = "address-mismatch"
        /// CAA does not allow Let's Encrypt.
        case caaForbids = "caa-forbids"
        /// CAA allows Let's Encrypt with conditions (account URI, validation methods) worth checking.
        case caaConditions = "caa-conditions"
        /// A wildcard name: addresses are not checked and only DNS-01 can validate it.
        case wildcard
        /// DNS could not be asked (timeout, SERVFAIL, …) so the check is incomplete.
        case dnsFailure = "dns-failure"
        /// No ingress node address was given, so A/AAAA cannot be checked.
        case noNodeAddress = "no-node-address"
    }

    /// How much a finding matters.
    public enum Severity: String, Codable, Sendable {
        /// Blocks the production resolver.
        case error
        /// Reported; does not block.
        case warning
    }

    public var kind: Kind
    public var severity: Severity
    /// What is wrong and what to do, for people.
    public var message: String

    public init(_ kind: Kind, _ severity: Severity, _ message: String) {
        self.kind = kind
        self.severity = severity
        self.message = message
    }

    public var description: String { "\(severity): \(message)" }
}

/// The DNS preflight's verdict on one hostname for one Let's Encrypt environment.
public struct HostPreflight: Codable, Sendable, Equatable {
    /// The hostname checked, normalised (lowercase, no trailing dot).
    public var host: String
    /// The environment the verdict is for.
    public var environment: ACMEEnvironment
    /// True when the host may use that environment's resolver. Always true for staging.
    public var isAllowed: Bool
    /// The CNAME chain from `host` to the name holding the addresses; just `[host]` without CNAMEs.
    public var cnameChain: [String]
    /// The addresses the name resolves to (A then AAAA).
    public var addresses: [IPAddress]
    /// The name whose CAA record set applies (RFC 8659 tree climbing); nil when no name up the tree has CAA.
    public var caaDomain: String?
    /// The relevant CAA record set.
    public var caaRecords: [CAARecord]
    /// Problems and notes; `error` ones are why `isAllowed` is false (for production).
    public var findings: [PreflightFinding]

    /// The findings that block production, in order.
    public var errors: [PreflightFinding] { findings.filter { $0.severity == .error } }
}
