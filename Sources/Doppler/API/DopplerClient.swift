import AsyncHTTPClient
import Foundation
import Logging
import Synchronization

/// A client for Doppler's secrets download endpoint, `GET /v3/configs/config/secrets/download` (docs/wire-formats.md §2.1).
///
/// One client owns one `HTTPClient`; call ``shutdown()`` exactly once when done.
///
/// ```swift
/// let doppler = try DopplerClient(configuration: try .fromEnvironment(environment), logger: logger)
/// let secrets = try await doppler.downloadSecrets()      // [String: DopplerSecretValue]
/// try await doppler.shutdown()
/// ```
///
/// **Caching.** The client remembers the last `ETag` and values of each distinct request (project, config, name
/// transformer, name filter) in memory and sends `If-None-Match` on the next identical request; a 304 returns the
/// remembered values. With an ``DopplerETagFile`` it also records the ETag and HMAC fingerprints (never values) on
/// disk, which ``downloadIfChanged(nameTransformer:only:)`` uses to tell a later run that nothing changed.
///
/// **Retries.** 429 answers are retried after `Retry-After` (or an exponential backoff), non-JSON 5xx answers
/// after the backoff, as ``DopplerConfiguration/retry`` says. Errors are ``DopplerClientError`` values naming the
/// endpoint path, never the token.
public final class DopplerClient: Sendable {
    /// The endpoint this client reads.
    public static let downloadPath = "/v3/configs/config/secrets/download"

    /// Where Doppler is and what to read.
    public let configuration: DopplerConfiguration
    /// The cross-run ETag file, if any.
    public let etagFile: DopplerETagFile?

    let logger: Logger
    let http: HTTPClient
    private let memory = Mutex<[String: DopplerDownload]>([:])

    /// Creates a client. No connection is made until the first call.
    ///
    /// - Parameters:
    ///   - configuration: Host, token, project/config, retries.
    ///   - etagFile: Where to remember ETags and fingerprints across runs, if anywhere.
    ///   - logger: Receives `trace` lines per request (path, status, attempt, request id; never headers or bodies).
    public init(configuration: DopplerConfiguration, etagFile: DopplerETagFile? = nil, logger: Logger) {
        self.configuration = configuration
        self.etagFile = etagFile
        self.logger = logger
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        httpConfiguration.timeout.connect = .seconds(5)
        httpConfiguration.redirectConfiguration = .disallow
        self.http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration,
            backgroundActivityLogger: logger)
    }

    /// Closes all connections. Call exactly once.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Downloads the config's secrets as JSON: name → value.
    ///
    /// - Parameters:
    ///   - nameTransformer: Have Doppler rename the secrets (e.g. ``DopplerNameTransformer/camel``).
    ///   - names: Download only these secrets (Doppler's `secrets` parameter); nil for all.
    /// - Throws: ``DopplerClientError``.
    public func downloadSecrets(
        nameTransformer: DopplerNameTransformer? = nil, only names: [String]? = nil
    ) async throws -> [String: DopplerSecretValue] {
        try await download(nameTransformer: nameTransformer, only: names).values
    }

    /// Downloads the config's secrets with the response metadata (ETag, 304 or not, request id, attempts).
    ///
    /// Sends `If-None-Match` when this client already holds values for the same request; a 304 returns them.
    ///
    /// - Throws: ``DopplerClientError``.
    public func download(
        nameTransformer: DopplerNameTransformer? = nil, only names: [String]? = nil
    ) async throws -> DopplerDownload {
        let request = DownloadRequest(configuration: configuration, nameTransformer: nameTransformer, names: names)
        let cached = memory.withLock { $0[request.cacheKey] }
        let answer = try await fetch(request, ifNoneMatch: cached?.etag)
        if answer.status == 304, let cached {
            return DopplerDownload(
                values: cached.values, etag: cached.etag, notModified: true, requestID: answer.requestID,
                attempts: answer.attempts)
        }
        return try remember(answer, for: request)
    }

    /// Asks Doppler whether the secrets changed since the last download (of this process, or of an earlier run
    /// recorded in the ``etagFile``), downloading them only when they did.
    ///
    /// - Throws: ``DopplerClientError``, or the ETag file's write error after a successful download.
    public func downloadIfChanged(
        nameTransformer: DopplerNameTransformer? = nil, only names: [String]? = nil
    ) async throws -> DopplerChangeCheck {
        let request = DownloadRequest(configuration: configuration, nameTransformer: nameTransformer, names: names)
        let cached = memory.withLock { $0[request.cacheKey] }
        let recorded = etagFile?.entry(for: request.cacheKey)
        let etag = cached?.etag ?? recorded?.etag
        let answer = try await fetch(request, ifNoneMatch: etag)
        if answer.status == 304, let etag {
            if let cached, let key = etagFile?.key {
                return .unchanged(etag: etag, fingerprints: cached.fingerprints(using: key))
            }
            return .unchanged(etag: etag, fingerprints: recorded?.fingerprints ?? [:])
        }
        return .changed(try remember(answer, for: request))
    }

    /// Decodes a 200, keeps it in memory and in the ETag file.
    private func remember(_ answer: RawAnswer, for request: DownloadRequest) throws -> DopplerDownload {
        guard answer.status == 200 else {
            // A 304 without anything remembered (a server that ignores the validator semantics) or another 2xx/3xx.
            throw DopplerClientError.unexpected(status: answer.status, path: Self.downloadPath, messages: [])
        }
        let values = try Self.decodeSecrets(answer.body)
        let download = DopplerDownload(
            values: values, etag: answer.etag, notModified: false, requestID: answer.requestID,
            attempts: answer.attempts)
        memory.withLock { $0[request.cacheKey] = download }
        if let etag = answer.etag, let etagFile {
            try etagFile.record(etag: etag, values: values, for: request.cacheKey)
        }
        return download
    }

    /// Decodes the documented JSON body: a flat object of names to string values. Errors name the offending key
    /// at most, never a value.
    static func decodeSecrets(_ body: Data) throws -> [String: DopplerSecretValue] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: body)
        } catch {
            throw DopplerClientError.decoding(
                path: downloadPath, detail: "the body is not JSON (\(body.count) bytes)")
        }
        guard let dictionary = object as? [String: Any] else {
            throw DopplerClientError.decoding(path: downloadPath, detail: "the body is not a JSON object")
        }
        var values: [String: DopplerSecretValue] = [:]
        for (name, value) in dictionary {
            guard let text = value as? String else {
                throw DopplerClientError.decoding(
                    path: downloadPath, detail: "the value of \(name) is not a string (format=json is name → string)")
            }
            values[name] = DopplerSecretValue(text)
        }
        return values
    }
}
