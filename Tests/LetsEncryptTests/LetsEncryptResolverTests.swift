import Testing
@testable import LetsEncrypt
import SprocketTestSupport

@Suite("LetsEncrypt DNS resolvers")
struct LetsEncryptResolverTests {
    static let zone = [
        aRecord("app.example.com", "198.51.100.4"), aaaaRecord("app.example.com", "2001:db8::4"),
        cnameRecord("www.example.com", "app.example.com"),
        cnameRecord("cdn.example.com", "edge.example.net"), cnameRecord("edge.example.net", "app.example.com"),
        cnameRecord("loop1.example.com", "loop2.example.com"), cnameRecord("loop2.example.com", "loop1.example.com"),
        caaRecord("example.com", 0, "issue", "letsencrypt.org"),
    ]

    @Test("A and AAAA come back over UDP from the configured server")
    func resolvesAddresses() async throws {
        try await withDNSServer(Self.zone) { server in
            let addresses = try await resolver(for: server).addresses(of: "App.Example.com.")
            #expect(addresses == [ip("198.51.100.4"), ip("2001:db8::4")])
            // One question per type over UDP (consecutive repeats are resends of a late answer on a loaded machine).
            let questions = server.received.map { "\($0.transport) \($0.type)" }.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            #expect(questions.count == 2 && questions.allSatisfy { $0.hasPrefix("udp") }, "\(questions)")
        }
    }

    @Test("CNAME chains are followed, in one answer or by asking for the target", arguments: [false, true])
    func followsCNAMEs(stopAtCNAME: Bool) async throws {
        try await withDNSServer(Self.zone, stopAtCNAME: stopAtCNAME) { server in
            let resolution = try await resolver(for: server).resolve("cdn.example.com", type: .a)
            #expect(resolution.chain == ["cdn.example.com", "edge.example.net", "app.example.com"])
            #expect(resolution.records == [.a(ip("198.51.100.4"))])
            // Distinct questions: on a loaded machine UDP may resend one whose answer came late, which is fine.
            let questions = server.received.map { "\($0.name)/\($0.type)" }.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            #expect(questions.count == (stopAtCNAME ? 3 : 1), "\(questions)")
        }
    }

    @Test("a CNAME loop is reported with the chain")
    func cnameLoop() async throws {
        try await withDNSServer(Self.zone, stopAtCNAME: true) { server in
            await #expect(throws: DNSError.cnameChainTooLong(
                name: "loop1.example.com", chain: ["loop1.example.com", "loop2.example.com", "loop1.example.com"])) {
                try await resolver(for: server).resolve("loop1.example.com", type: .a)
            }
        }
    }

    @Test("a name with records but none of the type is empty (NODATA), not an error")
    func noData() async throws {
        try await withDNSServer(Self.zone) { server in
            let resolution = try await resolver(for: server).resolve("example.com", type: .a)
            #expect(resolution.records.isEmpty)
        }
    }

    @Test("NXDOMAIN says the name does not exist and which server said so")
    func nxdomain() async throws {
        try await withDNSServer(Self.zone) { server in
            do {
                _ = try await resolver(for: server).resolve("missing.example.com", type: .a)
                Issue.record("no error")
            } catch let error as DNSError {
                #expect(error == .nameNotFound(name: "missing.example.com", server: "127.0.0.1:\(server.port)"))
                #expect(error.description.contains("does not exist in DNS (NXDOMAIN from 127.0.0.1:\(server.port))"))
            }
        }
    }

    @Test("SERVFAIL is a typed error naming the server")
    func servfail() async throws {
        try await withDNSServer(Self.zone, serverFailureNames: ["app.example.com"]) { server in
            await #expect(throws: DNSError.serverFailure(name: "app.example.com", type: .a,
                                                         server: "127.0.0.1:\(server.port)")) {
                try await resolver(for: server).query("app.example.com", type: .a)
            }
        }
    }

    @Test("a truncated UDP answer is asked again over TCP")
    func truncationFallsBackToTCP() async throws {
        try await withDNSServer(Self.zone, mode: .truncateOverUDP) { server in
            let records = try await resolver(for: server).query("app.example.com", type: .aaaa)
            #expect(records == [aaaaRecord("app.example.com", "2001:db8::4")])
            // A loaded machine may resend over UDP before the truncated answer arrives: count each transport once.
            let transports = server.received.map(\.transport).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            #expect(transports == ["udp", "tcp"], "\(server.received.map(\.transport))")
        }
    }

    @Test("a server that never answers times out after every attempt, naming the server")
    func timeout() async throws {
        try await withDNSServer(Self.zone, mode: .silent) { server in
            let udp = resolver(for: server, timeout: .milliseconds(200), attempts: 2)
            do {
                _ = try await udp.query("app.example.com", type: .a)
                Issue.record("no error")
            } catch let error as DNSError {
                #expect(error == .timeout(name: "app.example.com", type: .a, server: "127.0.0.1:\(server.port)",
                                          attempts: 2, timeout: .milliseconds(200)))
                #expect(error.description.contains("DNS server 127.0.0.1:\(server.port) did not answer A app.example.com"))
            }
            #expect(server.received.count == 2)
        }
    }

    @Test("a garbled answer is a malformed-response error naming the server and the byte")
    func malformedAnswer() async throws {
        try await withDNSServer(Self.zone, mode: .garbage) { server in
            do {
                _ = try await resolver(for: server).query("app.example.com", type: .a)
                Issue.record("no error")
            } catch let error as DNSError {
                #expect(error == .malformedResponse(server: "127.0.0.1:\(server.port)",
                                                    detail: "label runs past the end of the message (at byte 12)"))
            }
        }
    }

    @Test("the hosts file overrides A/AAAA and hands other questions to the fallback")
    func hostsFileOverrides() async throws {
        try await withDNSServer(Self.zone) { server in
            let hosts = try HostsFileResolver(
                contents: "# local override\n203.0.113.7  app.example.com  alias.example.com\n2001:db8::7 app.example.com\n",
                path: "/tmp/hosts-test", fallback: resolver(for: server))
            #expect(try await hosts.addresses(of: "APP.example.com") == [ip("203.0.113.7"), ip("2001:db8::7")])
            #expect(try await hosts.addresses(of: "www.example.com") == [ip("198.51.100.4"), ip("2001:db8::4")])
            let caa = try await hosts.resolve("example.com", type: .caa).records
            #expect(caa == [.caa(CAARecord(flags: 0, tag: "issue", value: "letsencrypt.org"))])
            #expect(server.received.allSatisfy { $0.name != "app.example.com" })
        }
    }

    @Test("without a fallback, unlisted names are NXDOMAIN from the hosts file")
    func hostsFileAlone() async throws {
        let folder = try TemporaryDirectory(prefix: "le-hosts")
        defer { folder.remove() }
        try folder.write("hosts", "198.51.100.4 app.example.com\n")
        let hosts = try HostsFileResolver(path: "\(folder.path)/hosts")
        #expect(try await hosts.query("app.example.com", type: .aaaa).isEmpty)
        await #expect(throws: DNSError.nameNotFound(name: "other.example.com", server: "\(folder.path)/hosts")) {
            try await hosts.query("other.example.com", type: .a)
        }
    }

    @Test("a bad hosts line is an error naming path:line", arguments: [
        ("198.51.100.4 ok.example.com\nnot-an-ip bad.example.com\n", 2, "is not an IP address"),
        ("\n\n198.51.100.4\n", 3, "is followed by no name"),
    ])
    func hostsFileErrors(contents: String, line: Int, reason: String) {
        do {
            _ = try HostsFileResolver(contents: contents, path: "/srv/hosts")
            Issue.record("accepted")
        } catch {
            #expect("\(error)".hasPrefix("/srv/hosts:\(line): "))
            #expect("\(error)".contains(reason))
        }
    }
}
