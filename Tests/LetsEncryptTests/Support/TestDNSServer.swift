import Foundation
@testable import LetsEncrypt
#if canImport(Glibc)
import Glibc
#endif

/// An authoritative-style DNS server for tests, on 127.0.0.1 (UDP and TCP on the same port, chosen by the kernel),
/// answering from a table of records. Written with plain sockets so that it shares no transport code with the
/// resolver under test; it uses the module's message codec, which has its own byte-level tests.
///
/// Answers: a name with no records at all is NXDOMAIN; a name with records but none of the asked type is NOERROR
/// with an empty answer; CNAMEs are followed inside the table (unless `stopAtCNAME`) like a recursive resolver.
final class TestDNSServer: @unchecked Sendable {
    /// How the server misbehaves, if at all.
    enum Mode: Sendable {
        case normal
        /// Reads queries and never answers.
        case silent
        /// Over UDP, answers with the TC bit and no records; the full answer only over TCP.
        case truncateOverUDP
        /// Answers with the query's ID followed by a header that promises a question and then ends.
        case garbage
    }

    let port: Int
    private let records: [DNSResourceRecord]
    private let mode: Mode
    private let stopAtCNAME: Bool
    private let serverFailureNames: Set<String>
    private let udpSocket: Int32
    private let tcpSocket: Int32
    // Guarded by `lock`: written by the server thread, read by tests. This is why the class is @unchecked Sendable.
    private let lock = NSLock()
    private var stopped = false
    private var questions: [(transport: String, name: String, type: DNSRecordType)] = []
    private let finished = DispatchSemaphore(value: 0)

    init(records: [DNSResourceRecord], mode: Mode = .normal, stopAtCNAME: Bool = false,
         serverFailureNames: Set<String> = []) throws {
        self.records = records
        self.mode = mode
        self.stopAtCNAME = stopAtCNAME
        self.serverFailureNames = serverFailureNames
        (udpSocket, tcpSocket, port) = try Self.bindPair()
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// The address to give a resolver.
    var address: DNSServerAddress {
        DNSServerAddress(address: IPAddress("127.0.0.1") ?? .v4([127, 0, 0, 1]), port: port)
    }

    /// Every question received so far, with the transport it came over (`udp` / `tcp`).
    var received: [(transport: String, name: String, type: DNSRecordType)] {
        lock.withLock { questions }
    }

    func stop() {
        lock.withLock { stopped = true }
        finished.wait()
        close(udpSocket)
        close(tcpSocket)
    }

    // MARK: - Answers

    func response(to query: DNSMessage, overUDP: Bool) -> DNSMessage {
        var reply = DNSMessage(id: query.id, isResponse: true, isAuthoritative: true,
                               recursionDesired: query.recursionDesired, recursionAvailable: true,
                               questions: query.questions)
        guard let question = query.questions.first else {
            reply.responseCode = .formatError
            return reply
        }
        if overUDP, mode == .truncateOverUDP {
            reply.isTruncated = true
            return reply
        }
        var name = question.name.lowercased()
        if serverFailureNames.contains(name) {
            reply.responseCode = .serverFailure
            return reply
        }
        var visited: Set<String> = []
        while visited.insert(name).inserted {
            let owned = records.filter { $0.name.lowercased() == name }
            if owned.isEmpty {
                reply.responseCode = .nameError
                return reply
            }
            let matching = owned.filter { $0.type == question.type }
            if !matching.isEmpty || question.type == .cname {
                reply.answers += matching
                return reply
            }
            guard let cname = owned.first(where: { $0.type == .cname }), case .cname(let target) = cname.data else {
                return reply
            }
            reply.answers.append(cname)
            if stopAtCNAME { return reply }
            name = target.lowercased()
        }
        return reply
    }

    // MARK: - Sockets

    private func serve() {
        defer { finished.signal() }
        var descriptors = [pollfd(fd: udpSocket, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: tcpSocket, events: Int16(POLLIN), revents: 0)]
        while !lock.withLock({ stopped }) {
            guard poll(&descriptors, 2, 20) > 0 else { continue }
            if descriptors[0].revents & Int16(POLLIN) != 0 { handleDatagram() }
            if descriptors[1].revents & Int16(POLLIN) != 0 { handleConnection() }
        }
    }

    private func handleDatagram() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var peer = sockaddr_storage()
        var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = withUnsafeMutablePointer(to: &peer) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                recvfrom(udpSocket, &buffer, buffer.count, 0, $0, &peerLength)
            }
        }
        guard count > 0, let query = try? DNSMessage(decoding: Array(buffer.prefix(count))) else { return }
        record(query, transport: "udp")
        guard mode != .silent, var bytes = try? response(to: query, overUDP: true).encode() else { return }
        if mode == .garbage { bytes = Array(bytes.prefix(2)) + [0x81, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07] }
        _ = withUnsafePointer(to: &peer) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(udpSocket, bytes, bytes.count, 0, $0, peerLength)
            }
        }
    }

    private func handleConnection() {
        let connection = accept(tcpSocket, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        guard let prefix = readExactly(2, from: connection) else { return }
        let length = Int(prefix[0]) << 8 | Int(prefix[1])
        guard let body = readExactly(length, from: connection), let query = try? DNSMessage(decoding: body) else { return }
        record(query, transport: "tcp")
        guard mode != .silent, let bytes = try? response(to: query, overUDP: false).encode() else { return }
        let frame = [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
        _ = frame.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, 0) }
    }

    private func readExactly(_ count: Int, from descriptor: Int32) -> [UInt8]? {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: max(count, 1))
        while result.count < count {
            let got = recv(descriptor, &buffer, count - result.count, 0)
            guard got > 0 else { return nil }
            result += buffer.prefix(got)
        }
        return result
    }

    private func record(_ query: DNSMessage, transport: String) {
        guard let question = query.questions.first else { return }
        lock.withLock { questions.append((transport, question.name, question.type)) }
    }

    /// A TCP listener on a kernel-chosen port, then a UDP socket on the same port number (retried if taken).
    private static func bindPair() throws -> (udp: Int32, tcp: Int32, port: Int) {
        for _ in 0..<20 {
            let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard tcp >= 0, bindLoopback(tcp, port: 0), listen(tcp, 16) == 0 else {
                close(tcp)
                continue
            }
            let port = boundPort(tcp)
            let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            if udp >= 0, bindLoopback(udp, port: port) { return (udp, tcp, port) }
            close(udp)
            close(tcp)
        }
        throw TestServerError(description: "could not bind UDP and TCP on one loopback port")
    }

    static func bindLoopback(_ descriptor: Int32, port: Int) -> Bool {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func boundPort(_ descriptor: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestServerError: Error, CustomStringConvertible {
    let description: String
}

/// Runs `body` with a server answering from `records`, and stops the server afterwards (also when `body` throws).
@discardableResult
func withDNSServer<T>(
    _ records: [DNSResourceRecord], mode: TestDNSServer.Mode = .normal, stopAtCNAME: Bool = false,
    serverFailureNames: Set<String> = [], _ body: (TestDNSServer) async throws -> T
) async throws -> T {
    let server = try TestDNSServer(records: records, mode: mode, stopAtCNAME: stopAtCNAME,
                                   serverFailureNames: serverFailureNames)
    defer { server.stop() }
    return try await body(server)
}
