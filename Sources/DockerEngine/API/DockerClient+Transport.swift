import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix

extension DockerClient {
    /// Largest JSON body buffered by ``send(_:)``; service and task lists of big swarms stay well below this.
    static let maxJSONBodyBytes = 64 << 20
    /// How much of a non-JSON error body is kept in ``DockerClientError/http(status:method:path:message:)``.
    static let maxErrorExcerptBytes = 2_048

    /// A buffered 2xx response.
    struct BufferedResponse: Sendable {
        /// Response headers, names as sent.
        var headers: [(name: String, value: String)]
        var body: ByteBuffer

        /// The first value of a header, matched case-insensitively.
        func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// Sends a request and returns the whole (capped) body of a 2xx response.
    func send(_ request: DockerRequest, maxBytes: Int = maxJSONBodyBytes) async throws -> BufferedResponse {
        try await perform(request) { response, method, path in
            let body = try await Self.collect(response.body, upTo: maxBytes, method: method, path: path)
            return BufferedResponse(headers: response.headers.map { ($0.name, $0.value) }, body: body)
        }
    }

    /// Sends a request and decodes the JSON body of a 2xx response.
    func sendDecoding<T: Decodable & Sendable>(_ type: T.Type, _ request: DockerRequest) async throws -> T {
        let response = try await send(request)
        return try DockerJSON.decode(type, from: response.body, path: request.path)
    }

    /// Sends a request and checks only the status.
    func sendIgnoringBody(_ request: DockerRequest) async throws {
        _ = try await send(request, maxBytes: Self.maxErrorExcerptBytes * 8)
    }

    /// Sends a request, maps failures to ``DockerClientError`` and hands a 2xx response to `handle` under the
    /// request's deadline. Non-2xx responses never reach `handle`.
    func perform<T: Sendable>(
        _ request: DockerRequest,
        handle: @escaping @Sendable (HTTPClientResponse, _ method: String, _ path: String) async throws -> T
    ) async throws -> T {
        let version = request.isVersioned ? try await apiVersion : nil
        let uri = request.uri(version: version)
        let method = request.method.rawValue
        let path = (request.isVersioned ? version?.pathPrefix ?? "" : "") + request.path
        guard let url = endpoint.url(forURI: uri) else {
            throw DockerClientError.invalidEndpoint("cannot build a URL for \(endpoint) and \(uri)")
        }
        var httpRequest = HTTPClientRequest(url: url)
        switch request.method {
        case .GET: httpRequest.method = .GET
        case .POST: httpRequest.method = .POST
        case .PUT: httpRequest.method = .PUT
        case .DELETE: httpRequest.method = .DELETE
        }
        httpRequest.headers.replaceOrAdd(name: "Host", value: endpoint.hostHeader)
        httpRequest.headers.add(name: "User-Agent", value: "sprocketctl-docker-engine")
        for (name, value) in request.headers {
            httpRequest.headers.replaceOrAdd(name: name, value: value)
        }
        if let body = request.body {
            httpRequest.body = .bytes(ByteBuffer(bytes: body))
        } else if request.method == .POST || request.method == .PUT {
            // An explicit empty body makes AHC send Content-Length: 0, which some servers need on body-less POSTs.
            httpRequest.body = .bytes(ByteBuffer())
        }
        let timeout = request.timeout ?? requestTimeout
        recordCall(method: method, route: request.route)
        let started = ContinuousClock.now
        let http = self.http
        let logger = self.logger
        let prepared = httpRequest
        do {
            let result = try await Self.withDeadline(timeout, method: method, path: path) {
                let response = try await http.execute(prepared, deadline: .now() + TimeAmount(timeout), logger: logger)
                logger.trace(
                    "docker api response",
                    metadata: ["method": "\(method)", "path": "\(path)", "status": "\(response.status.code)"]
                )
                guard (200..<300).contains(response.status.code) else {
                    throw await Self.httpError(response, method: method, path: path)
                }
                return try await handle(response, method, path)
            }
            logger.trace(
                "docker api call finished",
                metadata: ["method": "\(method)", "path": "\(path)", "duration": "\(ContinuousClock.now - started)"]
            )
            return result
        } catch let error as DockerClientError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw mapTransportError(error, method: method, path: path, timeout: timeout)
        }
    }

    /// Runs `operation`, failing with ``DockerClientError/timeout(method:path:after:)`` once `timeout` has passed.
    ///
    /// AHC's own deadline only covers the response head; this also bounds reading the body. Cancelling the
    /// operation's task makes AHC cancel the request and close the connection.
    static func withDeadline<T: Sendable>(
        _ timeout: Duration, method: String, path: String,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        return try await withThrowingTaskGroup(of: DeadlineOutcome<T>.self) { group in
            group.addTask { .finished(try await operation()) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return .timedOut
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else {
                throw DockerClientError.timeout(method: method, path: path, after: timeout)
            }
            switch first {
            case .finished(let value):
                return value
            case .timedOut:
                throw DockerClientError.timeout(method: method, path: path, after: timeout)
            }
        }
    }

    /// Which of the two racing child tasks of ``withDeadline(_:method:path:_:)`` finished first.
    enum DeadlineOutcome<T: Sendable>: Sendable {
        case finished(T)
        case timedOut
    }

    /// Collects a body up to `limit` bytes.
    static func collect(
        _ body: HTTPClientResponse.Body, upTo limit: Int, method: String, path: String
    ) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await var chunk in body {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                throw DockerClientError.responseTooLarge(method: method, path: path, limit: limit)
            }
            collected.writeBuffer(&chunk)
        }
        return collected
    }

    /// Builds ``DockerClientError/http(status:method:path:message:)`` from an error response, keeping the
    /// daemon's `{"message": …}` verbatim or else a capped excerpt of the body.
    static func httpError(_ response: HTTPClientResponse, method: String, path: String) async -> DockerClientError {
        let status = Int(response.status.code)
        var excerpt = ByteBuffer()
        do {
            for try await var chunk in response.body {
                let room = maxErrorExcerptBytes * 4 - excerpt.readableBytes
                guard room > 0 else { break }
                if var slice = chunk.readSlice(length: min(room, chunk.readableBytes)) {
                    excerpt.writeBuffer(&slice)
                }
            }
        } catch {
            // The status already says what matters; a body cut short only loses detail.
        }
        struct Message: Decodable { var message: String }
        if let decoded = try? JSONDecoder().decode(Message.self, from: Data(excerpt.readableBytesView)) {
            return .http(status: status, method: method, path: path, message: decoded.message)
        }
        let raw = String(decoding: excerpt.readableBytesView.prefix(maxErrorExcerptBytes), as: UTF8.self)
            .trimmingWhitespace()
        let message = raw.isEmpty ? response.status.reasonPhrase : raw
        return .http(status: status, method: method, path: path, message: message)
    }

    /// Turns AHC and NIO errors into ``DockerClientError``. Connection failures are recognised by error type and
    /// errno, never by message text.
    func mapTransportError(_ error: any Error, method: String, path: String, timeout: Duration) -> DockerClientError {
        if let reason = Self.connectionFailureReason(error) {
            return .daemonUnreachable(endpoint: endpoint.description, reason: reason)
        }
        if let clientError = error as? HTTPClientError,
            clientError == .deadlineExceeded || clientError == .readTimeout
        {
            return .timeout(method: method, path: path, after: timeout)
        }
        return .transport(method: method, path: path, reason: "\(error)")
    }

    /// The errno values that mean "nothing is listening there".
    private static let unreachableErrnos: Set<Int32> = [
        ECONNREFUSED, ENOENT, ENOTDIR, EACCES, EPERM, EHOSTUNREACH, ENETUNREACH, ETIMEDOUT, EADDRNOTAVAIL, ENOTSOCK,
    ]

    /// A human reason when `error` means the daemon could not be reached, else nil.
    static func connectionFailureReason(_ error: any Error) -> String? {
        if let ioError = error as? IOError, unreachableErrnos.contains(ioError.errnoCode) {
            return String(cString: strerror(ioError.errnoCode)).lowercased()
        }
        if let connectionError = error as? NIOConnectionError {
            let reasons = connectionError.connectionErrors.map { connectionFailureReason($0.error) ?? "\($0.error)" }
            if let first = reasons.first { return first }
            if connectionError.dnsAError != nil || connectionError.dnsAAAAError != nil {
                return "cannot resolve host \(connectionError.host)"
            }
            return "connection failed"
        }
        if let clientError = error as? HTTPClientError, clientError == .connectTimeout {
            return "connection timed out"
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return "connection timed out"
        }
        if error is SocketAddressError {
            return "invalid socket address (\(error))"
        }
        return nil
    }
}
