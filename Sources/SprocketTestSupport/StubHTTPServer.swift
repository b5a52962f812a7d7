import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// An in-process HTTP/1.1 server on a temporary unix socket, for testing wire clients without a real daemon.
///
/// It records every request (method, URI, headers exactly as sent, body) and answers with whatever the handler
/// returns. The HTTP parsing is deliberately minimal: requests must carry `Content-Length` when they have a body
/// (AsyncHTTPClient does for `.bytes` bodies); chunked request bodies are not supported.
///
/// ```swift
/// try await StubHTTPServer.withServer { request in
///     request.path == "/_ping" ? .text("OK", headers: [("API-Version", "1.41")]) : .json("{}")
/// } body: { server in
///     // point a client at server.socketPath, then inspect server.requests
/// }
/// ```
public final class StubHTTPServer: Sendable {
    /// A request as the server received it.
    public struct Request: Sendable, Equatable {
        /// `GET`, `POST`, …
        public var method: String
        /// The request target, e.g. `/v1.41/services?filters=%7B%7D`.
        public var uri: String
        /// Headers in the order received, names as sent.
        public var headers: [Header]
        /// The raw body.
        public var body: [UInt8]

        /// The URI without its query.
        public var path: String { String(uri.prefix { $0 != "?" }) }

        /// Query parameters, percent-decoded; a repeated name keeps its last value.
        public var query: [String: String] {
            guard let mark = uri.firstIndex(of: "?") else { return [:] }
            var result: [String: String] = [:]
            for pair in uri[uri.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
                let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
                result[name] = value
            }
            return result
        }

        /// The body as UTF-8 text.
        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The first value of a header, matched case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// One header line.
    public struct Header: Sendable, Equatable {
        /// The name as sent.
        public var name: String
        /// The value, trimmed.
        public var value: String

        /// Creates a header.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A scripted answer.
    public struct Response: Sendable {
        /// HTTP status code.
        public var status: Int
        /// Headers besides the framing ones, which the server adds.
        public var headers: [Header]
        /// Body parts. One part is sent with `Content-Length`; several are sent as separate HTTP chunks
        /// (`Transfer-Encoding: chunked`), each flushed on its own, to exercise streaming readers.
        public var parts: [[UInt8]]
        /// Wait this long before answering, to exercise client timeouts.
        public var delay: Duration

        /// Creates a response.
        public init(status: Int = 200, headers: [Header] = [], parts: [[UInt8]] = [[]], delay: Duration = .zero) {
            self.status = status
            self.headers = headers
            self.parts = parts
            self.delay = delay
        }

        /// Returns a copy that is sent only after `delay`.
        public func delayed(by delay: Duration) -> Response {
            var copy = self
            copy.delay = delay
            return copy
        }

        /// A JSON response.
        public static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Response {
            body(text, contentType: "application/json", status: status, headers: headers)
        }

        /// A plain-text response.
        public static func text(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Response {
            body(text, contentType: "text/plain; charset=utf-8", status: status, headers: headers)
        }

        private static func body(
            _ text: String, contentType: String, status: Int, headers: [(String, String)]
        ) -> Response {
            Response(
                status: status,
                headers: [Header(name: "Content-Type", value: contentType)]
                    + headers.map { Header(name: $0.0, value: $0.1) },
                parts: [Array(text.utf8)]
            )
        }

        /// A response whose body is sent as several separately flushed HTTP chunks.
        public static func chunked(_ parts: [[UInt8]], status: Int = 200, headers: [(String, String)] = []) -> Response
        {
            Response(status: status, headers: headers.map { Header(name: $0.0, value: $0.1) }, parts: parts)
        }
    }

    /// Computes the answer to a request.
    public typealias Handler = @Sendable (Request) -> Response

    /// Where a server listens.
    public enum Endpoint: Sendable {
        /// A fresh unix socket under `/tmp` (`/tmp` rather than `TMPDIR`: socket paths are limited to about 100 bytes).
        case unixSocket
        /// A TCP port on `host`; port 0 lets the kernel choose a free one (read it back from ``port``).
        case tcp(host: String = "127.0.0.1", port: Int = 0)
    }

    /// The socket the server listens on, or an empty string for a TCP server.
    public let socketPath: String
    /// The TCP port the server listens on, or nil for a unix-socket server.
    public let port: Int?
    private let channel: any Channel
    private let log: RequestLog

    private init(socketPath: String, port: Int?, channel: any Channel, log: RequestLog) {
        self.socketPath = socketPath
        self.port = port
        self.channel = channel
        self.log = log
    }

    /// `http://127.0.0.1:PORT` for a TCP server (what `VAULT_ADDR`-style settings expect), nil for a unix socket.
    public var baseURL: String? { port.map { "http://127.0.0.1:\($0)" } }

    /// Starts a server on a fresh unix socket under `/tmp`, or on a TCP port.
    public static func start(on endpoint: Endpoint = .unixSocket, handler: @escaping Handler) async throws -> StubHTTPServer {
        let log = RequestLog()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(StubRequestDecoder()))
                    try child.pipeline.syncOperations.addHandler(StubConnectionHandler(log: log, handler: handler))
                }
            }
        switch endpoint {
        case .unixSocket:
            let socketPath = "/tmp/sprocket-stub-\(UUID().uuidString.prefix(8).lowercased()).sock"
            let channel = try await bootstrap.bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true).get()
            return StubHTTPServer(socketPath: socketPath, port: nil, channel: channel, log: log)
        case .tcp(let host, let port):
            let channel = try await bootstrap.bind(host: host, port: port).get()
            return StubHTTPServer(socketPath: "", port: channel.localAddress?.port ?? port, channel: channel, log: log)
        }
    }

    /// Runs `body` with a started server and shuts it down afterwards, whether `body` succeeds or throws.
    @discardableResult
    public static func withServer<T: Sendable>(
        on endpoint: Endpoint = .unixSocket, handler: @escaping Handler, body: (StubHTTPServer) async throws -> T
    ) async throws -> T {
        let server = try await start(on: endpoint, handler: handler)
        do {
            let result = try await body(server)
            try await server.shutdown()
            return result
        } catch {
            try? await server.shutdown()
            throw error
        }
    }

    /// Every request received so far, in arrival order.
    public var requests: [Request] { log.all }

    /// Stops listening and removes the socket file.
    public func shutdown() async throws {
        try await channel.close()
        if !socketPath.isEmpty { try? FileManager.default.removeItem(atPath: socketPath) }
    }
}

/// The thread-safe list of received requests, shared with the connection handlers.
final class RequestLog: Sendable {
    private let requests = Mutex<[StubHTTPServer.Request]>([])

    func append(_ request: StubHTTPServer.Request) {
        requests.withLock { $0.append(request) }
    }

    var all: [StubHTTPServer.Request] { requests.withLock { $0 } }
}

/// Parses HTTP/1.1 requests (request line, headers, `Content-Length` body) off a connection.
struct StubRequestDecoder: ByteToMessageDecoder {
    typealias InboundOut = StubHTTPServer.Request

    private static let headerEnd: [UInt8] = Array("\r\n\r\n".utf8)

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let bytes = Array(buffer.readableBytesView)
        guard let headEnd = Self.find(Self.headerEnd, in: bytes) else { return .needMoreData }
        let headText = String(decoding: bytes[..<headEnd], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else { throw StubWireError.malformedRequestLine(headText) }
        let headers = lines.compactMap { line -> StubHTTPServer.Header? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return StubHTTPServer.Header(
                name: String(line[..<colon]),
                value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            )
        }
        let lengthText = headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0"
        guard let length = Int(lengthText) else { throw StubWireError.malformedRequestLine(headText) }
        let bodyStart = headEnd + Self.headerEnd.count
        guard bytes.count >= bodyStart + length else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: bodyStart + length)
        let request = StubHTTPServer.Request(
            method: String(requestLine[0]),
            uri: String(requestLine[1]),
            headers: headers,
            body: Array(bytes[bodyStart..<(bodyStart + length)])
        )
        context.fireChannelRead(wrapInboundOut(request))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}

enum StubWireError: Error {
    case malformedRequestLine(String)
}

/// Records each request and writes the scripted response.
final class StubConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = StubHTTPServer.Request
    typealias OutboundOut = ByteBuffer

    private let log: RequestLog
    private let handler: StubHTTPServer.Handler

    init(log: RequestLog, handler: @escaping StubHTTPServer.Handler) {
        self.log = log
        self.handler = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request = unwrapInboundIn(data)
        log.append(request)
        let response = handler(request)
        let closeAfter = request.header("Connection")?.lowercased() == "close"
        guard response.delay > .zero else {
            answer(response, closeAfter: closeAfter, context: context)
            return
        }
        // The scheduled closure is @Sendable; the loop-bound boxes carry the handler and context back to their loop.
        let boundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: TimeAmount(response.delay)) {
            boundSelf.value.answer(response, closeAfter: closeAfter, context: boundContext.value)
        }
    }

    private func answer(_ response: StubHTTPServer.Response, closeAfter: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        write(response, context: context)
        if closeAfter {
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func write(_ response: StubHTTPServer.Response, context: ChannelHandlerContext) {
        let isChunked = response.parts.count > 1
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for header in response.headers {
            head += "\(header.name): \(header.value)\r\n"
        }
        if isChunked {
            head += "Transfer-Encoding: chunked\r\n\r\n"
        } else {
            head += "Content-Length: \(response.parts.first?.count ?? 0)\r\n\r\n"
        }
        var buffer = context.channel.allocator.buffer(string: head)
        if !isChunked, let body = response.parts.first {
            buffer.writeBytes(body)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        for part in response.parts where !part.isEmpty {
            var chunk = context.channel.allocator.buffer(string: String(part.count, radix: 16) + "\r\n")
            chunk.writeBytes(part)
            chunk.writeString("\r\n")
            context.writeAndFlush(wrapOutboundOut(chunk), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: "0\r\n\r\n")), promise: nil)
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 409: "Conflict"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
