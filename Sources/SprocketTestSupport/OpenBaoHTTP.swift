import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for the loopback OpenBao a test started: one request per connection
/// (`Connection: close`), the whole answer read until the server closes. SprocketTestSupport has no HTTP client
/// dependency, and ``OpenBaoServer`` only needs a handful of operator calls (init, unseal, seal, health).
///
/// The blocking socket calls run on a thread of their own, as ``HostShell`` does, so a slow answer does not hold one
/// of the few threads of Swift's cooperative pool.
enum OpenBaoHTTP {
    /// One answer: the status code and the body's text.
    struct Answer: Sendable {
        var status: Int
        var body: String

        /// The body as a JSON object, or nil.
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        }
    }

    /// Sends `method path` to `127.0.0.1:port` with an optional JSON body and token.
    ///
    /// - Throws: ``OpenBaoServerError`` when no connection can be made or no complete answer arrives in 60 s.
    static func send(
        _ method: String, _ path: String, port: Int, body: String? = nil, token: String? = nil
    ) async throws -> Answer {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { request += "X-Vault-Token: \(token)\r\n" }
        let payload = Array((body ?? "").utf8)
        request += "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n\r\n"
        let bytes = Array(request.utf8) + payload
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try exchange(bytes, port: port, what: "\(method) \(path)") })
            }
        }
    }

    private static func exchange(_ request: [UInt8], port: Int, what: String) throws -> Answer {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw OpenBaoServerError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        // Generous: init on a loaded 2-core machine, with other servers starting, took over 10 s.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw OpenBaoServerError("\(what) to 127.0.0.1:\(port): connection refused (errno \(errno))")
        }
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw OpenBaoServerError("\(what) to 127.0.0.1:\(port): write failed (errno \(errno))") }
            sent += count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else {
                throw OpenBaoServerError("\(what) to 127.0.0.1:\(port): no complete answer (errno \(errno))")
            }
            received.append(contentsOf: buffer[0..<count])
        }
        return try parse(received, what: what)
    }

    /// Splits status line, headers and body; undoes `Transfer-Encoding: chunked` (Go's server uses it for
    /// answers it streams). Works on bytes: "\r\n" is one Character in Swift strings.
    private static func parse(_ bytes: [UInt8], what: String) throws -> Answer {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = firstIndex(of: separator, in: bytes[...]) else {
            throw OpenBaoServerError("\(what): malformed answer: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
        let head = String(decoding: bytes[..<split], as: UTF8.self)
        let statusLine = head.split(whereSeparator: \.isNewline).first ?? ""
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, let status = Int(fields[1]) else {
            throw OpenBaoServerError("\(what): malformed status line: \(statusLine)")
        }
        var body = bytes[(split + separator.count)...]
        if head.lowercased().contains("transfer-encoding: chunked") { body = dechunk(body) }
        return Answer(status: status, body: String(decoding: body, as: UTF8.self))
    }

    private static func dechunk(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var rest = bytes
        var body: [UInt8] = []
        while let lineEnd = firstIndex(of: [13, 10], in: rest),
            let size = Int(String(decoding: rest[rest.startIndex..<lineEnd], as: UTF8.self), radix: 16), size > 0
        {
            let start = lineEnd + 2
            let end = min(start + size, rest.endIndex)
            body += rest[start..<end]
            rest = rest[min(end + 2, rest.endIndex)...]
        }
        return body[...]
    }

    private static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
