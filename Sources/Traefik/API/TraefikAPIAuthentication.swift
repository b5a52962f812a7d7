import Foundation

/// How to get past whatever guards Traefik's API (it usually sits behind forward-auth or basic auth).
///
/// Descriptions never show a password, token or header value.
public enum TraefikAPIAuthentication: Sendable, Equatable, CustomStringConvertible {
    /// No credentials.
    case none
    /// HTTP basic auth (Traefik's `basicAuth` middleware, or a forward-auth that accepts it).
    case basic(username: String, password: String)
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)

    /// The `Authorization` header value, nil for ``none``.
    var authorizationHeader: String? {
        switch self {
        case .none:
            return nil
        case .basic(let username, let password):
            return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        case .bearer(let token):
            return "Bearer \(token)"
        }
    }

    /// `none`, `basic(user, password: <redacted>)` or `bearer(<redacted>)`.
    public var description: String {
        switch self {
        case .none: "none"
        case .basic(let username, _): "basic(\(username), password: <redacted>)"
        case .bearer: "bearer(<redacted>)"
        }
    }
}
