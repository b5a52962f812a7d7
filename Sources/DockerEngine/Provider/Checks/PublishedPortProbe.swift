import Foundation
import NIOCore
import NIOPosix
import SprocketCore

/// http and tcp attempts made by the tool itself against a port the service publishes on the host.
///
/// The HTTP request is the same HTTP/1.0 exchange the probe job makes with `nc`, read with the same parser.
enum PublishedPortProbe {
    static func tcp(host: String, port: Int, timeout: Duration, expected: String) async -> CheckObservation {
        do {
            try await withDeadline(timeout) {
                let channel = try await connect(host: host, port: port, timeout: timeout)
                try await channel.executeThenClose { _, _ in }
            }
            return CheckObservation(passed: true, expected: expected, seen: "connected to \(host):\(port)")
        } catch {
            return CheckObservation(passed: false, expected: expected, seen: "no connection to \(host):\(port) (\(describe(error, timeout: timeout)))")
        }
    }

    static func http(host: String, port: Int, request: HTTPProbeRequest, timeout: Duration, expected: String) async -> CheckObservation {
        let text = ProbeScript.requestText(request, host: host, port: port)
        let answer: [UInt8]
        do {
            answer = try await withDeadline(timeout) {
                let channel = try await connect(host: host, port: port, timeout: timeout)
                return try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: text))
                    var bytes: [UInt8] = []
                    for try await chunk in inbound {
                        bytes += chunk.readableBytesView
                        if bytes.count >= ProbeScript.answerLimit { break }
                    }
                    return bytes
                }
            }
        } catch {
            return CheckObservation(passed: false, expected: expected, seen: "no HTTP answer from \(host):\(port) (\(describe(error, timeout: timeout)))")
        }
        // Split bytes, not Characters: Swift reads "\r\n" as one Character, which a split on "\n" never finds.
        let lines = answer.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        return ProbeScript.judgeHTTP(ProbeScript.Framed(lines: lines, status: 0), request: request, expected: expected, host: host, port: port)
    }

    private static func connect(host: String, port: Int, timeout: Duration) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(timeout))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    struct TimedOut: Error {}

    /// Runs `body`, giving up after `timeout`.
    private static func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut() }
            return value
        }
    }

    private static func describe(_ error: any Error, timeout: Duration) -> String {
        if error is TimedOut { return "no answer within \(timeout.goStyle)" }
        if let error = error as? ChannelError, case .connectTimeout = error { return "connect timed out after \(timeout.goStyle)" }
        if let error = error as? NIOConnectionError {
            if let failure = error.connectionErrors.first { return describe(failure.error, timeout: timeout) }
            if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dns)" }
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return String(describing: error)
    }
}
