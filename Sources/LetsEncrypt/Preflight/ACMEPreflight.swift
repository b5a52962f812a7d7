/// The DNS checks a hostname must pass before it may use the production Let's Encrypt resolver.
///
/// - A and AAAA (CNAMEs followed) must point only at the ingress node's public addresses: Let's Encrypt validates
///   over HTTP-01/TLS-ALPN-01 against what DNS says, and prefers IPv6 when an AAAA record exists.
/// - The relevant CAA record set (RFC 8659: the first name up the tree that has CAA records) must have no `issue`
///   records or allow `letsencrypt.org` (`issuewild` first for wildcard names).
///
/// Every failed check becomes a ``PreflightFinding`` whose message says what to change. For staging, failures
/// are downgraded to warnings: staging is always allowed (its limits are high), but the staging order will fail
/// for the same reasons.
public struct ACMEPreflight: Sendable {
    /// Where DNS answers come from.
    public var resolver: any DNSResolver
    /// The ingress node's public addresses (IPv4 and/or IPv6) that every A/AAAA record must point at.
    public var nodeAddresses: [IPAddress]
    /// The CAA issuer domain to look for.
    public var issuer: String

    public init(resolver: any DNSResolver, nodeAddresses: [IPAddress], issuer: String = LetsEncrypt.caaIssuerDomain) {
        self.resolver = resolver
        self.nodeAddresses = nodeAddresses
        self.issuer = issuer
    }

    /// Checks each host (concurrently) and returns the verdicts in the order of `hosts`.
    public func check(_ hosts: [String], for environment: ACMEEnvironment) async -> [HostPreflight] {
        await withTaskGroup(of: (Int, HostPreflight).self) { group in
            for (index, host) in hosts.enumerated() {
                group.addTask { (index, await check(host, for: environment)) }
            }
            var results: [(Int, HostPreflight)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Checks one host. Never throws: DNS failures become ``PreflightFinding/Kind/dnsFailure`` findings.
    public func check(_ rawHost: String, for environment: ACMEEnvironment) async -> HostPreflight {
        let host = DNSName.normalize(rawHost)
        var result = HostPreflight(host: host, environment: environment, isAllowed: true, cnameChain: [host],
                                   addresses: [], caaDomain: nil, caaRecords: [], findings: [])
        if let reason = Self.whyNotPublic(host) {
            result.findings.append(PreflightFinding(
                .notPublicName, .error,
                "\(host) \(reason): Let's Encrypt cannot issue for it; serve it with the local or LAN access "
                    + "profile (no ACME) instead"))
        } else {
            let isWildcard = host.hasPrefix("*.")
            let base = isWildcard ? String(host.dropFirst(2)) : host
            if isWildcard {
                result.findings.append(PreflightFinding(
                    .wildcard, .warning,
                    "\(host) is a wildcard: only the DNS-01 challenge can validate it, so its addresses are not checked"))
            } else {
                await checkAddresses(of: base, into: &result)
            }
            await checkCAA(of: base, isWildcard: isWildcard, into: &result)
        }
        if environment == .staging {
            result.findings = result.findings.map { PreflightFinding($0.kind, .warning, $0.message) }
        }
        result.isAllowed = result.errors.isEmpty
        return result
    }

    private func checkAddresses(of host: String, into result: inout HostPreflight) async {
        let fix = Self.fix(pointing: nodeAddresses)
        do {
            let v4 = try await resolver.resolve(host, type: .a)
            let v6 = try await resolver.resolve(host, type: .aaaa)
            result.cnameChain = v4.chain.count >= v6.chain.count ? v4.chain : v6.chain
            result.addresses = (v4.records + v6.records).compactMap(Self.address(in:))
        } catch DNSError.nameNotFound(let name, let server) {
            let subject = name == host ? host : "\(host) (via CNAME to \(name))"
            result.findings.append(PreflightFinding(
                .nameNotFound, .error, "\(subject) does not exist in DNS (NXDOMAIN from \(server)): \(fix)"))
            return
        } catch {
            result.findings.append(PreflightFinding(
                .dnsFailure, .error, "could not check the addresses of \(host): \(error)"))
            return
        }
        guard !nodeAddresses.isEmpty else {
            result.findings.append(PreflightFinding(
                .noNodeAddress, .error,
                "no public address of the ingress node was given, so \(host) cannot be checked: give the node's "
                    + "public IPv4 (and IPv6) address"))
            return
        }
        let via = result.cnameChain.count > 1 ? " (via CNAME \(result.cnameChain.dropFirst().joined(separator: " → ")))" : ""
        guard !result.addresses.isEmpty else {
            result.findings.append(PreflightFinding(
                .noAddress, .error, "\(host)\(via) has no A or AAAA record: \(fix)"))
            return
        }
        for isIPv6 in [false, true] {
            let stray = result.addresses.filter { $0.isIPv6 == isIPv6 && !nodeAddresses.contains($0) }
            guard !stray.isEmpty else { continue }
            result.findings.append(PreflightFinding(
                .addressMismatch, .error, mismatchMessage(host: host + via, stray: stray, isIPv6: isIPv6)))
        }
    }

    private func mismatchMessage(host: String, stray: [IPAddress], isIPv6: Bool) -> String {
        let record = isIPv6 ? "AAAA" : "A"
        let nodeSameFamily = nodeAddresses.filter { $0.isIPv6 == isIPv6 }
        let seen = stray.map(\.description).joined(separator: ", ")
        guard !nodeSameFamily.isEmpty else {
            return "\(host) resolves to \(seen), but this node has no IPv\(isIPv6 ? 6 : 4) address "
                + "(\(Self.list(nodeAddresses))): remove the \(record) record, or give the node's IPv\(isIPv6 ? 6 : 4) "
                + "address" + (isIPv6 ? " (Let's Encrypt prefers IPv6 and would validate against \(seen))" : "")
        }
        return "\(host) resolves to \(seen), not this node's \(Self.list(nodeSameFamily)): point the \(record) "
            + "record at \(Self.list(nodeSameFamily))"
    }

    private func checkCAA(of base: String, isWildcard: Bool, into result: inout HostPreflight) async {
        do {
            guard let (domain, records) = try await relevantCAASet(for: base) else { return }
            result.caaDomain = domain
            result.caaRecords = records
            let evaluation = CAAEvaluation(issuer: issuer)
            result.findings += evaluation.findings(records: records, domain: domain, isWildcard: isWildcard)
        } catch {
            result.findings.append(PreflightFinding(
                .dnsFailure, .error, "could not check the CAA records of \(base): \(error)"))
        }
    }

    /// RFC 8659 §3: the CAA records of the name itself, else of its parent, and so on up to (not including) the
    /// root. CNAMEs are followed at each level; a name that does not exist has no records.
    func relevantCAASet(for name: String) async throws -> (domain: String, records: [CAARecord])? {
        var current: String? = name
        while let candidate = current {
            let records: [CAARecord]
            do {
                records = try await resolver.resolve(candidate, type: .caa).records.compactMap {
                    if case .caa(let caa) = $0 { return caa }
                    return nil
                }
            } catch DNSError.nameNotFound {
                records = []
            }
            if !records.isEmpty { return (candidate, records) }
            current = DNSName.parent(of: candidate)
        }
        return nil
    }

    /// Why `host` is not a name a public CA can issue for, or nil when it may be.
    static func whyNotPublic(_ host: String) -> String? {
        if IPAddress(host) != nil { return "is an IP address" }
        if host == "localhost" || host.hasSuffix(".localhost") { return "is a localhost name" }
        if !host.contains(".") { return "is a single-label name" }
        for reserved in ["local", "internal", "test", "invalid", "example", "lan", "home.arpa"] {
            if host.hasSuffix(".\(reserved)") { return "is under the non-public .\(reserved) domain" }
        }
        if let problem = DNSName.problem(with: host) { return "is not a valid DNS name (\(problem))" }
        return nil
    }

    private static func address(in data: DNSRecordData) -> IPAddress? {
        switch data {
        case .a(let address), .aaaa(let address): address
        default: nil
        }
    }

    private static func fix(pointing addresses: [IPAddress]) -> String {
        let v4 = addresses.filter { !$0.isIPv6 }
        let v6 = addresses.filter(\.isIPv6)
        var parts: [String] = []
        if !v4.isEmpty { parts.append("an A record pointing at \(list(v4))") }
        if !v6.isEmpty { parts.append("an AAAA record pointing at \(list(v6))") }
        return parts.isEmpty ? "create an A record pointing at the ingress node" : "create " + parts.joined(separator: " and ")
    }

    private static func list(_ addresses: [IPAddress]) -> String {
        addresses.map(\.description).joined(separator: " or ")
    }
}
