import NIOCore

/// Completes `promise` with the first datagram from `server` that parses and carries `expectedID`.
///
/// Datagrams from other addresses or with another ID are dropped (late answers to an earlier attempt, spoofing).
final class DNSDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let server: SocketAddress
    private let expectedID: UInt16
    private let promise: EventLoopPromise<DNSMessage>

    init(server: SocketAddress, expectedID: UInt16, promise: EventLoopPromise<DNSMessage>) {
        self.server = server
        self.expectedID = expectedID
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == server else { return }
        let bytes = Array(envelope.data.readableBytesView)
        do {
            let message = try DNSMessage(decoding: bytes)
            if message.id == expectedID { promise.succeed(message) }
        } catch {
            // Only a header that matches our ID makes a garbled datagram ours to report.
            if bytes.count >= 2, UInt16(bytes[0]) << 8 | UInt16(bytes[1]) == expectedID { promise.fail(error) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
    }
}

/// Reassembles one length-prefixed DNS message from a TCP stream (RFC 1035 §4.2.2) and completes `promise` with it.
final class DNSStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<[UInt8]>
    private var received: [UInt8] = []

    init(promise: EventLoopPromise<[UInt8]>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += unwrapInboundIn(data).readableBytesView
        guard received.count >= 2 else { return }
        let length = Int(received[0]) << 8 | Int(received[1])
        if received.count >= 2 + length {
            promise.succeed(Array(received[2..<2 + length]))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(DNSStreamClosedEarly(received: received.count))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}

/// The server closed a TCP connection before a whole message arrived.
struct DNSStreamClosedEarly: Error, CustomStringConvertible {
    let received: Int
    var description: String { "the connection closed after \(received) bytes, before a whole DNS message arrived" }
}

/// One attempt's timer went off.
struct DNSAttemptTimedOut: Error {}
