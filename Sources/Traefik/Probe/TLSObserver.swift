import NIOCore
import NIOSSL
import Synchronization

/// Sits behind the TLS handler and keeps what the probe needs after the connection may already be gone: the
/// peer's certificate (taken when the first bytes of the response arrive, so the handshake is done) and the
/// first error.
///
/// When a handshake fails, NIOSSL reports the reason (an unknown issuer, a name mismatch) through `errorCaught`
/// and closes the channel; the request write that raced it then fails with a bare "I/O on closed channel". And a
/// server that answers and closes at once tears the pipeline down before the reader could ask NIOSSL for the
/// certificate.
final class TLSObserver: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let state = Mutex<(error: (any Error)?, certificate: NIOSSLCertificate?)>((nil, nil))

    /// The first error seen on the channel, if any.
    var error: (any Error)? { state.withLock { $0.error } }
    /// The peer's leaf certificate, once response bytes have arrived.
    var certificate: NIOSSLCertificate? { state.withLock { $0.certificate } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if certificate == nil, let peer = try? context.pipeline.syncOperations.nioSSL_peerCertificate() {
            state.withLock { $0.certificate = peer }
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        state.withLock { if $0.error == nil { $0.error = error } }
        context.fireErrorCaught(error)
    }
}
