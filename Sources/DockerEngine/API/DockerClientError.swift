import Foundation

/// Everything that can go wrong when talking to the Docker Engine API.
///
/// Non-2xx answers always become ``http(status:method:path:message:)`` carrying the daemon's own message, so callers
/// can show it verbatim; use ``isNotFound`` and ``isConflict`` rather than matching message text.
public enum DockerClientError: Error, CustomStringConvertible, LocalizedError {
    /// The daemon could not be reached at all (no socket file, connection refused, host unreachable).
    case daemonUnreachable(endpoint: String, reason: String)
    /// The daemon answered with a non-2xx status. `message` is the daemon's `{"message": …}` text verbatim,
    /// or a capped excerpt of the raw body when it sent something else.
    case http(status: Int, method: String, path: String, message: String)
    /// The request did not finish within its deadline.
    case timeout(method: String, path: String, after: Duration)
    /// A 2xx response body did not have the expected shape.
    case decoding(path: String, detail: String)
    /// `DOCKER_HOST` (or an endpoint built in code) cannot be used; the text names the value and the accepted forms.
    case invalidEndpoint(String)
    /// The daemon speaks an API version older than this client's minimum.
    case unsupportedAPIVersion(server: String, minimum: String)
    /// The response exceeded the size this client is willing to buffer.
    case responseTooLarge(method: String, path: String, limit: Int)
    /// The connection failed after it was established (reset, closed early, malformed HTTP).
    case transport(method: String, path: String, reason: String)
    /// A log stream carried an error frame from the daemon (Docker's "systemerr" stream).
    case streamError(path: String, message: String)

    /// The remedy printed with ``daemonUnreachable(endpoint:reason:)``.
    public static let unreachableRemedy =
        "Is dockerd running? Start it, or set DOCKER_HOST to the daemon's address "
        + "(unix:///var/run/docker.sock or tcp://host:2375)"

    /// True when the daemon answered 404 Not Found.
    public var isNotFound: Bool { httpStatus == 404 }

    /// True when the daemon answered 409 Conflict (for example: name already in use).
    public var isConflict: Bool { httpStatus == 409 }

    /// The HTTP status for ``http(status:method:path:message:)``, nil for every other case.
    public var httpStatus: Int? {
        if case .http(let status, _, _, _) = self { return status }
        return nil
    }

    /// A message for people: what failed, the daemon's own words where it gave any, and what to do.
    public var description: String {
        switch self {
        case .daemonUnreachable(let endpoint, let reason):
            return "Cannot reach the Docker daemon at \(endpoint): \(reason). \(Self.unreachableRemedy)"
        case .http(let status, let method, let path, let message):
            return "Docker API \(method) \(path) failed with HTTP \(status): \(message)"
        case .timeout(let method, let path, let after):
            return "Docker API \(method) \(path) did not finish within \(after)"
        case .decoding(let path, let detail):
            return "Unexpected response from Docker API \(path): \(detail)"
        case .invalidEndpoint(let message):
            return "Invalid Docker endpoint: \(message)"
        case .unsupportedAPIVersion(let server, let minimum):
            return "The Docker daemon speaks API \(server), but this tool needs at least \(minimum) "
                + "(Docker Engine 20.10 or newer)"
        case .responseTooLarge(let method, let path, let limit):
            return "Docker API \(method) \(path) returned more than \(limit) bytes"
        case .transport(let method, let path, let reason):
            return "Docker API \(method) \(path) failed: \(reason)"
        case .streamError(let path, let message):
            return "Docker API \(path) reported an error in its stream: \(message)"
        }
    }

    /// The same text as ``description``, so ArgumentParser prints it after `Error: `.
    public var errorDescription: String? { description }
}
