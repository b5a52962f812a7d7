import AsyncHTTPClient
import Foundation
import Logging

/// A read-only client for Traefik's HTTP API (v2.11 and v3).
///
/// Lists are read the way Traefik pages them: `?page=N&per_page=M`, following `X-Next-Page` until it points back
/// to page 1. Errors are ``TraefikAPIError`` values naming the endpoint; credentials never appear in them.
///
/// ```swift
/// let client = try TraefikAPIClient(baseURL: "http://127.0.0.1:8080")
/// let routers = try await client.routers()
/// ```
public final class TraefikAPIClient: Sendable, CustomStringConvertible {
    /// One extra request header, e.g. a forward-auth cookie or an `X-Forwarded-User` a proxy trusts.
    public struct Header: Sendable, Equatable {
        /// The header name.
        public var name: String
        /// The value (never shown in descriptions).
        public var value: String

        /// Creates a header.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `scheme://host:port` plus any path prefix, without credentials: what messages show.
    public let baseURL: String
    /// How requests authenticate.
    public let authentication: TraefikAPIAuthentication
    /// Headers added to every request.
    public let extraHeaders: [Header]
    /// How long one request (head and body) may take.
    public let requestTimeout: Duration
    /// `per_page` for list endpoints (Traefik's default is 100).
    public let pageSize: Int
    let http: HTTPClient
    let logger: Logger

    /// Pages followed at most per list before giving up (100 000 resources at the default page size).
    static let maxPages = 1_000

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - baseURL: `http(s)://host[:port][/prefix]`, e.g. `http://127.0.0.1:8080`. Credentials in the URL
    ///     (`http://user:pass@host`) become basic auth when `authentication` is ``TraefikAPIAuthentication/none``.
    ///   - authentication: Basic or bearer credentials for the guard in front of the API.
    ///   - extraHeaders: Headers sent with every request.
    ///   - requestTimeout: The limit for one request, body included.
    ///   - pageSize: `per_page` for list endpoints.
    ///   - httpClient: The AsyncHTTPClient to use; the shared one by default (this client never shuts it down).
    ///   - logger: Receives `trace` lines per request (method, path, status; never headers).
    /// - Throws: ``TraefikAPIError/invalidBaseURL(_:reason:)``.
    public init(
        baseURL: String, authentication: TraefikAPIAuthentication = .none, extraHeaders: [Header] = [],
        requestTimeout: Duration = .seconds(10), pageSize: Int = 100, httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "sprocketctl.traefik-api")
    ) throws(TraefikAPIError) {
        let parsed = try Self.parse(baseURL)
        self.baseURL = parsed.display
        self.authentication = authentication == .none ? parsed.credentials : authentication
        self.extraHeaders = extraHeaders
        self.requestTimeout = requestTimeout
        self.pageSize = max(1, pageSize)
        self.http = httpClient
        self.logger = logger
    }

    /// `TraefikAPIClient(http://host:8080, auth: basic(user, password: <redacted>), 1 extra header)`.
    public var description: String {
        "TraefikAPIClient(\(baseURL), auth: \(authentication), \(extraHeaders.count) extra header"
            + (extraHeaders.count == 1 ? ")" : "s)")
    }

    /// Splits a base URL into what is shown (no credentials, no trailing slash) and the credentials it carried.
    private static func parse(
        _ text: String
    ) throws(TraefikAPIError) -> (display: String, credentials: TraefikAPIAuthentication) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard var components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased() else {
            throw .invalidBaseURL(redacted(trimmed), reason: "not a URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw .invalidBaseURL(redacted(trimmed), reason: "the scheme must be http or https, not \(scheme)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidBaseURL(redacted(trimmed), reason: "no host")
        }
        guard components.query == nil, components.fragment == nil else {
            throw .invalidBaseURL(redacted(trimmed), reason: "a base URL takes no query or fragment")
        }
        var credentials = TraefikAPIAuthentication.none
        if let user = components.user {
            credentials = .basic(username: user.removingPercentEncoding ?? user,
                                 password: components.password.map { $0.removingPercentEncoding ?? $0 } ?? "")
        }
        components.user = nil
        components.password = nil
        components.path = String(components.path.reversed().drop { $0 == "/" }.reversed())
        guard let display = components.string else {
            throw .invalidBaseURL(redacted(trimmed), reason: "cannot rebuild it without its credentials")
        }
        return (display, credentials)
    }

    /// The text with the user information of its authority (`user:pass@`) replaced, for messages about a URL that
    /// may carry a password.
    static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let authority = text[schemeEnd.upperBound...].prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@") else { return text }
        return text[..<schemeEnd.upperBound] + "<redacted>" + text[at...]
    }
}
