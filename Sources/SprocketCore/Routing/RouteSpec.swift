/// One entry of a service's `routes:`: how Traefik reaches the service from outside.
///
/// Hosts are usually derived: `subdomain: api` plus the environment's subdomain and the access
/// profile's domain make `api.<env>.<domain>` (see ``RouteHostScheme``). `hosts:` names them outright.
public struct RouteSpec: Sendable, Hashable {
    /// The route's name within its service (`name:`), or its 1-based index when unnamed.
    public var name: String
    /// The label left of the environment subdomain; nil is the environment's apex host.
    public var subdomain: String?
    /// Explicit public hosts; when set, `subdomain` is not used for the public profile.
    public var hosts: [String]
    /// Path prefixes (`paths:`); empty matches every path.
    public var pathPrefixes: [String]
    /// The container port Traefik forwards to; nil when ``traefikService`` is set.
    public var port: Int?
    /// A Traefik-internal service instead of the container (`api@internal` for the dashboard).
    public var traefikService: String?
    public var tls: RouteTLSMode
    /// In order; Traefik applies them in this order.
    public var middlewares: [RouteMiddleware]
    /// nil or 0: Traefik's default (the rule's length).
    public var priority: Int?
    /// Entry points to use instead of the ones the TLS mode chooses.
    public var entrypoints: [String]
    /// The access profiles this route is offered on; empty means every profile the environment enables.
    public var access: [AccessProfileKind]
    /// The path prefix a non-apex route gets on IP profiles (`ip_prefix:`), where a host cannot tell services apart.
    public var ipPrefix: String?
    public var location: SourceLocation

    public init(
        name: String,
        subdomain: String? = nil,
        hosts: [String] = [],
        pathPrefixes: [String] = [],
        port: Int? = nil,
        traefikService: String? = nil,
        tls: RouteTLSMode = .acme,
        middlewares: [RouteMiddleware] = [],
        priority: Int? = nil,
        entrypoints: [String] = [],
        access: [AccessProfileKind] = [],
        ipPrefix: String? = nil,
        location: SourceLocation
    ) {
        self.name = name
        self.subdomain = subdomain
        self.hosts = hosts
        self.pathPrefixes = pathPrefixes
        self.port = port
        self.traefikService = traefikService
        self.tls = tls
        self.middlewares = middlewares
        self.priority = priority
        self.entrypoints = entrypoints
        self.access = access
        self.ipPrefix = ipPrefix
        self.location = location
    }
}

/// How a route's HTTPS is served on the public profile (localhost and IP profiles never use ACME).
public enum RouteTLSMode: String, Sendable, Hashable, CaseIterable {
    /// A Let's Encrypt certificate from the stack's resolver, on `websecure`.
    case acme
    /// TLS with Traefik's default (self-signed) certificate, on `websecure`.
    case `default`
    /// Plain HTTP on `web` only.
    case none
}

/// A middleware a route applies, compiled to `traefik.http.middlewares.<name>.<type>.*` labels.
public enum RouteMiddleware: Sendable, Hashable {
    /// Ask `address` first; a 2xx lets the request through.
    case forwardAuth(address: String, trustForwardHeader: Bool, responseHeaders: [String])
    /// Redirect to another scheme (`https`).
    case redirectScheme(scheme: String, permanent: Bool)
    /// Redirect URLs matching `regex` to `replacement`.
    case redirectRegex(regex: String, replacement: String, permanent: Bool)
    /// HTTP basic auth with an htpasswd file kept in the stack secret `secret`, read by Traefik from
    /// `/run/secrets/<secret>`: the hashes never appear in labels.
    case basicAuth(secret: String, realm: String?)
    /// Extra request and response headers.
    case headers(request: [String: String], response: [String: String])

    /// The Traefik middleware type, also the suffix of the compiled middleware's name.
    public var kind: String {
        switch self {
        case .forwardAuth: "forwardauth"
        case .redirectScheme: "redirectscheme"
        case .redirectRegex: "redirectregex"
        case .basicAuth: "basicauth"
        case .headers: "headers"
        }
    }
}
