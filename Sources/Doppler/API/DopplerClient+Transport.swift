import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension DopplerClient {
    /// Largest body this client buffers; a config's secrets are a small JSON object.
    static let maxBodyBytes = 4 << 20

    /// The parameters of one download, and the key its ETag and values are remembered under.
    struct DownloadRequest: Sendable {
        var query: [URLQueryItem]
        var cacheKey: String
        /// `project "p", config "c"` or `the service token's config`, for errors.
        var scope: String

        init(configuration: DopplerConfiguration, nameTransformer: DopplerNameTransformer?, names: [String]?) {
            var query: [URLQueryItem] = []
            if let project = configuration.project { query.append(URLQueryItem(name: "project", value: project)) }
            if let config = configuration.config { query.append(URLQueryItem(name: "config", value: config)) }
            query.append(URLQueryItem(name: "format", value: "json"))
            if let nameTransformer {
                query.append(URLQueryItem(name: "name_transformer", value: nameTransformer.rawValue))
            }
            if let names, !names.isEmpty {
                query.append(URLQueryItem(name: "secrets", value: names.sorted().joined(separator: ",")))
            }
            self.query = query
            self.cacheKey = query.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: "&")
            if let project = configuration.project, let config = configuration.config {
                self.scope = "project \"\(project)\", config \"\(config)\""
            } else {
                self.scope = "the service token's config"
            }
        }
    }

    /// A final answer (2xx or 3xx) after retries.
    struct RawAnswer: Sendable {
        var status: Int
        var body: Data
        var etag: String?
        var requestID: String?
        var attempts: Int
    }

    /// One HTTP exchange, whatever its status.
    private struct Exchange: Sendable {
        var status: Int
        var body: Data
        var headers: HTTPHeaders
    }

    /// Sends the download request, retrying per the policy; a status ≥ 400 that is not retried (or still fails
    /// after the last attempt) becomes a typed error.
    func fetch(_ request: DownloadRequest, ifNoneMatch etag: String?) async throws -> RawAnswer {
        let policy = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            let exchange = try await exchange(request, ifNoneMatch: etag, attempt: attempt)
            let requestID = exchange.headers.first(name: "x-request-id")
            if exchange.status < 400 {
                return RawAnswer(
                    status: exchange.status, body: exchange.body, etag: exchange.headers.first(name: "ETag"),
                    requestID: requestID, attempts: attempt)
            }
            let messages = errorMessages(in: exchange)
            let retryable: Bool
            var wait: Duration
            switch exchange.status {
            case 429:
                retryable = true
                wait = Self.retryAfter(exchange.headers.first(name: "Retry-After")) ?? policy.backoff(forRetry: attempt)
                if wait > policy.maxDelay {
                    throw DopplerClientError.rateLimited(
                        path: Self.downloadPath, attempts: attempt, retryAfter: wait, messages: messages)
                }
            case 500...599:
                retryable = !Self.isJSON(exchange)
                wait = policy.backoff(forRetry: attempt)
            default:
                retryable = false
                wait = .zero
            }
            guard retryable, attempt < policy.maxAttempts else {
                throw error(for: exchange, messages: messages, request: request, attempts: attempt)
            }
            logger.debug(
                "doppler download retrying",
                metadata: ["status": "\(exchange.status)", "attempt": "\(attempt)", "wait": "\(wait)"])
            try await policy.sleep(wait)
        }
    }

    private func exchange(_ request: DownloadRequest, ifNoneMatch etag: String?, attempt: Int) async throws -> Exchange {
        var components = URLComponents(string: configuration.apiHost + Self.downloadPath)
        components?.queryItems = request.query
        guard let url = components?.string else {
            throw DopplerClientError.invalidConfiguration(
                "cannot build a URL from \(configuration.apiHost) and \(Self.downloadPath)")
        }
        var httpRequest = HTTPClientRequest(url: url)
        httpRequest.method = .GET
        httpRequest.headers.add(name: "Authorization", value: "Bearer \(configuration.token.unredactedValue)")
        httpRequest.headers.add(name: "Accept", value: "application/json")
        httpRequest.headers.add(name: "User-Agent", value: "sprocketctl-doppler")
        if let etag { httpRequest.headers.add(name: "If-None-Match", value: etag) }
        let timeout = configuration.requestTimeout
        let response: HTTPClientResponse
        do {
            response = try await http.execute(httpRequest, deadline: .now() + TimeAmount(timeout), logger: logger)
        } catch let error as CancellationError {
            throw error
        } catch {
            // Nothing was answered: the host could not be reached (or did not answer in time).
            throw connectionError(error, timeout: timeout, beforeResponse: true)
        }
        do {
            var collected = ByteBuffer()
            for try await var chunk in response.body {
                guard collected.readableBytes + chunk.readableBytes <= Self.maxBodyBytes else {
                    throw DopplerClientError.transport(
                        path: Self.downloadPath, reason: "response larger than \(Self.maxBodyBytes) bytes")
                }
                collected.writeBuffer(&chunk)
            }
            let status = Int(response.status.code)
            logger.trace(
                "doppler api response",
                metadata: [
                    "path": "\(Self.downloadPath)", "status": "\(status)", "attempt": "\(attempt)",
                    "request-id": "\(response.headers.first(name: "x-request-id") ?? "-")",
                ])
            return Exchange(status: status, body: Data(collected.readableBytesView), headers: response.headers)
        } catch let error as DopplerClientError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw connectionError(error, timeout: timeout, beforeResponse: false)
        }
    }

    /// Maps a final error status to its case.
    private func error(
        for exchange: Exchange, messages: [String], request: DownloadRequest, attempts: Int
    ) -> DopplerClientError {
        let path = Self.downloadPath
        switch exchange.status {
        case 400: return .badRequest(path: path, messages: messages)
        case 401: return .invalidToken(path: path, messages: messages)
        case 403: return .accessDenied(path: path, scope: request.scope, messages: messages)
        case 404: return .notFound(path: path, scope: request.scope, messages: messages)
        case 429:
            return .rateLimited(
                path: path, attempts: attempts, retryAfter: Self.retryAfter(exchange.headers.first(name: "Retry-After")),
                messages: messages)
        case 500...599: return .serverError(status: exchange.status, path: path, attempts: attempts, messages: messages)
        default: return .unexpected(status: exchange.status, path: path, messages: messages)
        }
    }

    /// Doppler's `{"messages":[…]}`, with the token blanked out should a message ever echo it.
    private func errorMessages(in exchange: Exchange) -> [String] {
        struct ErrorBody: Decodable { var messages: [String]? }
        let messages = (try? JSONDecoder().decode(ErrorBody.self, from: exchange.body))?.messages ?? []
        let token = configuration.token.unredactedValue
        return messages.map { $0.replacingOccurrences(of: token, with: "<redacted token>") }
    }

    private static func isJSON(_ exchange: Exchange) -> Bool {
        let type = exchange.headers.first(name: "Content-Type")?.lowercased() ?? ""
        return type.hasPrefix("application/json")
            && (try? JSONSerialization.jsonObject(with: exchange.body)) != nil
    }

    /// `Retry-After` as seconds (`120`) or an HTTP date; nil when absent or unreadable.
    static func retryAfter(_ header: String?, now: Date = Date()) -> Duration? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Int(text), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .seconds(max(0, Int(date.timeIntervalSince(now).rounded(.up))))
    }

    /// AHC and NIO failures as ``DopplerClientError``: a failure before any response names the API host as
    /// unreachable; one while reading the body is a transport error.
    private func connectionError(_ error: any Error, timeout: Duration, beforeResponse: Bool) -> DopplerClientError {
        let host = configuration.apiHost
        let path = Self.downloadPath
        switch error {
        case let clientError as HTTPClientError where clientError == .deadlineExceeded || clientError == .readTimeout:
            return .timeout(path: path, after: timeout)
        case let clientError as HTTPClientError where clientError == .connectTimeout:
            return .unreachable(host: host, path: path, reason: "connection timed out")
        case ChannelError.connectTimeout:
            return .unreachable(host: host, path: path, reason: "connection timed out")
        case let ioError as IOError:
            return .unreachable(host: host, path: path, reason: String(cString: strerror(ioError.errnoCode)))
        case _ where beforeResponse:
            return .unreachable(host: host, path: path, reason: "\(error)")
        default:
            return .transport(path: path, reason: "\(error)")
        }
    }
}
