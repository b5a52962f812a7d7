import Foundation
@testable import LetsEncrypt

/// Bytes from a hex string; spaces and newlines are ignored so RFC-style dumps can be pasted as written.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = text.filter(\.isHexDigit)
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}

/// An IP address from a literal; an invalid literal gives 0.0.0.0, which no expectation in these tests accepts.
func ip(_ text: String) -> IPAddress {
    IPAddress(text) ?? .v4([0, 0, 0, 0])
}

func aRecord(_ name: String, _ address: String) -> DNSResourceRecord {
    DNSResourceRecord(name: name, data: .a(ip(address)))
}

func aaaaRecord(_ name: String, _ address: String) -> DNSResourceRecord {
    DNSResourceRecord(name: name, data: .aaaa(ip(address)))
}

func cnameRecord(_ name: String, _ target: String) -> DNSResourceRecord {
    DNSResourceRecord(name: name, data: .cname(target))
}

func caaRecord(_ name: String, _ flags: UInt8 = 0, _ tag: String, _ value: String) -> DNSResourceRecord {
    DNSResourceRecord(name: name, data: .caa(CAARecord(flags: flags, tag: tag, value: value)))
}

/// The ingress node of the preflight tests (TEST-NET addresses, RFC 5737 / RFC 3849).
let nodeIPv4 = "198.51.100.4"
let nodeIPv6 = "2001:db8::4"

/// A UDP resolver for a test server with short timeouts.
/// Generous defaults: the test server answers at once, but a loaded CI machine may not schedule its thread for seconds.
func resolver(for server: TestDNSServer, timeout: Duration = .seconds(5), attempts: Int = 3) -> UDPDNSResolver {
    UDPDNSResolver(server: server.address, timeout: timeout, attempts: attempts)
}
