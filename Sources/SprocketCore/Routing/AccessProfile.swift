/// A way users reach the stack, each an explicit opt-in per environment (`access:`).
///
/// The original system routed by public host names only, which broke access by `localhost`, LAN IP
/// and Tailscale IP; each profile here adds its own routers and its own certificate handling.
public enum AccessProfileKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Host names under the public domain, HTTPS with ACME certificates, HTTP redirected to HTTPS.
    case `public`
    /// `*.localhost` names: HTTP, plus HTTPS with Traefik's default certificate; never ACME.
    case localhost
    /// The server's LAN address: HTTP and HTTPS with the default certificate; never ACME.
    case lan
    /// The server's Tailscale address: like `lan`.
    case tailscale

    /// True for the profiles addressed by IP, where the host cannot tell services apart.
    public var isIPAddress: Bool { self == .lan || self == .tailscale }
}

/// The routing settings of a stack for one environment (`routing:` in stack.yaml, `access:` per environment).
public struct RoutingSpec: Sendable, Hashable {
    public var traefik: TraefikMajorVersion
    /// The public base domain (`domain:`), e.g. `sprocket.mlesports.gg`.
    public var domain: String?
    /// The environment's subdomain; `main` (and empty) mean none. Defaults to the environment name.
    public var subdomain: String?
    /// The logical network Traefik reaches services on (`network:`).
    public var network: String?
    /// The LAN address for the `lan` profile.
    public var lanAddress: String?
    /// The Tailscale address for the `tailscale` profile.
    public var tailscaleAddress: String?
    /// The ingress node's public addresses (`public_ip:`): what every ACME host must resolve to before it may
    /// use the production CA (the DNS preflight of `up` and `acme check`).
    public var publicAddresses: [String] = []
    /// The profiles enabled for the selected environment, in a fixed order.
    public var access: [AccessProfileKind]
    public var acme: ACMESettings
    /// The service name (DNS alias) of the Docker socket proxy Traefik reads Swarm through.
    public var socketProxy: String
    public var location: SourceLocation

    public init(
        traefik: TraefikMajorVersion = .v3,
        domain: String? = nil,
        subdomain: String? = nil,
        network: String? = nil,
        lanAddress: String? = nil,
        tailscaleAddress: String? = nil,
        access: [AccessProfileKind] = [],
        acme: ACMESettings = ACMESettings(),
        socketProxy: String = "socket-proxy",
        location: SourceLocation = .synthetic("routing")
    ) {
        self.traefik = traefik
        self.domain = domain
        self.subdomain = subdomain
        self.network = network
        self.lanAddress = lanAddress
        self.tailscaleAddress = tailscaleAddress
        self.access = access
        self.acme = acme
        self.socketProxy = socketProxy
        self.location = location
    }

    /// Whether `profile` is enabled for the environment.
    public func enables(_ profile: AccessProfileKind) -> Bool { access.contains(profile) }
}

/// The ACME (Let's Encrypt) resolver of the stack's Traefik.
public struct ACMESettings: Sendable, Hashable {
    public enum Challenge: String, Sendable, Hashable, CaseIterable {
        case http
        case tlsALPN = "tls-alpn"
        case dns
    }

    /// The resolver's name, used by `tls.certresolver` labels.
    public var resolver: String
    public var email: String?
    public var challenge: Challenge
    /// The lego provider for DNS-01 (`cloudflare`, `digitalocean`, ...).
    public var dnsProvider: String?
    /// Use Let's Encrypt's staging CA (untrusted certificates, generous rate limits).
    public var staging: Bool
    /// Where Traefik keeps certificates: a path on a persistent volume.
    public var storage: String

    public static let productionServer = "https://acme-v02.api.letsencrypt.org/directory"
    public static let stagingServer = "https://acme-staging-v02.api.letsencrypt.org/directory"

    public init(
        resolver: String = "letsencrypt",
        email: String? = nil,
        challenge: Challenge = .tlsALPN,
        dnsProvider: String? = nil,
        staging: Bool = false,
        storage: String = "/data/acme.json"
    ) {
        self.resolver = resolver
        self.email = email
        self.challenge = challenge
        self.dnsProvider = dnsProvider
        self.staging = staging
        self.storage = storage
    }

    /// The ACME directory used as the staging CA (`routing.acme.staging_directory`): Let's Encrypt's staging
    /// directory unless the spec names another (a private ACME CA, or a test CA such as pebble).
    public var stagingDirectory: String = ACMESettings.stagingServer
    /// The ACME directory used as the production CA (`routing.acme.production_directory`).
    public var productionDirectory: String = ACMESettings.productionServer

    /// Another ACME directory (a local pebble in tests), used instead of both directories when set.
    public var directoryOverride: String?

    /// The `caServer` URL.
    public var caServer: String { directoryOverride ?? (staging ? stagingDirectory : productionDirectory) }

    /// The suffix of the resolver a staging-first run of `up` deploys instead of ``resolver``: a resolver of its
    /// own, so its certificates are kept apart from the production resolver's in Traefik's storage (Traefik keys
    /// stored certificates by resolver, and would go on serving a staging certificate after the CA changed).
    public static let stagingResolverSuffix = "-staging"

    /// The name of the staging resolver a staging-first run uses for ``resolver``.
    public var stagingResolverName: String { resolver + Self.stagingResolverSuffix }
}
