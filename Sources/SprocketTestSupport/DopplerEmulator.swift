import Foundation
import Synchronization

/// An in-process Doppler API for tests, serving the secrets download endpoint of `docs/wire-formats.md` §2:
/// `GET /v3/configs/config/secrets/download` with the documented formats and name transformers, Bearer and Basic
/// authentication, `ETag`/`If-None-Match` → 304, and Doppler's error shape `{"messages":[…],"success":false}`.
///
/// It hosts one project/config (default `sprocket`/`prd`). Tokens are registered with the access they have;
/// failures can be scripted ahead of requests (e.g. two 429s with `Retry-After`, then success). It counts requests
/// to the endpoint and the 304s among them.
///
/// ```swift
/// let doppler = try await DopplerEmulator.start(secrets: ["JWT_SECRET": "…"])
/// doppler.addToken("dp.st.prd.canary", access: .serviceToken)
/// // DOPPLER_API_HOST=doppler.baseURL DOPPLER_TOKEN=dp.st.prd.canary …
/// try await doppler.stop()
/// ```
public final class DopplerEmulator: Sendable {
    /// What a registered token may do.
    public enum TokenAccess: Sendable, Equatable {
        /// A service token for the hosted config: `project`/`config` are optional (and must match when given).
        case serviceToken
        /// A personal or CLI token: `project` and `config` must be given.
        case personalToken
        /// A valid token without access to the hosted project/config: 403.
        case noAccess
    }

    /// A scripted answer that replaces the next request's real one.
    public struct Failure: Sendable, Equatable {
        /// The HTTP status.
        public var status: Int
        /// The body.
        public var body: String
        /// The `Content-Type`.
        public var contentType: String
        /// A `Retry-After` header value, if any.
        public var retryAfter: String?

        /// Creates a failure.
        public init(status: Int, body: String, contentType: String = "application/json", retryAfter: String? = nil) {
            self.status = status
            self.body = body
            self.contentType = contentType
            self.retryAfter = retryAfter
        }

        /// 401 with the invalid-token body.
        public static let invalidToken = Failure(status: 401, body: DopplerEmulator.errorBody(invalidTokenMessage))
        /// 403 with the no-access body.
        public static let accessDenied = Failure(status: 403, body: DopplerEmulator.errorBody(noAccessMessage))
        /// 500 with a JSON body (Doppler's own answer: not retried by Doppler's CLI).
        public static let internalError = Failure(status: 500, body: DopplerEmulator.errorBody(internalErrorMessage))
        /// 502 with an HTML body, as a load balancer in front of Doppler would answer (retried).
        public static let badGateway = Failure(
            status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>\n",
            contentType: "text/html")

        /// 429 with the rate-limit body and `Retry-After: <seconds>`.
        public static func rateLimited(retryAfterSeconds: Int) -> Failure {
            Failure(status: 429, body: DopplerEmulator.errorBody(rateLimitMessage), retryAfter: "\(retryAfterSeconds)")
        }
    }

    /// The endpoint served.
    public static let downloadPath = "/v3/configs/config/secrets/download"
    /// The 401 message of the public fixture cited in docs/wire-formats.md §2.1.
    public static let invalidTokenMessage = "Invalid token"
    /// The 403 message (derived: the exact text is not documented).
    public static let noAccessMessage = "This token does not have access to requested config"
    /// The 429 message (derived).
    public static let rateLimitMessage = "You have exceeded the rate limit. Please try again later."
    /// The 500 message (derived).
    public static let internalErrorMessage = "Internal server error"

    struct State: Sendable {
        var project: String
        var config: String
        var environment: String
        var secrets: [String: String]
        var tokens: [String: TokenAccess] = [:]
        var scripted: [Failure] = []
        var downloadCount = 0
        var notModifiedCount = 0
    }

    let state: Mutex<State>
    private let server: Mutex<StubHTTPServer?>

    private init(state: State) {
        self.state = Mutex(state)
        self.server = Mutex(nil)
    }

    /// Starts an emulator on a free port of 127.0.0.1.
    ///
    /// - Parameters:
    ///   - project: The hosted project (`DOPPLER_PROJECT` in downloads).
    ///   - config: The hosted config (`DOPPLER_CONFIG`).
    ///   - environment: Its environment (`DOPPLER_ENVIRONMENT`).
    ///   - secrets: The initial secret table (names as Doppler stores them, `[A-Z_][A-Z0-9_]*`).
    public static func start(
        project: String = "sprocket", config: String = "prd", environment: String = "prd",
        secrets: [String: String] = [:]
    ) async throws -> DopplerEmulator {
        let emulator = DopplerEmulator(
            state: State(project: project, config: config, environment: environment, secrets: secrets))
        let stub = try await StubHTTPServer.start(on: .tcp()) { [emulator] request in emulator.respond(to: request) }
        emulator.server.withLock { $0 = stub }
        return emulator
    }

    /// `http://127.0.0.1:PORT`, what `DOPPLER_API_HOST` should be.
    public var baseURL: String { server.withLock { $0?.baseURL } ?? "http://127.0.0.1:0" }

    /// Stops listening.
    public func stop() async throws {
        let running = server.withLock { current -> StubHTTPServer? in
            defer { current = nil }
            return current
        }
        try await running?.shutdown()
    }

    /// Registers a token.
    public func addToken(_ token: String, access: TokenAccess) {
        state.withLock { $0.tokens[token] = access }
    }

    /// Revokes a token: later requests with it get 401.
    public func revokeToken(_ token: String) {
        _ = state.withLock { $0.tokens.removeValue(forKey: token) }
    }

    /// Replaces the whole secret table.
    public func setSecrets(_ secrets: [String: String]) {
        state.withLock { $0.secrets = secrets }
    }

    /// Sets one secret.
    public func setSecret(_ name: String, to value: String) {
        state.withLock { $0.secrets[name] = value }
    }

    /// Removes one secret.
    public func removeSecret(_ name: String) {
        _ = state.withLock { $0.secrets.removeValue(forKey: name) }
    }

    /// Queues failures; each replaces the answer to one request to the endpoint, in order.
    public func failNext(_ failures: Failure...) {
        state.withLock { $0.scripted += failures }
    }

    /// Requests to the download endpoint so far (whatever their answer).
    public var downloadCount: Int { state.withLock { $0.downloadCount } }

    /// 304 answers so far.
    public var notModifiedCount: Int { state.withLock { $0.notModifiedCount } }

    /// Every request received, in order (headers included, so tests can check what clients sent).
    public var requests: [StubHTTPServer.Request] { server.withLock { $0?.requests } ?? [] }

    /// `{"messages":[…],"success":false}`, the documented error shape (keys sorted, compact).
    public static func errorBody(_ messages: String...) -> String {
        let quoted = messages.map(DopplerEmulatorFormats.jsonString).joined(separator: ",")
        return "{\"messages\":[\(quoted)],\"success\":false}"
    }
}
