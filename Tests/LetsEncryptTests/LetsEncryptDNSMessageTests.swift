import Testing
@testable import LetsEncrypt
import SprocketTestSupport

@Suite("LetsEncrypt DNS messages")
struct LetsEncryptDNSMessageTests {
    /// A response as a recursive resolver sends it: `www.example.com CNAME example.com`, `example.com A 192.0.2.1`,
    /// both owner names and the CNAME target written as compression pointers (0xC00C → offset 12, 0xC010 → 16).
    static let cnameResponse = hexBytes("""
        ab cd 81 80 00 01 00 02 00 00 00 00
        03 77 77 77 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01
        c0 0c 00 05 00 01 00 00 0e 10 00 02 c0 10
        c0 10 00 01 00 01 00 00 0e 10 00 04 c0 00 02 01
        """)

    @Test("parses a captured response with compression pointers in owner names and RDATA")
    func parsesCompressedResponse() throws {
        let message = try DNSMessage(decoding: Self.cnameResponse)
        #expect(message.id == 0xABCD)
        #expect(message.isResponse && message.recursionDesired && message.recursionAvailable)
        #expect(!message.isTruncated && !message.isAuthoritative)
        #expect(message.responseCode == .noError)
        #expect(message.questions == [DNSQuestion(name: "www.example.com", type: .a)])
        #expect(message.answers == [
            DNSResourceRecord(name: "www.example.com", ttl: 3600, data: .cname("example.com")),
            DNSResourceRecord(name: "example.com", ttl: 3600, data: .a(ip("192.0.2.1"))),
        ])
    }

    /// CAA answers with the records of RFC 8659 §4's examples: `0 issue "letsencrypt.org"` and the critical
    /// `128 tbs "Unknown"`.
    @Test("parses CAA flags, tag and value, including the critical flag")
    func parsesCAA() throws {
        let bytes = hexBytes("""
            12 34 81 80 00 01 00 02 00 00 00 00
            07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 01 01 00 01
            c0 0c 01 01 00 01 00 00 01 2c 00 16
            00 05 69 73 73 75 65 6c 65 74 73 65 6e 63 72 79 70 74 2e 6f 72 67
            c0 0c 01 01 00 01 00 00 01 2c 00 0c
            80 03 74 62 73 55 6e 6b 6e 6f 77 6e
            """)
        let message = try DNSMessage(decoding: bytes)
        #expect(message.questions.first?.type == .caa)
        let records = message.answers.compactMap { record -> CAARecord? in
            if case .caa(let caa) = record.data { return caa }
            return nil
        }
        #expect(records == [CAARecord(flags: 0, tag: "issue", value: "letsencrypt.org"),
                            CAARecord(flags: 128, tag: "tbs", value: "Unknown")])
        #expect(records.map(\.isCritical) == [false, true])
        #expect(records.first?.issuerDomain == "letsencrypt.org")
    }

    @Test("an NXDOMAIN response keeps its RCODE and an authority section of unknown type stays raw")
    func parsesNXDomainWithSOA() throws {
        let bytes = hexBytes("""
            00 07 81 83 00 01 00 00 00 01 00 00
            07 6d 69 73 73 69 6e 67 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01
            c0 14 00 06 00 01 00 00 00 3c 00 04 de ad be ef
            """)
        let message = try DNSMessage(decoding: bytes)
        #expect(message.responseCode == .nameError)
        #expect(message.authorities == [
            DNSResourceRecord(name: "example.com", ttl: 60, data: .other(type: .soa, bytes: [0xDE, 0xAD, 0xBE, 0xEF]))
        ])
    }

    static let roundTripMessages: [DNSMessage] = [
        .query(id: 1, name: "app.example.com", type: .a),
        .query(id: 2, name: "example.org", type: .caa),
        DNSMessage(id: 3, isResponse: true, isAuthoritative: true, isTruncated: true, recursionAvailable: true,
                   responseCode: .serverFailure, questions: [DNSQuestion(name: "a.b.example.net", type: .aaaa)]),
        DNSMessage(
            id: 0xFFFF, isResponse: true, opcode: 2, recursionDesired: false,
            questions: [DNSQuestion(name: "www.example.com", type: .a)],
            answers: [cnameRecord("www.example.com", "edge.cdn.example.net"), aRecord("edge.cdn.example.net", "203.0.113.9"),
                      aaaaRecord("edge.cdn.example.net", "2001:db8::9")],
            authorities: [caaRecord("example.com", 128, "issuewild", ";")],
            additionals: [DNSResourceRecord(name: "example.com", data: .other(type: .txt, bytes: [3, 0x61, 0x62, 0x63]))]),
    ]

    @Test("encoding then decoding gives the same message", arguments: roundTripMessages)
    func roundTrip(message: DNSMessage) throws {
        #expect(try DNSMessage(decoding: message.encode()) == message)
    }

    @Test("the encoder compresses a repeated name into a pointer to its first occurrence")
    func encoderCompresses() throws {
        let message = DNSMessage(id: 9, isResponse: true, questions: [DNSQuestion(name: "www.example.com", type: .a)],
                                 answers: [aRecord("www.example.com", "192.0.2.1"), aRecord("WWW.Example.com.", "192.0.2.2")])
        let bytes = try message.encode()
        // Header 12 + question (17 + 4) + two answers of (2-byte pointer + 10 + 4).
        #expect(bytes.count == 12 + 21 + 2 * 16)
        #expect(Array(bytes[33...34]) == [0xC0, 0x0C])
        #expect(Array(bytes[49...50]) == [0xC0, 0x0C])
    }

    static let malformed: [(String, String)] = [
        ("header cut short", "ab cd 81 80 00 01"),
        ("question name runs past the end", "00 01 81 80 00 01 00 00 00 00 00 00 07 65 78 61"),
        ("pointer to itself", "00 01 81 80 00 01 00 00 00 00 00 00 c0 0c 00 01 00 01"),
        ("pointer loop through a label", "00 01 81 80 00 01 00 00 00 00 00 00 01 61 c0 0c 00 01 00 01"),
        ("forward pointer", "00 01 81 80 00 01 00 00 00 00 00 00 c0 20 00 01 00 01"),
        ("A record with 3 bytes", "00 01 81 80 00 00 00 01 00 00 00 00 00 00 01 00 01 00 00 00 01 00 03 01 02 03"),
        ("RDATA longer than the message", "00 01 81 80 00 00 00 01 00 00 00 00 00 00 01 00 01 00 00 00 01 00 10 01"),
        ("CAA with a zero tag length", "00 01 81 80 00 00 00 01 00 00 00 00 00 01 01 00 01 00 00 00 01 00 02 00 00"),
        ("extended label type", "00 01 81 80 00 01 00 00 00 00 00 00 41 00 00 01 00 01"),
    ]

    @Test("malformed messages are rejected with the offset, never a crash", arguments: malformed)
    func rejectsMalformed(name: String, hex: String) {
        let bytes = hexBytes(hex)
        #expect(throws: DNSMessageFormatError.self, "\(name)") { try DNSMessage(decoding: bytes) }
        do {
            _ = try DNSMessage(decoding: bytes)
        } catch {
            #expect(error.offset >= 0 && error.offset <= bytes.count)
            #expect(error.description.contains("at byte \(error.offset)"))
        }
    }

    @Test("names that cannot be encoded are refused before sending", arguments: [
        "a..example.com", String(repeating: "x", count: 64) + ".example.com",
        Array(repeating: "abcdefghi", count: 26).joined(separator: "."),
    ])
    func rejectsBadNames(name: String) {
        #expect(throws: DNSMessageFormatError.self) { try DNSMessage.query(id: 1, name: name, type: .a).encode() }
    }
}

@Suite("LetsEncrypt DNS addresses and configuration")
struct LetsEncryptDNSAddressTests {
    @Test("IPv6 addresses compare by value and print canonically")
    func ipv6Canonical() throws {
        let long = try #require(IPAddress("2001:0db8:0000:0000:0000:0000:0000:0004"))
        #expect(long == IPAddress("2001:db8::4"))
        #expect(long.description == "2001:db8::4")
        #expect(IPAddress("203.0.113.9")?.description == "203.0.113.9")
        #expect(IPAddress("example.com") == nil)
        #expect(IPAddress("999.1.1.1") == nil)
    }

    @Test("server addresses parse with and without a port", arguments: [
        ("203.0.113.53", "203.0.113.53:53"), ("203.0.113.53:5353", "203.0.113.53:5353"),
        ("2001:db8::53", "[2001:db8::53]:53"), ("[2001:db8::53]:5353", "[2001:db8::53]:5353"),
    ])
    func parsesServer(text: String, expected: String) throws {
        #expect(try DNSServerAddress(parsing: text).description == expected)
    }

    @Test("a host name or bad port as server is refused with the reason", arguments: [
        ("dns.example.com", "not an IP address"), ("203.0.113.53:0", "port must be"),
        ("203.0.113.53:http", "port must be"),
    ])
    func refusesServer(text: String, reason: String) {
        do {
            _ = try DNSServerAddress(parsing: text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect("\(error)".contains(reason))
            #expect("\(error)".contains(text))
        }
    }

    @Test("the first usable nameserver of resolv.conf is the default server")
    func readsResolvConf() throws {
        let folder = try TemporaryDirectory(prefix: "le-resolv")
        defer { folder.remove() }
        try folder.write("resolv.conf", "# generated\nsearch example.com\nnameserver fe80::1%eth0\nnameserver 192.0.2.53\nnameserver 192.0.2.54\n")
        #expect(try DNSServerAddress.systemDefault(resolvConf: "\(folder.path)/resolv.conf").description == "192.0.2.53:53")
        try folder.write("empty.conf", "search example.com\n")
        #expect(throws: DNSError.configuration(path: "\(folder.path)/empty.conf",
                                               reason: "no usable nameserver line; pass a DNS server explicitly")) {
            try DNSServerAddress.systemDefault(resolvConf: "\(folder.path)/empty.conf")
        }
    }
}
