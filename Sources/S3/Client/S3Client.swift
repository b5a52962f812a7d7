import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// A client for the S3 REST API (AWS, DigitalOcean Spaces, MinIO, moto), signed with SigV4.
///
/// Uses the shared `HTTPClient` unless one is given, so it needs no shutdown. Errors are ``S3Error`` values naming
/// the bucket, key and endpoint. The secret key is used only to sign; it never appears in logs or errors.
///
/// ```swift
/// let s3 = S3Client(configuration: S3ClientConfiguration(endpoint: "https://fra1.digitaloceanspaces.com", region: "fra1"),
///                   credentials: try .fromEnvironment(environment))
/// let exists = try await s3.bucketExists("sprocket-prod-replays")
/// ```
public final class S3Client: Sendable {
    public let configuration: S3ClientConfiguration
    let signer: SigV4Signer
    let http: HTTPClient
    let logger: Logger
    private let mutating = Atomic<Int>(0)

    public convenience init(
        configuration: S3ClientConfiguration, credentials: S3Credentials, http: HTTPClient = .shared,
        logger: Logger = Logger(label: "sprocketctl.s3")
    ) {
        self.init(configuration: configuration, credentials: credentials, service: "s3", http: http, logger: logger)
    }

    /// A client signing for another AWS service on the same endpoint (tests use `iam` on moto).
    init(configuration: S3ClientConfiguration, credentials: S3Credentials, service: String, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.signer = SigV4Signer(credentials: credentials, region: configuration.region, service: service)
        self.http = http
        self.logger = logger
    }

    /// How many requests that change something (PUT, POST, DELETE) this client has sent, answered or not.
    public var mutatingRequestCount: Int { mutating.load(ordering: .relaxed) }

    /// The access key ID this client signs with (never the secret).
    public var accessKeyID: String { signer.credentials.accessKeyID }

    /// Largest answer body this client buffers (S3 answers are small XML or JSON documents; objects here are
    /// state files).
    static let maxBodyBytes = 64 << 20

    /// One request to send.
    struct Request: Sendable {
        var method: String
        var bucket: String?
        var key: String?
        var query: [(name: String, value: String)] = []
        var headers: [(name: String, value: String)] = []
        var body: Data = Data()
    }

    /// An answer with any status.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data

        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// Sends `request` and returns the answer; a status ≥ 300 becomes an ``S3Error`` unless it is in `accepting`.
    @discardableResult
    func send(_ request: Request, accepting: Set<Int> = []) async throws -> Response {
        let response = try await sendRaw(request)
        guard response.status < 300 || accepting.contains(response.status) else {
            throw error(for: response, request: request)
        }
        return response
    }

    /// Sends `request`; only transport failures throw.
    func sendRaw(_ request: Request) async throws -> Response {
        let target = try configuration.target(bucket: request.bucket, key: request.key, query: request.query)
        let payloadHash = SigV4Signer.sha256Hex(request.body)
        let now = Date()
        var signed: [(name: String, value: String)] = [
            ("host", target.host), ("x-amz-date", SigV4Signer.amzDate(now)), ("x-amz-content-sha256", payloadHash),
        ]
        if let token = signer.credentials.sessionToken { signed.append(("x-amz-security-token", token)) }
        signed += request.headers
        let authorization = signer.authorization(
            for: SigV4Signer.Request(
                method: request.method, encodedPath: target.encodedPath, query: request.query, headers: signed,
                payloadHash: payloadHash),
            at: now)
        var httpRequest = HTTPClientRequest(url: target.url)
        httpRequest.method = HTTPMethod(rawValue: request.method)
        for header in signed where header.name != "host" { httpRequest.headers.add(name: header.name, value: header.value) }
        httpRequest.headers.add(name: "Authorization", value: authorization)
        httpRequest.headers.add(name: "User-Agent", value: "sprocketctl-s3")
        if !request.body.isEmpty || ["PUT", "POST"].contains(request.method) {
            httpRequest.body = .bytes(ByteBuffer(bytes: request.body))
        }
        if ["PUT", "POST", "DELETE"].contains(request.method) { mutating.add(1, ordering: .relaxed) }
        do {
            let response = try await http.execute(
                httpRequest, deadline: .now() + TimeAmount(configuration.requestTimeout), logger: logger)
            var collected = ByteBuffer()
            if request.method != "HEAD" {
                for try await var chunk in response.body {
                    guard collected.readableBytes + chunk.readableBytes <= Self.maxBodyBytes else {
                        throw S3Error(
                            kind: .other, code: "ResponseTooLarge", message: "the answer is larger than \(Self.maxBodyBytes) bytes",
                            method: request.method, bucket: request.bucket, key: request.key, endpoint: configuration.endpoint)
                    }
                    collected.writeBuffer(&chunk)
                }
            }
            let status = Int(response.status.code)
            logger.trace("s3 request", metadata: [
                "method": "\(request.method)", "bucket": "\(request.bucket ?? "")", "key": "\(request.key ?? "")", "status": "\(status)",
            ])
            return Response(status: status, headers: response.headers, body: Data(collected.readableBytesView))
        } catch let error as S3Error {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw S3Error(
                kind: .transport, code: "Unreachable", message: "no answer: \(Self.describe(transport: error))",
                method: request.method, bucket: request.bucket, key: request.key, endpoint: configuration.endpoint)
        }
    }

    /// The typed error of a failed answer, from S3's `<Error><Code>…<Message>…` body when there is one.
    func error(for response: Response, request: Request) -> S3Error {
        let document = S3XMLElement.parse(response.body)
        let code = document?.value("Code") ?? Self.defaultCode(status: response.status)
        let message = document?.value("Message") ?? "HTTP \(response.status)"
        return S3Error(
            kind: S3Error.kind(code: code, status: response.status), code: code, message: message, status: response.status,
            method: request.method, bucket: request.bucket, key: request.key, endpoint: configuration.endpoint)
    }

    private static func defaultCode(status: Int) -> String {
        switch status {
        case 301: "PermanentRedirect"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 409: "Conflict"
        case 412: "PreconditionFailed"
        default: "HTTP\(status)"
        }
    }

    private static func describe(transport error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout { return "timed out" }
            return "\(error)"
        }
        return "\(error)"
    }
}
