import Logging
import NIOCore
import NIOPosix

/// A stub resolver that asks one recursive DNS server over UDP, with a per-attempt timeout and retries, and asks
/// again over TCP when the answer comes back truncated (TC bit).
///
/// It builds and parses the messages itself (``DNSMessage``), so the preflight does not depend on the C
/// library's resolver (which cannot return CAA records) or on any tool being installed.
public struct UDPDNSResolver: DNSResolver {
    /// The server asked.
    public var server: DNSServerAddress
    /// How long one attempt waits for an answer.
    public var timeout: Duration
    /// How many times a question is sent before giving up (at least 1).
    public var attempts: Int
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    /// - Parameters:
    ///   - server: the recursive resolver to ask.
    ///   - timeout: per attempt; a question takes at most `timeout × attempts`.
    ///   - attempts: sends of the same question (UDP loses packets).
    ///   - eventLoopGroup: where sockets live; the process-wide singleton by default.
    ///   - logger: queries and answers at `trace`, retries at `debug`.
    public init(
        server: DNSServerAddress, timeout: Duration = .seconds(2), attempts: Int = 3,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "sprocket.letsencrypt.dns")
    ) {
        self.server = server
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// A resolver for the first `nameserver` in `resolvConf`.
    /// - Throws: ``DNSError/configuration(path:reason:)`` when the file names no usable server.
    public static func system(
        resolvConf: String = "/etc/resolv.conf", timeout: Duration = .seconds(2), attempts: Int = 3
    ) throws -> UDPDNSResolver {
        UDPDNSResolver(server: try DNSServerAddress.systemDefault(resolvConf: resolvConf), timeout: timeout,
                       attempts: attempts)
    }

    public var serverDescription: String { server.description }

    public func query(_ name: String, type: DNSRecordType) async throws -> [DNSResourceRecord] {
        let normalized = DNSName.normalize(name)
        let id = UInt16.random(in: 0...UInt16.max)
        let request: [UInt8]
        do {
            request = try DNSMessage.query(id: id, name: normalized, type: type).encode()
        } catch {
            throw DNSError.invalidName(name, reason: error.detail)
        }
        let address = try socketAddress()
        logger.trace("dns query", metadata: ["name": "\(normalized)", "type": "\(type)", "server": "\(server)"])
        var response = try await exchangeOverUDP(request, id: id, to: address, name: normalized, type: type)
        if response.isTruncated {
            logger.debug("dns answer truncated, asking over tcp", metadata: ["name": "\(normalized)"])
            response = try await exchangeOverTCP(request, to: address)
        }
        return try answers(in: response, id: id, name: normalized, type: type)
    }

    /// Checks that `response` answers our question and maps its RCODE to ``DNSError``.
    private func answers(in response: DNSMessage, id: UInt16, name: String, type: DNSRecordType) throws
        -> [DNSResourceRecord]
    {
        guard response.id == id, response.isResponse else {
            throw DNSError.malformedResponse(server: server.description, detail: "the reply is not a response to our query")
        }
        if let question = response.questions.first,
            DNSName.normalize(question.name) != name || question.type != type
        {
            throw DNSError.malformedResponse(
                server: server.description,
                detail: "it answered \(question.type) \(question.name) instead of \(type) \(name)")
        }
        switch response.responseCode {
        case .noError: return response.answers
        case .nameError: throw DNSError.nameNotFound(name: name, server: server.description)
        case .serverFailure: throw DNSError.serverFailure(name: name, type: type, server: server.description)
        default:
            throw DNSError.unexpectedResponseCode(response.responseCode, name: name, type: type,
                                                  server: server.description)
        }
    }

    private func socketAddress() throws -> SocketAddress {
        do {
            return try SocketAddress(ipAddress: server.address.description, port: server.port)
        } catch {
            throw DNSError.invalidServer(server.description, reason: "\(error)")
        }
    }

    private func exchangeOverUDP(
        _ request: [UInt8], id: UInt16, to address: SocketAddress, name: String, type: DNSRecordType
    ) async throws -> DNSMessage {
        for attempt in 1...attempts {
            do {
                return try await sendDatagram(request, id: id, to: address)
            } catch is DNSAttemptTimedOut {
                logger.debug("dns attempt timed out",
                             metadata: ["name": "\(name)", "server": "\(server)", "attempt": "\(attempt)"])
            } catch let error as DNSMessageFormatError {
                throw DNSError.malformedResponse(server: server.description, detail: error.description)
            } catch let error as DNSError {
                throw error
            } catch {
                throw DNSError.transport(server: server.description, reason: "\(error)")
            }
            try Task.checkCancellation()
        }
        throw DNSError.timeout(name: name, type: type, server: server.description, attempts: attempts,
                               timeout: timeout)
    }

    /// One UDP attempt on a fresh socket (so each attempt gets a new random source port).
    private func sendDatagram(_ request: [UInt8], id: UInt16, to address: SocketAddress) async throws -> DNSMessage {
        let channel = try await DatagramBootstrap(group: eventLoopGroup)
            .bind(host: server.address.isIPv6 ? "::" : "0.0.0.0", port: 0).get()
        let promise = channel.eventLoop.makePromise(of: DNSMessage.self)
        let timer = channel.eventLoop.scheduleTask(in: timeAmount) { promise.fail(DNSAttemptTimedOut()) }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(
                DNSDatagramHandler(server: address, expectedID: id, promise: promise))
        }.get()
        let envelope = AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: request))
        channel.writeAndFlush(envelope).cascadeFailure(to: promise)
        return try await promise.futureResult.get()
    }

    /// The TCP fallback for truncated answers: one connection, one length-prefixed message each way.
    private func exchangeOverTCP(_ request: [UInt8], to address: SocketAddress) async throws -> DNSMessage {
        do {
            let channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(timeAmount)
                .connect(to: address).get()
            let promise = channel.eventLoop.makePromise(of: [UInt8].self)
            let timer = channel.eventLoop.scheduleTask(in: timeAmount) { promise.fail(DNSAttemptTimedOut()) }
            defer {
                timer.cancel()
                channel.close(promise: nil)
            }
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(DNSStreamHandler(promise: promise))
            }.get()
            var frame = ByteBuffer()
            frame.writeInteger(UInt16(request.count))
            frame.writeBytes(request)
            channel.writeAndFlush(frame).cascadeFailure(to: promise)
            return try DNSMessage(decoding: try await promise.futureResult.get())
        } catch is DNSAttemptTimedOut {
            throw DNSError.transport(server: server.description, reason: "no answer over TCP within \(timeout)")
        } catch let error as DNSMessageFormatError {
            throw DNSError.malformedResponse(server: server.description, detail: error.description)
        } catch {
            throw DNSError.transport(server: server.description, reason: "TCP fallback after a truncated answer failed: \(error)")
        }
    }

    private var timeAmount: TimeAmount {
        let (seconds, attoseconds) = timeout.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
