import Testing
import Yams
@testable import SprocketCore

/// traefik.yml from the routing settings: it parses as YAML, and the HTTP→HTTPS redirect is on the
/// `web` entry point exactly when the environment is public only.
@Suite("Routing: Traefik static configuration")
struct RoutingStaticConfigurationTests {
    static func parsed(_ stack: StackSpec) throws -> [String: Any] {
        let text = TraefikStaticConfiguration(stack: stack).render()
        return try #require(try Yams.load(yaml: text) as? [String: Any], "\(text)")
    }

    static func dig(_ value: Any?, _ path: String...) -> Any? {
        path.reduce(value) { ($0 as? [String: Any])?[$1] }
    }

    @Test("prod (public only, v3): redirect on web, TLS-ALPN resolver on the persistent path, swarm provider through the socket proxy")
    func prodV3() throws {
        let stack = try RoutingFixture.load("prod", .v3)
        let yaml = try Self.parsed(stack)
        #expect(Self.dig(yaml, "entryPoints", "web", "address") as? String == ":80")
        #expect(Self.dig(yaml, "entryPoints", "websecure", "address") as? String == ":443")
        #expect(Self.dig(yaml, "entryPoints", "web", "http", "redirections", "entryPoint", "to") as? String == "websecure")
        #expect(Self.dig(yaml, "entryPoints", "web", "http", "redirections", "entryPoint", "scheme") as? String == "https")
        #expect(Self.dig(yaml, "entryPoints", "web", "http", "redirections", "entryPoint", "permanent") as? Bool == true)
        #expect(Self.dig(yaml, "entryPoints", "websecure", "http", "redirections") == nil, "the redirect is on web only")
        let acme = Self.dig(yaml, "certificatesResolvers", "letsencrypt", "acme")
        #expect(Self.dig(acme, "storage") as? String == "/data/acme.json")
        #expect(Self.dig(acme, "caServer") as? String == "https://acme-v02.api.letsencrypt.org/directory")
        #expect(Self.dig(acme, "email") as? String == "ops@mlesports.gg")
        #expect(Self.dig(acme, "tlsChallenge") is [String: Any])
        #expect(Self.dig(yaml, "providers", "swarm", "endpoint") as? String == "tcp://socket-proxy:2375")
        #expect(Self.dig(yaml, "providers", "swarm", "exposedByDefault") as? Bool == false)
        #expect(Self.dig(yaml, "providers", "swarm", "network") as? String == "sprocket-prod_ingress")
        #expect(Self.dig(yaml, "providers", "docker") == nil, "v3 rejects providers.docker.swarmMode")
        #expect(Self.dig(yaml, "providers", "swarm", "refreshSeconds") as? String == "5s")
        #expect(Self.dig(yaml, "api", "dashboard") as? Bool == true)
        // The API answers on the `traefik` entry point, never published: up's gate and verify read it from a job on
        // the ingress network; from outside only the forward-auth router reaches the dashboard.
        #expect(Self.dig(yaml, "api", "insecure") as? Bool == true)
        #expect(Self.dig(yaml, "entryPoints", "traefik", "address") as? String == ":8080")
        #expect(Self.dig(yaml, "ping") is [String: Any])
        #expect(Self.dig(yaml, "global", "checkNewVersion") as? Bool == false)
        #expect(Self.dig(yaml, "global", "sendAnonymousUsage") as? Bool == false)
        for entryPoint in ["web", "websecure", "traefik"] {
            #expect(Self.dig(yaml, "entryPoints", entryPoint, "http", "aliasHeadersStrategy") as? String == "delete", "\(entryPoint)")
        }
        #expect(Self.dig(yaml, "providers", "swarm", "constraints") as? String
            == "Label(`io.sprocket.stack`,`sprocket`) && Label(`io.sprocket.env`,`prod`)")
    }

    @Test("local (localhost only): no redirect anywhere, no ACME resolver; v2 uses providers.docker with swarmMode")
    func localV2() throws {
        let stack = try RoutingFixture.load("local", .v2)
        let yaml = try Self.parsed(stack)
        #expect(Self.dig(yaml, "entryPoints", "web", "http", "redirections") == nil)
        #expect(Self.dig(yaml, "certificatesResolvers") == nil)
        #expect(Self.dig(yaml, "providers", "docker", "swarmMode") as? Bool == true)
        #expect(Self.dig(yaml, "providers", "docker", "swarmModeRefreshSeconds") as? Int == 5)
        #expect(Self.dig(yaml, "providers", "docker", "endpoint") as? String == "tcp://socket-proxy:2375")
        #expect(Self.dig(yaml, "providers", "swarm") == nil)
    }

    @Test("public with an IP profile: no entry-point redirect (HTTP must work on the IP), routers redirect instead")
    func mixedProfiles() throws {
        var stack = try RoutingFixture.load("prod", .v3)
        stack.routing.access = [.public, .tailscale]
        stack.routing.tailscaleAddress = "100.110.185.84"
        let yaml = try Self.parsed(stack)
        #expect(Self.dig(yaml, "entryPoints", "web", "http", "redirections") == nil)
        #expect(Self.dig(yaml, "certificatesResolvers", "letsencrypt") != nil)
        let routers = RouteLabelCompiler(stack: stack).compiledRouters()
        #expect(routers.contains { $0.name == "sprocket-prod-web-1-redirect@swarm" && $0.entryPoints == ["web"] })
        #expect(routers.contains { $0.name == "sprocket-prod-web-1-tailscale@swarm" && $0.rule == "Host(`100.110.185.84`)" })
    }

    @Test("staging CA, DNS-01 with a provider, HTTP-01 on web", arguments: [ACMESettings.Challenge.dns, .http])
    func challenges(_ challenge: ACMESettings.Challenge) throws {
        var stack = try RoutingFixture.load("prod", .v3)
        stack.routing.acme.staging = true
        stack.routing.acme.challenge = challenge
        stack.routing.acme.dnsProvider = "digitalocean"
        let acme = Self.dig(try Self.parsed(stack), "certificatesResolvers", "letsencrypt", "acme")
        #expect(Self.dig(acme, "caServer") as? String == "https://acme-staging-v02.api.letsencrypt.org/directory")
        switch challenge {
        case .dns: #expect(Self.dig(acme, "dnsChallenge", "provider") as? String == "digitalocean")
        case .http: #expect(Self.dig(acme, "httpChallenge", "entryPoint") as? String == "web")
        case .tlsALPN: Issue.record("not a case of this test")
        }
    }

    @Test("the text is deterministic and its content hash changes with the content")
    func deterministic() throws {
        let first = try RoutingFixture.load("prod", .v3)
        let again = try RoutingFixture.load("prod", .v3)
        #expect(TraefikStaticConfiguration(stack: first).render() == TraefikStaticConfiguration(stack: again).render())
        #expect(TraefikStaticConfiguration(stack: first).contentSuffix() == TraefikStaticConfiguration(stack: again).contentSuffix())
        var staging = first
        staging.routing.acme.staging = true
        #expect(TraefikStaticConfiguration(stack: staging).contentSuffix() != TraefikStaticConfiguration(stack: first).contentSuffix())
        let text = TraefikStaticConfiguration(stack: first).render()
        #expect(text.hasPrefix("api:\n  dashboard: true\n  insecure: true\ncertificatesResolvers:\n"), "keys sorted")
    }
}
