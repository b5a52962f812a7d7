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
/// * the API and dashboard without `insecure`: reachable only through a router (with forward-auth) to
///   `api@internal`; `ping` for health checks.
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
            "api": .mapping(["dashboard": .boolean(true)]),
            "ping": .mapping(["entryPoint": .string("traefik")]),
            "log": .mapping(["level": .string("INFO")]),
        ]
        if routing.enables(.public) { document["certificatesResolvers"] = .mapping([routing.acme.resolver: .mapping(["acme": acme])]) }
        return document
    }

    private var entryPoints: [String: StaticYAML] {
        var web: [String: StaticYAML] = ["address": .string(":80")]
        if RouteRedirectPolicy.redirectsAtEntryPoint(stack) {
            web["http"] = .mapping(["redirections": .mapping(["entryPoint": .mapping([
                "to": .string("websecure"), "scheme": .string("https"), "permanent": .boolean(true),
            ])])])
        }
        return [
            "web": .mapping(web),
            "websecure": .mapping(["address": .string(":443")]),
            "traefik": .mapping(["address": .string(":8080")]),
        ]
    }

    private var providers: [String: StaticYAML] {
        var provider: [String: StaticYAML] = [
            "endpoint": .string("tcp://\(routing.socketProxy):2375"),
            "exposedByDefault": .boolean(false),
            "watch": .boolean(true),
        ]
        if let network = stack.ingressNetworkDockerName { provider["network"] = .string(network) }
        switch routing.traefik {
        case .v3:
            return ["swarm": .mapping(provider)]
        case .v2:
            provider["swarmMode"] = .boolean(true)
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
