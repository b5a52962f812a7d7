import Testing
@testable import LetsEncrypt

@Suite("LetsEncrypt DNS preflight")
struct LetsEncryptPreflightTests {
    static let zone = [
        aRecord("good.example.com", nodeIPv4),
        aRecord("elsewhere.example.com", "203.0.113.9"),
        aRecord("dual.example.com", nodeIPv4), aaaaRecord("dual.example.com", "2001:db8::99"),
        cnameRecord("alias.example.com", "good.example.com"),
        caaRecord("example.com", 0, "iodef", "mailto:security@example.com"),
        // example.org: CAA allows only another CA on the registered domain; one name below overrides it.
        aRecord("shop.example.org", nodeIPv4), aRecord("deep.shop.example.org", nodeIPv4),
        caaRecord("example.org", 0, "issue", "digicert.com"), caaRecord("example.org", 0, "issue", "sectigo.com"),
        aRecord("ok.example.org", nodeIPv4), caaRecord("ok.example.org", 0, "issue", "letsencrypt.org; validationmethods=dns-01"),
        // example.net: allows Let's Encrypt for plain names, nobody for wildcards; plus a critical unknown tag.
        aRecord("www.example.net", nodeIPv4), caaRecord("example.net", 0, "issue", "LetsEncrypt.org"),
        caaRecord("example.net", 0, "issuewild", ";"),
        aRecord("strict.example.net", nodeIPv4), caaRecord("strict.example.net", 128, "tbs", "Unknown"),
        // CAA reached through a CNAME (RFC 8659: the CNAME target's record set is the name's set).
        aRecord("cdn.example.com", nodeIPv4), cnameRecord("cdn.example.com", "caa-holder.example.net"),
    ]

    func preflight(_ server: TestDNSServer, node: [String] = [nodeIPv4]) -> ACMEPreflight {
        ACMEPreflight(resolver: resolver(for: server), nodeAddresses: node.map(ip))
    }

    @Test("a name resolving elsewhere is refused for production with the fix, and allowed for staging")
    func resolvesElsewhere() async throws {
        try await withDNSServer(Self.zone) { server in
            let production = await preflight(server).check("elsewhere.example.com", for: .production)
            #expect(!production.isAllowed)
            #expect(production.addresses == [ip("203.0.113.9")])
            #expect(production.errors.map(\.kind) == [.addressMismatch])
            #expect(production.errors.first?.message == "elsewhere.example.com resolves to 203.0.113.9, not this "
                + "node's 198.51.100.4: point the A record at 198.51.100.4")

            let staging = await preflight(server).check("elsewhere.example.com", for: .staging)
            #expect(staging.isAllowed)
            #expect(staging.findings.map(\.severity) == [.warning])
            #expect(staging.findings.first?.message == production.errors.first?.message)
        }
    }

    @Test("a name pointing at this node with CAA that has no issue records passes")
    func passes() async throws {
        try await withDNSServer(Self.zone) { server in
            let result = await preflight(server).check("good.example.com", for: .production)
            #expect(result.isAllowed)
            #expect(result.findings.isEmpty)
            #expect(result.caaDomain == "example.com")
            #expect(result.caaRecords == [CAARecord(flags: 0, tag: "iodef", value: "mailto:security@example.com")])
        }
    }

    @Test("an AAAA record pointing elsewhere is refused even when the A record is right")
    func strayIPv6() async throws {
        try await withDNSServer(Self.zone) { server in
            let v4Only = await preflight(server).check("dual.example.com", for: .production)
            #expect(v4Only.errors.map(\.message) == [
                "dual.example.com resolves to 2001:db8::99, but this node has no IPv6 address (198.51.100.4): remove "
                    + "the AAAA record, or give the node's IPv6 address (Let's Encrypt prefers IPv6 and would "
                    + "validate against 2001:db8::99)"])
            let dual = await preflight(server, node: [nodeIPv4, nodeIPv6]).check("dual.example.com", for: .production)
            #expect(dual.errors.map(\.message) == [
                "dual.example.com resolves to 2001:db8::99, not this node's 2001:db8::4: point the AAAA record at 2001:db8::4"])
        }
    }

    @Test("CAA on the registered domain that allows only other CAs refuses, naming them and the record to add")
    func caaForbids() async throws {
        try await withDNSServer(Self.zone) { server in
            let result = await preflight(server).check("deep.shop.example.org", for: .production)
            #expect(!result.isAllowed)
            #expect(result.caaDomain == "example.org")
            #expect(result.errors.map(\.message) == [
                "CAA on example.org allows only digicert.com, sectigo.com: add `0 issue \"letsencrypt.org\"` to example.org"])
            // Consecutive repeats are UDP resends of a late answer on a loaded machine, not extra questions.
            let queried = server.received.filter { $0.type == .caa }.map(\.name).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            #expect(queried == ["deep.shop.example.org", "shop.example.org", "example.org"])
        }
    }

    @Test("CAA closer to the name wins over the parent's (tree climbing stops at the first set)")
    func caaNearestSetApplies() async throws {
        try await withDNSServer(Self.zone) { server in
            let result = await preflight(server).check("ok.example.org", for: .production)
            #expect(result.isAllowed)
            #expect(result.caaDomain == "ok.example.org")
            #expect(result.findings.map(\.kind) == [.caaConditions])
            #expect(result.findings.first?.message.contains("validationmethods=dns-01") == true)
        }
    }

    @Test("CAA allowing letsencrypt.org passes, compared without case")
    func caaAllows() async throws {
        try await withDNSServer(Self.zone) { server in
            let result = await preflight(server).check("www.example.net", for: .production)
            #expect(result.isAllowed, "\(result.findings)")
            #expect(result.caaDomain == "example.net")
        }
    }

    @Test("issuewild governs wildcard names: `;` forbids every CA")
    func caaWildcard() async throws {
        try await withDNSServer(Self.zone) { server in
            let result = await preflight(server).check("*.example.net", for: .production)
            #expect(!result.isAllowed)
            #expect(result.findings.map(\.kind) == [.wildcard, .caaForbids])
            #expect(result.errors.first?.message == "CAA on example.net forbids every CA (`0 issuewild \";\"`): add "
                + "`0 issuewild \"letsencrypt.org\"` to example.net and remove the `;` record")
        }
    }

    @Test("a critical CAA property Let's Encrypt does not understand refuses")
    func caaCritical() async throws {
        try await withDNSServer(Self.zone) { server in
            let result = await preflight(server).check("strict.example.net", for: .production)
            #expect(result.errors.map(\.kind) == [.caaForbids])
            #expect(result.errors.first?.message.contains("`128 tbs \"Unknown\"`") == true)
        }
    }

    @Test("CAA is read through a CNAME on the name")
    func caaThroughCNAME() async throws {
        let zone = Self.zone + [caaRecord("caa-holder.example.net", 0, "issue", "pki.goog")]
        try await withDNSServer(zone) { server in
            let result = await preflight(server).check("cdn.example.com", for: .production)
            #expect(result.caaDomain == "cdn.example.com")
            #expect(result.errors.map(\.message) == [
                "CAA on cdn.example.com allows only pki.goog: add `0 issue \"letsencrypt.org\"` to cdn.example.com"])
        }
    }

    @Test("addresses are checked at the end of a CNAME chain and the chain is reported")
    func addressThroughCNAME() async throws {
        try await withDNSServer(Self.zone) { server in
            let result = await preflight(server).check("alias.example.com", for: .production)
            #expect(result.isAllowed)
            #expect(result.cnameChain == ["alias.example.com", "good.example.com"])
        }
    }

    @Test("NXDOMAIN gives a message that says which record to create")
    func nxdomain() async throws {
        try await withDNSServer(Self.zone) { server in
            let result = await preflight(server, node: [nodeIPv4, nodeIPv6]).check("new.example.com", for: .production)
            #expect(result.errors.map(\.kind) == [.nameNotFound])
            #expect(result.errors.first?.message == "new.example.com does not exist in DNS (NXDOMAIN from "
                + "127.0.0.1:\(server.port)): create an A record pointing at 198.51.100.4 and an AAAA record pointing "
                + "at 2001:db8::4")
        }
    }

    @Test("a DNS server that does not answer refuses production with the timeout, naming the server")
    func dnsTimeout() async throws {
        try await withDNSServer(Self.zone, mode: .silent) { server in
            let check = ACMEPreflight(resolver: resolver(for: server, timeout: .milliseconds(150), attempts: 1),
                                      nodeAddresses: [ip(nodeIPv4)])
            let result = await check.check("good.example.com", for: .production)
            #expect(!result.isAllowed)
            #expect(result.errors.map(\.kind) == [.dnsFailure, .dnsFailure])
            #expect(result.errors.allSatisfy { $0.message.contains("DNS server 127.0.0.1:\(server.port) did not answer") })
        }
    }

    @Test("names no public CA can issue for are refused without asking DNS", arguments: [
        "localhost", "app.localhost", "198.51.100.4", "intranet", "nas.local", "svc.internal",
    ])
    func notPublic(host: String) async throws {
        try await withDNSServer(Self.zone) { server in
            let result = await preflight(server).check(host, for: .production)
            #expect(result.errors.map(\.kind) == [.notPublicName])
            #expect(result.errors.first?.message.contains("local or LAN access profile") == true)
            #expect(server.received.isEmpty)
        }
    }

    @Test("a hosts file overrides DNS for the address check (local preflight before publishing records)")
    func hostsFileOverride() async throws {
        try await withDNSServer(Self.zone) { server in
            let hosts = try HostsFileResolver(contents: "\(nodeIPv4) elsewhere.example.com\n", fallback: resolver(for: server))
            let result = await ACMEPreflight(resolver: hosts, nodeAddresses: [ip(nodeIPv4)])
                .check("elsewhere.example.com", for: .production)
            #expect(result.isAllowed, "\(result.findings)")
        }
    }

    @Test("several hosts are checked and returned in the order asked")
    func several() async throws {
        try await withDNSServer(Self.zone) { server in
            let hosts = ["www.example.net", "elsewhere.example.com", "good.example.com"]
            let results = await preflight(server).check(hosts, for: .production)
            #expect(results.map(\.host) == hosts)
            #expect(results.map(\.isAllowed) == [true, false, true])
        }
    }
}
