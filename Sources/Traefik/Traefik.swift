/// The Traefik module: talks to a running Traefik (its HTTP API) and probes the routes it serves.
///
/// The pure parts of routing (rule grammar, label compiler, static configuration) live in the core
/// (`SprocketCore/Routing`); this module is the network side:
/// - ``TraefikAPIClient`` reads `/api/http/{routers,services,middlewares}`, `/api/overview`, `/api/version`, `/ping`;
/// - ``RouteVerifier`` checks the routers a spec expects against what the API reports, within a discovery budget;
/// - ``RouteProbe`` sends real HTTP(S) requests with the right `Host` and SNI and reads the certificate served.
public enum Traefik {
    /// The provider suffix of resources read from Docker Swarm by Traefik v3 (`web@swarm`).
    public static let swarmProvider = "swarm"
    /// The provider suffix of resources read from Docker (and, in v2, from Swarm mode) (`web@docker`).
    public static let dockerProvider = "docker"
    /// The provider of Traefik's own resources (`api@internal`, `noop@internal`).
    public static let internalProvider = "internal"
    /// The subject common name of the certificate Traefik serves when it has none for the requested name.
    public static let defaultCertificateCommonName = "TRAEFIK DEFAULT CERT"
}
