/// A router the spec expects Traefik to serve, as the label compiler produced it.
///
/// Names may be given with or without provider suffix: `web` and `web@swarm` mean the same router when the
/// verifier's provider is `swarm`. Middlewares and the service are normalised the same way (a name without `@` is
/// resolved in the router's provider, as Traefik does), so `redirect` matches `redirect@swarm`.
public struct ExpectedRouter: Sendable, Equatable, Codable {
    /// The router name, e.g. `sprocket-prod-web` or `sprocket-prod-web@swarm`.
    public var name: String
    /// The rule exactly as the labels set it; compared with whitespace normalised.
    public var rule: String
    /// Entry points, compared as a set.
    public var entryPoints: [String]
    /// The ACME resolver (`letsencrypt`, `letsencrypt-staging`), nil for a router without one.
    public var certResolver: String?
    /// Other resolvers the router may carry instead of ``certResolver`` (the staging resolver a staging-first
    /// `up` deploys while the spec names the production one).
    public var alsoAcceptedCertResolvers: [String] = []
    /// Whether the router must have a `tls` section at all; nil checks only ``certResolver``. Set it for TLS
    /// routers without a resolver (localhost and IP profiles, served with the default or a file certificate),
    /// and `false` for plain HTTP routers.
    public var tls: Bool?
    /// Middlewares in the order they must run (Traefik runs them in the order listed).
    public var middlewares: [String]
    /// The service the router sends to, e.g. `sprocket-prod-web` or `api@internal`.
    public var service: String

    /// Creates an expectation.
    public init(
        name: String, rule: String, entryPoints: [String], certResolver: String? = nil, tls: Bool? = nil,
        middlewares: [String] = [], service: String
    ) {
        self.name = name
        self.rule = rule
        self.entryPoints = entryPoints
        self.certResolver = certResolver
        self.tls = tls
        self.middlewares = middlewares
        self.service = service
    }

    /// What `--json` and saved expectations hold; the accepted alternatives are decided per run, not stored.
    enum CodingKeys: String, CodingKey {
        case name, rule, entryPoints, certResolver, tls, middlewares, service
    }

    /// The router's full name in `provider` (`web@swarm`), keeping an explicit suffix.
    public func qualifiedName(in provider: String) -> String {
        TraefikResourceName.qualify(name, in: provider)
    }

    /// The provider this router lives in: its own suffix, else `provider`.
    func provider(defaultingTo provider: String) -> String {
        TraefikResourceName(parsing: name).provider ?? provider
    }
}
