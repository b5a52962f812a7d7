/// Traefik's static configuration (`traefik.yml`) derived from a stack's `routing:` settings.
///
/// * entry points `web` (:80) and `websecure` (:443), plus `traefik` (:8080, not published) for ping;
/// * HTTP→HTTPS redirect on `web` only when ``RouteRedirectPolicy`` says so (public profile only):
///   with localhost or IP profiles plain HTTP must keep working, and the public routes get their own
///   redirect routers from the label compiler instead;
/// * one ACME resolver (HTTP-01, TLS-ALPN-01 or DNS-01), stored on a persistent volume, with an
///   explicit staging or production `caServer`;
/// * the Swarm provider (v3 `providers.swarm`, v2 `providers.docker` with `swarmMode`) reading Docker
///   through the socket proxy, nothing exposed by default;
/// * a provider constraint: this Traefik reads only the services of its own stack environment (their
///   ownership labels), so two environments or stacks on one swarm never route each other's services;
/// * the API on the `traefik` entry point (:8080), which is never published: `up`'s route gate and `verify`
///   read it from a one-shot job on the ingress network (docs/traefik.md says why); from outside, the
///   dashboard is reachable only through a router (with forward-auth) to `api@internal`; `ping` for health checks;
/// * `aliasHeadersStrategy: delete` on every entry point, so a client cannot smuggle `X_User` past a
///   forward-auth that sets `X-User`; no version check and no anonymous usage reports (no outbound traffic).
public struct TraefikStaticConfiguration: Sendable {
    public var stack: StackSpec

    public init(stack: StackSpec) {
        self.stack = stack
    }

    /// The YAML text: keys sorted, strings quoted, the same bytes for the same spec.
    public func render() -> String {
        StaticYAML.mapping(document).text
    }

    /// The content suffix of the Docker config holding this file (see ``ContentHash/objectSuffix(stack:name:content:)``).
    public func contentSuffix(configName: String = "traefik-static") -> String {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        return ContentHash.objectSuffix(stack: identity.prefix, name: configName, content: Array(render().utf8))
    }

    private var routing: RoutingSpec { stack.routing }

    private var document: [String: StaticYAML] {
        var document: [String: StaticYAML] = [
            "entryPoints": .mapping(entryPoints),
            "providers": .mapping(providers),
            "api": .mapping(["dashboard": .boolean(true), "insecure": .boolean(true)]),
            "ping": .mapping(["entryPoint": .string("traefik")]),
            // Plain text lines, so `verify` can quote the one that explains a dropped router.
            "log": .mapping(["level": .string("INFO"), "noColor": .boolean(true)]),
            "global": .mapping(["checkNewVersion": .boolean(false), "sendAnonymousUsage": .boolean(false)]),
        ]
        if routing.enables(.public) { document["certificatesResolvers"] = .mapping([routing.acme.resolver: .mapping(["acme": acme])]) }
        return document
    }

    /// The value of every entry point's `http.aliasHeadersStrategy`: drop a header whose name only aliases
    /// another (`X_User` for `X-User`) instead of passing it on.
    public static let aliasHeadersStrategy = "delete"

    private var entryPoints: [String: StaticYAML] {
        var webHTTP: [String: StaticYAML] = ["aliasHeadersStrategy": .string(Self.aliasHeadersStrategy)]
        if RouteRedirectPolicy.redirectsAtEntryPoint(stack) {
            webHTTP["redirections"] = .mapping(["entryPoint": .mapping([
                "to": .string("websecure"), "scheme": .string("https"), "permanent": .boolean(true),
            ])])
        }
        let http = StaticYAML.mapping(["aliasHeadersStrategy": .string(Self.aliasHeadersStrategy)])
        return [
            "web": .mapping(["address": .string(":80"), "http": .mapping(webHTTP)]),
            "websecure": .mapping(["address": .string(":443"), "http": http]),
            "traefik": .mapping(["address": .string(":8080"), "http": http]),
        ]
    }

    /// How often Traefik reads the services from Swarm.
    public static let swarmRefreshSeconds = 5

    /// The provider's `constraints`: only services carrying this stack environment's ownership labels.
    public var providerConstraint: String {
        "Label(`\(OwnershipLabel.stack)`,`\(stack.name)`) && Label(`\(OwnershipLabel.environment)`,`\(stack.environment)`)"
    }

    /// `tcp://<socket proxy>:2375`, or the endpoint itself when `routing.socket_proxy` is a URL
    /// (`unix:///var/run/docker.sock` for a Traefik that mounts the socket).
    public var providerEndpoint: String {
        routing.socketProxy.contains("://") ? routing.socketProxy : "tcp://\(routing.socketProxy):2375"
    }

    private var providers: [String: StaticYAML] {
        var provider: [String: StaticYAML] = [
            "endpoint": .string(providerEndpoint),
            "exposedByDefault": .boolean(false),
            "constraints": .string(providerConstraint),
            "watch": .boolean(true),
        ]
        if let network = stack.ingressNetworkDockerName { provider["network"] = .string(network) }
        // Swarm has no event for label changes, so Traefik polls it: every 5 s instead of 15 s puts a new service on
        // the air (and lets `up`'s route gate pass) ~10 s sooner, for a few list calls (bench/traefik-route/run).
        switch routing.traefik {
        case .v3:
            provider["refreshSeconds"] = .string("\(Self.swarmRefreshSeconds)s")
            return ["swarm": .mapping(provider)]
        case .v2:
            provider["swarmMode"] = .boolean(true)
            provider["swarmModeRefreshSeconds"] = .integer(Self.swarmRefreshSeconds)
            return ["docker": .mapping(provider)]
        }
    }

    private var acme: StaticYAML {
        let settings = routing.acme
        var acme: [String: StaticYAML] = ["storage": .string(settings.storage), "caServer": .string(settings.caServer)]
        if let email = settings.email { acme["email"] = .string(email) }
        switch settings.challenge {
        case .http: acme["httpChallenge"] = .mapping(["entryPoint": .string("web")])
        case .tlsALPN: acme["tlsChallenge"] = .mapping([:])
        case .dns: acme["dnsChallenge"] = .mapping(["provider": .string(settings.dnsProvider ?? "")])
        }
        return .mapping(acme)
    }
}
