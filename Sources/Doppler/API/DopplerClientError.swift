import Foundation

/// Everything that can go wrong when reading secrets from Doppler. Every case that comes from a request names the
/// endpoint path (e.g. `/v3/configs/config/secrets/download`); none ever contains the token or a secret value.
///
/// Doppler answers errors as `{"messages":[…],"success":false}` (docs/wire-formats.md §2.1); those messages are kept in
/// `messages`, with any occurrence of the token replaced, since the exact texts are not part of the contract.
public enum DopplerClientError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// 401: the token is invalid, revoked or expired.
    case invalidToken(path: String, messages: [String])
    /// 403: the token is valid but may not read this project/config.
    case accessDenied(path: String, scope: String, messages: [String])
    /// 404: no such project or config (as the token sees it).
    case notFound(path: String, scope: String, messages: [String])
    /// 400: Doppler rejected the parameters.
    case badRequest(path: String, messages: [String])
    /// 429 on every attempt, or a `Retry-After` longer than the policy accepts.
    case rateLimited(path: String, attempts: Int, retryAfter: Duration?, messages: [String])
    /// 5xx (after retries when the body was not JSON).
    case serverError(status: Int, path: String, attempts: Int, messages: [String])
    /// Any other unexpected status.
    case unexpected(status: Int, path: String, messages: [String])
    /// No connection could be made to the API host.
    case unreachable(host: String, path: String, reason: String)
    /// The request did not finish within its deadline.
    case timeout(path: String, after: Duration)
    /// A 2xx body did not have the documented shape (a flat object of names to strings).
    case decoding(path: String, detail: String)
    /// The connection failed after it was established.
    case transport(path: String, reason: String)
    /// The configuration cannot be used (missing token, bad host, unscoped token without project/config).
    case invalidConfiguration(String)

    /// The endpoint path the error is about, when it came from a request.
    public var path: String? {
        switch self {
        case .invalidToken(let path, _), .accessDenied(let path, _, _), .notFound(let path, _, _),
            .badRequest(let path, _), .rateLimited(let path, _, _, _), .serverError(_, let path, _, _),
            .unexpected(_, let path, _), .unreachable(_, let path, _), .timeout(let path, _),
            .decoding(let path, _), .transport(let path, _):
            return path
        case .invalidConfiguration:
            return nil
        }
    }

    /// What failed, Doppler's own words, and what to do.
    public var description: String {
        switch self {
        case .invalidToken(let path, let messages):
            return "Doppler rejected the token for GET \(path) (HTTP 401\(Self.quoted(messages))): it is invalid, "
                + "revoked or expired. Create a new service token for the config and set DOPPLER_TOKEN"
        case .accessDenied(let path, let scope, let messages):
            return "Doppler denied GET \(path) for \(scope) (HTTP 403\(Self.quoted(messages))): the token has no "
                + "access to this project/config. Use a service token created for exactly this config"
        case .notFound(let path, let scope, let messages):
            return "Doppler has no \(scope) (GET \(path) answered 404\(Self.quoted(messages))). Check "
                + "DOPPLER_PROJECT and DOPPLER_CONFIG, or use the config's own service token"
        case .badRequest(let path, let messages):
            return "Doppler rejected GET \(path) (HTTP 400\(Self.quoted(messages)))"
        case .rateLimited(let path, let attempts, let retryAfter, let messages):
            let wait = retryAfter.map { "; it asked to wait \(Self.seconds($0))" } ?? ""
            return "Doppler rate-limited GET \(path) (HTTP 429\(Self.quoted(messages))) after \(attempts) "
                + "attempt\(attempts == 1 ? "" : "s")\(wait). Wait a minute and retry; Doppler limits requests "
                + "per IP address and per token"
        case .serverError(let status, let path, let attempts, let messages):
            return "Doppler failed GET \(path) with HTTP \(status)\(Self.quoted(messages)) after \(attempts) "
                + "attempt\(attempts == 1 ? "" : "s"). Doppler may be degraded; retry later"
        case .unexpected(let status, let path, let messages):
            return "Doppler GET \(path) answered HTTP \(status)\(Self.quoted(messages))"
        case .unreachable(let host, let path, let reason):
            return "Cannot reach Doppler at \(host) (GET \(path)): \(reason). Check the network, or "
                + "DOPPLER_API_HOST if it is set"
        case .timeout(let path, let after):
            return "Doppler GET \(path) did not answer within \(after)"
        case .decoding(let path, let detail):
            return "Unexpected response from Doppler GET \(path): \(detail)"
        case .transport(let path, let reason):
            return "Doppler GET \(path) failed: \(reason)"
        case .invalidConfiguration(let message):
            return "Invalid Doppler configuration: \(message)"
        }
    }

    /// The same text as ``description``, for `LocalizedError` users (ArgumentParser prints it).
    public var errorDescription: String? { description }

    private static func quoted(_ messages: [String]) -> String {
        messages.isEmpty ? "" : ": \(messages.joined(separator: "; "))"
    }

    private static func seconds(_ duration: Duration) -> String {
        "\(duration.components.seconds) s"
    }
}
