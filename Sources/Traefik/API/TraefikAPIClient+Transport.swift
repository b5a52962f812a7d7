import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix

extension TraefikAPIClient {
    /// Largest body read from the API; ten thousand routers stay well below it.
    static let maxBodyBytes = 32 << 20
    /// How much of an error body a message keeps.
    static let maxExcerptCharacters = 512
    /// Time the outer bound leaves AsyncHTTPClient's own deadline to fail with its more precise error first.
    static let deadlineGrace = Duration.seconds(1)

    /// A 2xx answer, buffered.
    struct Reply: Sendable {
        var status: Int
        var reason: String
        var headers: [(name: String, value: String)]
        var body: ByteBuffer

        var text: String { String(buffer: body) }

        /// The first value of a header, matched case-insensitively.
        func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// The display form of an endpoint: base URL plus path (and query, when there is one).
    func endpoint(_ path: String, query: [(String, String)] = []) -> String {
        baseURL + path + Self.queryString(query)
    }

    private static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+")
        let pairs = query.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }
        return "?" + pairs.joined(separator: "&")
    }

    /// GETs `path` and returns the buffered 2xx reply; everything else becomes a ``TraefikAPIError``.
    func get(_ path: String, query: [(String, String)] = []) async throws -> Reply {
        let shown = endpoint(path, query: query)
        var request = HTTPClientRequest(url: shown)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "sprocketctl-traefik")
        if let authorization = authentication.authorizationHeader {
            request.headers.add(name: "Authorization", value: authorization)
        }
        for header in extraHeaders {
            request.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        let (http, timeout, logger, prepared) = (self.http, requestTimeout, self.logger, request)
        let reply: Reply
        do {
            // AsyncHTTPClient retries a refused connection until its deadline and then reports why it failed;
            // the outer bound, a little later, only catches a body that stalls after the head arrived.
            reply = try await Self.bounded(by: timeout + Self.deadlineGrace, reporting: timeout, endpoint: shown) {
                let response = try await http.execute(prepared, timeout: TimeAmount(timeout), logger: logger)
                let body = try await response.body.collect(upTo: Self.maxBodyBytes)
                return Reply(
                    status: Int(response.status.code), reason: response.status.reasonPhrase,
                    headers: response.headers.map { ($0.name, $0.value) }, body: body)
            }
        } catch let error as TraefikAPIError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw Self.classify(error, endpoint: shown, timeout: timeout)
        }
        logger.trace("traefik api response", metadata: ["path": "\(path)", "status": "\(reply.status)"])
        guard (200..<300).contains(reply.status) else {
            throw TraefikAPIError.http(endpoint: shown, status: reply.status, message: Self.message(in: reply))
        }
        return reply
    }

    /// Decodes a 2xx reply, naming the coding path of the first field that does not fit.
    func decode<T: Decodable>(_ type: T.Type, from reply: Reply, endpoint: String) throws(TraefikAPIError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(reply.body.readableBytesView))
        } catch let error as DecodingError {
            throw Self.undecodable(error, endpoint: endpoint)
        } catch {
            throw .undecodable(endpoint: endpoint, field: "", detail: "\(error)")
        }
    }

    /// Runs `operation`, failing with ``TraefikAPIError/timeout(endpoint:after:)`` (saying `reported`) when it takes
    /// longer than `limit` (AsyncHTTPClient's own deadline stops covering the request once the head has arrived).
    static func bounded<T: Sendable>(
        by limit: Duration, reporting reported: Duration, endpoint: String,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask(operation: operation)
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let finished = try await group.next(), let value = finished else {
                throw TraefikAPIError.timeout(endpoint: endpoint, after: reported)
            }
            return value
        }
    }

    /// Traefik's `{"message": …}` (its `writeError` body, sent as text/plain), else an excerpt of the body, else the
    /// reason phrase.
    static func message(in reply: Reply) -> String {
        struct Message: Decodable { var message: String }
        if let decoded = try? JSONDecoder().decode(Message.self, from: Data(reply.body.readableBytesView)) {
            return decoded.message
        }
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return reply.reason }
        return text.count > maxExcerptCharacters ? String(text.prefix(maxExcerptCharacters)) + "…" : text
    }

    /// A ``TraefikAPIError/undecodable(endpoint:field:detail:)`` with the failing field as `a.b[2].c`.
    static func undecodable(_ error: DecodingError, endpoint: String) -> TraefikAPIError {
        let (path, detail): ([any CodingKey], String)
        switch error {
        case .keyNotFound(let key, let context):
            (path, detail) = (context.codingPath + [key], "missing")
        case .typeMismatch(let type, let context):
            (path, detail) = (context.codingPath, "expected \(type): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            (path, detail) = (context.codingPath, "expected \(type), found null")
        case .dataCorrupted(let context):
            (path, detail) = (context.codingPath, context.debugDescription)
        @unknown default:
            (path, detail) = ([], "\(error)")
        }
        let field = path.reduce(into: "") { text, key in
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return .undecodable(endpoint: endpoint, field: field, detail: detail)
    }

    /// Maps AsyncHTTPClient and NIO errors by type and errno, never by message text.
    static func classify(_ error: any Error, endpoint: String, timeout: Duration) -> TraefikAPIError {
        switch error {
        case let error as HTTPClientError where error == .connectTimeout:
            return .unreachable(endpoint: endpoint, reason: "connection timed out")
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            return .timeout(endpoint: endpoint, after: timeout)
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first {
                return .unreachable(endpoint: endpoint, reason: unreachableReason(first.error) ?? "\(first.error)")
            }
            return .unreachable(endpoint: endpoint, reason: "cannot resolve host \(error.host)")
        case is NIOTooManyBytesError:
            return .transport(endpoint: endpoint, reason: "the response is larger than \(maxBodyBytes) bytes")
        default:
            if let reason = unreachableReason(error) { return .unreachable(endpoint: endpoint, reason: reason) }
            return .transport(endpoint: endpoint, reason: "\(error)")
        }
    }

    /// A reason when `error` is a socket error meaning nothing answered at that address.
    private static func unreachableReason(_ error: any Error) -> String? {
        if let ioError = error as? IOError,
            [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ETIMEDOUT, EADDRNOTAVAIL].contains(ioError.errnoCode)
        {
            return String(cString: strerror(ioError.errnoCode)).lowercased()
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return "connection timed out"
        }
        return nil
    }
}
