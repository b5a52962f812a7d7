import Foundation
import SprocketCore

/// Everything that can go wrong when reading Traefik's API. Each case names the endpoint (base URL without
/// credentials, plus the path) so a message alone says which Traefik and which call.
public enum TraefikAPIError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The base URL cannot be used (not `http(s)://host[:port][/prefix]`).
    case invalidBaseURL(String, reason: String)
    /// Nothing answered: connection refused, host unreachable, name not resolvable, connect timeout.
    case unreachable(endpoint: String, reason: String)
    /// Traefik (or the forward-auth in front of it) answered with a non-2xx status. `message` is Traefik's
    /// `{"message": …}` text, else a capped excerpt of the body.
    case http(endpoint: String, status: Int, message: String)
    /// A 2xx body that is not the documented JSON; `field` is the coding path (e.g. `[3].tls.domains`), empty for
    /// the top level.
    case undecodable(endpoint: String, field: String, detail: String)
    /// No complete answer within the request timeout.
    case timeout(endpoint: String, after: Duration)
    /// The connection broke after it was made (reset, TLS failure, malformed HTTP).
    case transport(endpoint: String, reason: String)
    /// `X-Next-Page` kept pointing onwards past the page limit: a broken proxy or server, not Traefik's paging.
    case tooManyPages(endpoint: String, limit: Int)

    /// The HTTP status, for ``http(endpoint:status:message:)`` only.
    public var httpStatus: Int? {
        if case .http(_, let status, _) = self { return status }
        return nil
    }

    /// A message for people: what failed, Traefik's own words where it gave any, and what to do.
    public var description: String {
        switch self {
        case .invalidBaseURL(let text, let reason):
            return "Invalid Traefik API URL \(text): \(reason). Use http://HOST:8080 (the `traefik` entry point) "
                + "or the dashboard's https URL"
        case .unreachable(let endpoint, let reason):
            return "Cannot reach the Traefik API at \(endpoint): \(reason). Is Traefik running with the API enabled "
                + "(`--api`), and is the address and port right?"
        case .http(let endpoint, let status, let message):
            return "Traefik API \(endpoint) answered HTTP \(status): \(message)" + Self.remedy(forStatus: status)
        case .undecodable(let endpoint, let field, let detail):
            let place = field.isEmpty ? "the response" : "field `\(field)`"
            return "Traefik API \(endpoint) sent JSON this client cannot read (\(place)): \(detail). "
                + "Is this really Traefik v2.11 or v3?"
        case .timeout(let endpoint, let after):
            return "Traefik API \(endpoint) did not answer within \(after.goStyle)"
        case .transport(let endpoint, let reason):
            return "Traefik API \(endpoint) failed: \(reason)"
        case .tooManyPages(let endpoint, let limit):
            return "Traefik API \(endpoint) still announced a next page (X-Next-Page) after \(limit) pages; "
                + "a proxy in front of Traefik may be rewriting the query"
        }
    }

    /// The same text as ``description``, so ArgumentParser prints it after `Error: `.
    public var errorDescription: String? { description }

    private static func remedy(forStatus status: Int) -> String {
        switch status {
        case 401, 403:
            return ". The API sits behind forward-auth or basic auth: pass its credentials or headers"
        case 404:
            return ". Is the API enabled (`api: {}`) and served at this address (a path prefix in the URL?)"
        default:
            return ""
        }
    }
}
