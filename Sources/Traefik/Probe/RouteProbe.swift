import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Requests routes through Traefik's entry points the way a browser would reach them: a TCP connection to the
/// node's address, TLS with the route's name as SNI (none for IP routes), and `Host` set to the route's name.
///
/// For TLS routes it first connects with full verification (chain and name, against ``trustRoots``). Should that
/// handshake fail, it connects again without verification so the certificate can still be read, and reports why
/// it would not be trusted: Traefik's default certificate, a staging certificate, an expired one.
public struct RouteProbe: Sendable {
    /// How long one connection (connect, handshake, response head) may take.
    public var timeout: Duration
    /// What a certificate must chain to for ``PeerCertificate/verifies``; the system roots by default.
    public var trustRoots: NIOSSLTrustRoots
    /// Where connections run.
    public var eventLoopGroup: any EventLoopGroup

    /// Largest response head read before giving up on a response.
    static let maxHeadBytes = 64 << 10

    /// Creates a probe.
    public init(
        timeout: Duration = .seconds(10), trustRoots: NIOSSLTrustRoots = .default,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.timeout = timeout
        self.trustRoots = trustRoots
        self.eventLoopGroup = eventLoopGroup
    }

    /// Creates a probe trusting the CA certificates in the PEM file `caBundle`, or the system roots when nil.
    public init(timeout: Duration = .seconds(10), caBundle: String?) {
        self.init(timeout: timeout, trustRoots: caBundle.map { .file($0) } ?? .default)
    }

    /// Probes every target, a few at a time, and returns the results in the order given.
    public func probe(_ targets: [RouteProbeTarget], concurrency: Int = 4) async throws -> [RouteProbeResult] {
        try await withThrowingTaskGroup(of: (Int, RouteProbeResult).self) { group in
            var results = [RouteProbeResult?](repeating: nil, count: targets.count)
            var pending = targets.enumerated().makeIterator()
            for _ in 0..<max(1, concurrency) {
                guard let (index, target) = pending.next() else { break }
                group.addTask { (index, try await probe(target)) }
            }
            while let (index, result) = try await group.next() {
                results[index] = result
                if let (next, target) = pending.next() { group.addTask { (next, try await probe(target)) } }
            }
            return results.compactMap { $0 }
        }
    }

    /// Probes one target. Failures to connect or to get a response are part of the result, not thrown.
    ///
    /// - Throws: `CancellationError` only.
    public func probe(_ target: RouteProbeTarget) async throws -> RouteProbeResult {
        guard target.scheme == .https else {
            return try await unverifiedResult(for: target, verificationFailure: nil)
        }
        do {
            let exchange = try await self.exchange(target, verifying: true)
            return RouteProbeResult(exchange, target: target, verificationFailure: nil)
        } catch let error as CancellationError {
            throw error
        } catch where Self.isTLSError(error) {
            return try await unverifiedResult(for: target, verificationFailure: Self.describe(error))
        } catch {
            return RouteProbeResult(target: target, error: Self.describe(error))
        }
    }

    /// One exchange without certificate verification; its failure is reported in the result.
    private func unverifiedResult(
        for target: RouteProbeTarget, verificationFailure: String?
    ) async throws -> RouteProbeResult {
        do {
            let exchange = try await self.exchange(target, verifying: false)
            return RouteProbeResult(exchange, target: target, verificationFailure: verificationFailure)
        } catch let error as CancellationError {
            throw error
        } catch {
            return RouteProbeResult(target: target, error: Self.describe(error))
        }
    }

    /// A response head and, for TLS, the peer's leaf certificate.
    struct Exchange: Sendable {
        var head: ResponseHead
        var certificate: NIOSSLCertificate?
    }

    /// Connects, sends one `GET` with `Connection: close`, and reads up to the end of the response head.
    func exchange(_ target: RouteProbeTarget, verifying: Bool) async throws -> Exchange {
        let tls: NIOSSLContext? = target.scheme == .https ? try makeContext(verifying: verifying) : nil
        let limit = timeout
        let observer = TLSObserver()
        let channel = try await ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(TimeAmount(limit))
            .connect(host: target.address, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: target.serverName)
                        try channel.pipeline.syncOperations.addHandlers(handler, observer)
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let request = Self.requestText(for: target)
        do {
            return try await exchange(request, on: channel, observer: tls == nil ? nil : observer, limit: limit)
        } catch let error where !(error is CancellationError) {
            throw observer.error.flatMap { Self.isTLSError($0) ? $0 : nil } ?? error
        }
    }

    /// Writes the request and reads up to the end of the response head, within `limit`.
    private func exchange(
        _ request: String, on channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, observer: TLSObserver?,
        limit: Duration
    ) async throws -> Exchange {
        try await ProbeDeadline.run(limit, closing: channel.channel) {
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: request))
                var received = ByteBuffer()
                for try await var chunk in inbound {
                    received.writeBuffer(&chunk)
                    if let head = ResponseHead(parsing: received) {
                        return Exchange(head: head, certificate: observer?.certificate)
                    }
                    guard received.readableBytes <= Self.maxHeadBytes else { throw ProbeError.headTooLarge }
                }
                throw ProbeError.closedBeforeResponse
            }
        }
    }

    private func makeContext(verifying: Bool) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verifying ? .fullVerification : .none
        configuration.trustRoots = trustRoots
        configuration.applicationProtocols = ["http/1.1"]
        return try NIOSSLContext(configuration: configuration)
    }

    static func requestText(for target: RouteProbeTarget) -> String {
        "GET \(target.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nUser-Agent: sprocketctl-route-probe\r\n"
            + "Accept: */*\r\nConnection: close\r\n\r\n"
    }

    /// TLS errors: the ones worth a second, unverified attempt to read the certificate.
    static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError
    }

    static func describe(_ error: any Error) -> String {
        if let ioError = error as? IOError { return String(cString: strerror(ioError.errnoCode)).lowercased() }
        if let connectionError = error as? NIOConnectionError, let first = connectionError.connectionErrors.first {
            return describe(first.error)
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return "connect timed out" }
        return tlsReason("\(error)") ?? "\(error)"
    }

    /// BoringSSL's reason without the error codes and the source path of the build (`handshakeFailed(…
    /// OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /…/handshake.cc:320)` → `CERTIFICATE_VERIFY_FAILED: …`).
    static func tlsReason(_ text: String) -> String? {
        guard let start = text.range(of: "OPENSSL_internal:") else { return nil }
        let rest = text[start.upperBound...]
        let reason = String(rest.prefix { $0 != " " && $0 != "]" && $0 != ")" })
        guard !reason.isEmpty else { return nil }
        let meaning = reason == "CERTIFICATE_VERIFY_FAILED"
            ? ": the chain does not lead to a trusted root (or is expired or for another name)" : ""
        return "TLS handshake failed: \(reason)\(meaning)"
    }
}

extension RouteProbeResult {
    init(_ exchange: RouteProbe.Exchange, target: RouteProbeTarget, verificationFailure: String?) {
        self.init(
            target: target, statusCode: exchange.head.status, location: exchange.head.location,
            certificate: exchange.certificate.map { PeerCertificate($0, verificationFailure: verificationFailure) })
    }
}
