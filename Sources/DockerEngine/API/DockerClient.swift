import AsyncHTTPClient
import Logging
import NIOCore
import SprocketCore
import Synchronization

/// A client for the Docker Engine API (Swarm services, tasks, nodes, networks, volumes, configs, secrets).
///
/// One client owns one `HTTPClient`. Call ``shutdown()`` when done; it is never shut down implicitly.
///
/// The API version is negotiated on first use (or with ``negotiateVersion()``): the client pings the daemon and
/// speaks `min(daemon version, 1.45)`, refusing daemons older than 1.41. Every path is then prefixed with `/v1.NN`.
///
/// ```swift
/// let docker = DockerClient(endpoint: try .fromEnvironment(environment), logger: logger)
/// let services = try await docker.listServices(filters: .label("io.sprocket.stack", "web"))
/// try await docker.shutdown()
/// ```
public final class DockerClient: Sendable {
    /// Where the daemon listens.
    public let endpoint: DockerEndpoint
    /// The deadline for each request, unless a call takes its own timeout.
    public let requestTimeout: Duration

    let logger: Logger
    let http: HTTPClient
    /// Negotiated version and call counts: small synchronous state, so a `Mutex` rather than an actor.
    let state = Mutex(State())

    struct State {
        var apiVersion: DockerAPIVersion?
        var stats = APICallStats()
    }

    /// Creates a client. No connection is made until the first call.
    ///
    /// - Parameters:
    ///   - endpoint: The daemon's address, usually from ``DockerEndpoint/fromEnvironment(_:)``.
    ///   - requestTimeout: The deadline for each request.
    ///   - logger: Receives `trace` lines for each request (method, path, status, duration; never bodies).
    public init(endpoint: DockerEndpoint, requestTimeout: Duration = .seconds(30), logger: Logger) {
        self.endpoint = endpoint
        self.requestTimeout = requestTimeout
        self.logger = logger
        var configuration = HTTPClient.Configuration()
        // A local daemon that refuses a connection will not accept one 100 ms later; fail fast with a clear
        // "daemon unreachable" instead of retrying until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        configuration.redirectConfiguration = .disallow
        // dockerd speaks HTTP/1.1; the docker CLI never negotiates h2 either.
        configuration.httpVersion = .http1Only
        self.http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: configuration,
            backgroundActivityLogger: logger
        )
    }

    /// Closes all connections. Call exactly once, when the client is no longer needed.
    ///
    /// - Throws: An error from AsyncHTTPClient if it was already shut down.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Pings the daemon and picks the API version to speak, replacing any earlier choice.
    ///
    /// Maps to `GET /_ping` (unversioned) and reads the `API-Version` header. A daemon that sends no such header
    /// (very old, or a proxy in front of it) is spoken to at the minimum, 1.41.
    ///
    /// - Returns: The version now used for every request.
    /// - Throws: ``DockerClientError/unsupportedAPIVersion(server:minimum:)`` for daemons older than 1.41, or any
    ///   transport error.
    @discardableResult
    public func negotiateVersion() async throws -> DockerAPIVersion {
        let ping = try await ping()
        let chosen: DockerAPIVersion
        if let header = ping.apiVersion, let server = DockerAPIVersion(header) {
            chosen = try DockerAPIVersion.negotiated(withServer: server)
        } else {
            logger.warning(
                "daemon sent no API-Version header", metadata: ["assumed": "\(DockerAPIVersion.minimumSupported)"])
            chosen = .minimumSupported
        }
        state.withLock { $0.apiVersion = chosen }
        logger.debug(
            "negotiated docker api version", metadata: ["version": "\(chosen)", "server": "\(ping.apiVersion ?? "-")"])
        return chosen
    }

    /// The API version in use, negotiating it first if no call has done so yet.
    public var apiVersion: DockerAPIVersion {
        get async throws {
            if let known = state.withLock({ $0.apiVersion }) { return known }
            // Two concurrent first calls may both ping; both reach the same answer, so no coordination is needed.
            return try await negotiateVersion()
        }
    }

    /// The calls sent so far (including `/_ping`), for tests and benchmarks.
    public func callStats() -> APICallStats {
        state.withLock { $0.stats }
    }

    /// Resets the call counts to zero.
    public func resetCallStats() {
        state.withLock { $0.stats = APICallStats() }
    }

    func recordCall(method: String, route: String) {
        // Every POST, PUT, DELETE and PATCH can change the daemon, except a POST to `/_ping`.
        let isMutating = ["POST", "PUT", "DELETE", "PATCH"].contains(method) && route != "/_ping"
        state.withLock { $0.stats.record("\(method) \(route)", mutating: isMutating) }
    }
}
