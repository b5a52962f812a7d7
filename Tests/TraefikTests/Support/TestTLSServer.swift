import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A loopback HTTPS server that behaves like Traefik's `websecure` entry point for certificates: it serves
/// `named` when the client's SNI matches one of its names, and `fallback` (Traefik's default certificate)
/// otherwise, including when no SNI was sent. It answers every request with `200 ok` and records the SNI and
/// `Host` of each connection.
final class TestTLSServer: Sendable {
    struct Connection: Sendable, Equatable {
        var serverName: String?
        var host: String?
    }

    let port: Int
    private let channel: any Channel
    private let recorded: Mutex<[Connection]>

    var connections: [Connection] { recorded.withLock { $0 } }

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
        self.recorded = Mutex([])
    }

    static func start(
        named: SelfSignedCertificate, names: Set<String>, fallback: SelfSignedCertificate
    ) async throws -> TestTLSServer {
        let log = ConnectionLog()
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(fallback.certificate)], privateKey: .privateKey(fallback.privateKey))
        configuration.sslContextCallback = { values, promise in
            log.sni(values.serverHostname)
            var override = NIOSSLContextConfigurationOverride()
            if let name = values.serverHostname, names.contains(name) {
                override.certificateChain = [.certificate(named.certificate)]
                override.privateKey = .privateKey(named.privateKey)
            }
            promise.succeed(override)
        }
        let context = try NIOSSLContext(configuration: configuration)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try child.pipeline.syncOperations.addHandler(OKResponder(log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = TestTLSServer(port: channel.localAddress?.port ?? 0, channel: channel)
        log.attach(server)
        return server
    }

    fileprivate func record(_ connection: Connection) {
        recorded.withLock { $0.append(connection) }
    }

    func shutdown() async throws {
        try await channel.close()
    }
}

/// Carries the SNI seen during a handshake to the request that follows on the same connection. Connections in
/// these tests are sequential, so "the last SNI" is the SNI of the connection being answered.
private final class ConnectionLog: Sendable {
    private let state = Mutex<(lastSNI: String?, server: TestTLSServer?)>((nil, nil))

    func attach(_ server: TestTLSServer) { state.withLock { $0.server = server } }
    func sni(_ name: String?) { state.withLock { $0.lastSNI = name } }

    func request(host: String?) {
        let (sni, server) = state.withLock { ($0.lastSNI, $0.server) }
        server?.record(TestTLSServer.Connection(serverName: sni, host: host))
    }
}

/// Reads a request head and answers `200 ok`, then closes.
private final class OKResponder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let log: ConnectionLog
    private var received = ""

    init(log: ConnectionLog) { self.log = log }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += String(buffer: unwrapInboundIn(data))
        guard let end = received.range(of: "\r\n\r\n") else { return }
        let host = received[..<end.lowerBound].split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("host:") }
            .map { String($0.dropFirst(5)).trimmingCharacters(in: .whitespaces) }
        log.request(host: host)
        let response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: response))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
