import Testing
@testable import SprocketCore

/// The Sprocket routes compile to exactly these labels. The four tables are written out by hand from
/// docs/wire-formats.md §3.1–3.2 (label grammar, network label and provider suffix per version).
@Suite("Routing: Sprocket routes compile to the expected labels")
struct RoutingSprocketLabelTests {
    @Test("prod, Traefik v3: public hosts, websecure, Let's Encrypt, @swarm, traefik.swarm.network")
    func prodV3() throws {
        let stack = try RoutingFixture.load("prod", .v3)
        let expected: [String: [String: String]] = [
            "traefik": [
                "traefik.enable": "true",
                "traefik.swarm.network": "sprocket-prod_ingress",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.rule": "Host(`traefik.sprocket.mlesports.gg`)",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.entrypoints": "websecure",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.service": "api@internal",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.tls": "true",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.tls.certresolver": "letsencrypt",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.middlewares": "sprocket-prod-traefik-dashboard-forwardauth@swarm",
                "traefik.http.middlewares.sprocket-prod-traefik-dashboard-forwardauth.forwardauth.address":
                    "http://forward-auth:3000/login?rule=SprocketAdmin",
                "traefik.http.middlewares.sprocket-prod-traefik-dashboard-forwardauth.forwardauth.trustforwardheader": "true",
                // Traefik drops every router of a service whose labels give no port, even one sending to api@internal.
                "traefik.http.services.sprocket-prod-traefik-dashboard.loadbalancer.server.port": "9999",
            ],
            "web": [
                "traefik.enable": "true",
                "traefik.swarm.network": "sprocket-prod_ingress",
                "traefik.http.routers.sprocket-prod-web-1.rule": "Host(`sprocket.mlesports.gg`)",
                "traefik.http.routers.sprocket-prod-web-1.entrypoints": "websecure",
                "traefik.http.routers.sprocket-prod-web-1.service": "sprocket-prod-web-1",
                "traefik.http.routers.sprocket-prod-web-1.tls": "true",
                "traefik.http.routers.sprocket-prod-web-1.tls.certresolver": "letsencrypt",
                "traefik.http.services.sprocket-prod-web-1.loadbalancer.server.port": "3000",
            ],
            "core": [
                "traefik.enable": "true",
                "traefik.swarm.network": "sprocket-prod_ingress",
                "traefik.http.routers.sprocket-prod-core-api.rule": "Host(`api.sprocket.mlesports.gg`)",
                "traefik.http.routers.sprocket-prod-core-api.entrypoints": "websecure",
                "traefik.http.routers.sprocket-prod-core-api.service": "sprocket-prod-core-api",
                "traefik.http.routers.sprocket-prod-core-api.tls": "true",
                "traefik.http.routers.sprocket-prod-core-api.tls.certresolver": "letsencrypt",
                "traefik.http.services.sprocket-prod-core-api.loadbalancer.server.port": "3001",
            ],
            "image-generation-frontend": [
                "traefik.enable": "true",
                "traefik.swarm.network": "sprocket-prod_ingress",
                "traefik.http.routers.sprocket-prod-image-generation-frontend-ui.rule": "Host(`image-generation.sprocket.mlesports.gg`)",
                "traefik.http.routers.sprocket-prod-image-generation-frontend-ui.entrypoints": "websecure",
                "traefik.http.routers.sprocket-prod-image-generation-frontend-ui.service": "sprocket-prod-image-generation-frontend-ui",
                "traefik.http.routers.sprocket-prod-image-generation-frontend-ui.tls": "true",
                "traefik.http.routers.sprocket-prod-image-generation-frontend-ui.tls.certresolver": "letsencrypt",
                "traefik.http.services.sprocket-prod-image-generation-frontend-ui.loadbalancer.server.port": "3000",
            ],
        ]
        #expect(RoutingFixture.labels(stack) == expected)
    }

    @Test("prod, Traefik v2.11: the same routers with @docker and traefik.docker.network")
    func prodV2() throws {
        let stack = try RoutingFixture.load("prod", .v2)
        let expected: [String: [String: String]] = [
            "traefik": [
                "traefik.enable": "true",
                "traefik.docker.network": "sprocket-prod_ingress",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.rule": "Host(`traefik.sprocket.mlesports.gg`)",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.entrypoints": "websecure",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.service": "api@internal",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.tls": "true",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.tls.certresolver": "letsencrypt",
                "traefik.http.routers.sprocket-prod-traefik-dashboard.middlewares": "sprocket-prod-traefik-dashboard-forwardauth@docker",
                "traefik.http.middlewares.sprocket-prod-traefik-dashboard-forwardauth.forwardauth.address":
                    "http://forward-auth:3000/login?rule=SprocketAdmin",
                "traefik.http.middlewares.sprocket-prod-traefik-dashboard-forwardauth.forwardauth.trustforwardheader": "true",
                // Traefik drops every router of a service whose labels give no port, even one sending to api@internal.
                "traefik.http.services.sprocket-prod-traefik-dashboard.loadbalancer.server.port": "9999",
            ],
            "web": [
                "traefik.enable": "true",
                "traefik.docker.network": "sprocket-prod_ingress",
                "traefik.http.routers.sprocket-prod-web-1.rule": "Host(`sprocket.mlesports.gg`)",
                "traefik.http.routers.sprocket-prod-web-1.entrypoints": "websecure",
                "traefik.http.routers.sprocket-prod-web-1.service": "sprocket-prod-web-1",
                "traefik.http.routers.sprocket-prod-web-1.tls": "true",
                "traefik.http.routers.sprocket-prod-web-1.tls.certresolver": "letsencrypt",
                "traefik.http.services.sprocket-prod-web-1.loadbalancer.server.port": "3000",
            ],
            "core": [
                "traefik.enable": "true",
                "traefik.docker.network": "sprocket-prod_ingress",
                "traefik.http.routers.sprocket-prod-core-api.rule": "Host(`api.sprocket.mlesports.gg`)",
                "traefik.http.routers.sprocket-prod-core-api.entrypoints": "websecure",
                "traefik.http.routers.sprocket-prod-core-api.service": "sprocket-prod-core-api",
                "traefik.http.routers.sprocket-prod-core-api.tls": "true",
                "traefik.http.routers.sprocket-prod-core-api.tls.certresolver": "letsencrypt",
                "traefik.http.services.sprocket-prod-core-api.loadbalancer.server.port": "3001",
            ],
            "image-generation-frontend": [
                "traefik.enable": "true",
                "traefik.docker.network": "sprocket-prod_ingress",
                "traefik.http.routers.sprocket-prod-image-generation-frontend-ui.rule": "Host(`image-generation.sprocket.mlesports.gg`)",
                "traefik.http.routers.sprocket-prod-image-generation-frontend-ui.entrypoints": "websecure",
                "traefik.http.routers.sprocket-prod-image-generation-frontend-ui.service": "sprocket-prod-image-generation-frontend-ui",
                "traefik.http.routers.sprocket-prod-image-generation-frontend-ui.tls": "true",
                "traefik.http.routers.sprocket-prod-image-generation-frontend-ui.tls.certresolver": "letsencrypt",
                "traefik.http.services.sprocket-prod-image-generation-frontend-ui.loadbalancer.server.port": "3000",
            ],
        ]
        #expect(RoutingFixture.labels(stack) == expected)
    }

    @Test("local, Traefik v3: *.localhost over HTTP on web and default-certificate HTTPS, never ACME")
    func localV3() throws {
        let stack = try RoutingFixture.load("local", .v3)
        let expected: [String: [String: String]] = [
            "traefik": [
                "traefik.enable": "true",
                "traefik.swarm.network": "sprocket-local_ingress",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost.rule": "Host(`traefik.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost.entrypoints": "web",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost.service": "api@internal",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost.middlewares":
                    "sprocket-local-traefik-dashboard-forwardauth@swarm",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost-tls.rule": "Host(`traefik.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost-tls.entrypoints": "websecure",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost-tls.service": "api@internal",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost-tls.tls": "true",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost-tls.middlewares":
                    "sprocket-local-traefik-dashboard-forwardauth@swarm",
                "traefik.http.middlewares.sprocket-local-traefik-dashboard-forwardauth.forwardauth.address":
                    "http://forward-auth:3000/login?rule=SprocketAdmin",
                "traefik.http.middlewares.sprocket-local-traefik-dashboard-forwardauth.forwardauth.trustforwardheader": "true",
                // Traefik drops every router of a service whose labels give no port, even one sending to api@internal.
                "traefik.http.services.sprocket-local-traefik-dashboard.loadbalancer.server.port": "9999",
            ],
            "web": [
                "traefik.enable": "true",
                "traefik.swarm.network": "sprocket-local_ingress",
                "traefik.http.routers.sprocket-local-web-1-localhost.rule": "Host(`sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-web-1-localhost.entrypoints": "web",
                "traefik.http.routers.sprocket-local-web-1-localhost.service": "sprocket-local-web-1",
                "traefik.http.routers.sprocket-local-web-1-localhost-tls.rule": "Host(`sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-web-1-localhost-tls.entrypoints": "websecure",
                "traefik.http.routers.sprocket-local-web-1-localhost-tls.service": "sprocket-local-web-1",
                "traefik.http.routers.sprocket-local-web-1-localhost-tls.tls": "true",
                "traefik.http.services.sprocket-local-web-1.loadbalancer.server.port": "3000",
            ],
            "core": [
                "traefik.enable": "true",
                "traefik.swarm.network": "sprocket-local_ingress",
                "traefik.http.routers.sprocket-local-core-api-localhost.rule": "Host(`api.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-core-api-localhost.entrypoints": "web",
                "traefik.http.routers.sprocket-local-core-api-localhost.service": "sprocket-local-core-api",
                "traefik.http.routers.sprocket-local-core-api-localhost-tls.rule": "Host(`api.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-core-api-localhost-tls.entrypoints": "websecure",
                "traefik.http.routers.sprocket-local-core-api-localhost-tls.service": "sprocket-local-core-api",
                "traefik.http.routers.sprocket-local-core-api-localhost-tls.tls": "true",
                "traefik.http.services.sprocket-local-core-api.loadbalancer.server.port": "3001",
            ],
            "image-generation-frontend": [
                "traefik.enable": "true",
                "traefik.swarm.network": "sprocket-local_ingress",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost.rule": "Host(`image-generation.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost.entrypoints": "web",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost.service": "sprocket-local-image-generation-frontend-ui",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost-tls.rule":
                    "Host(`image-generation.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost-tls.entrypoints": "websecure",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost-tls.service":
                    "sprocket-local-image-generation-frontend-ui",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost-tls.tls": "true",
                "traefik.http.services.sprocket-local-image-generation-frontend-ui.loadbalancer.server.port": "3000",
            ],
        ]
        #expect(RoutingFixture.labels(stack) == expected)
    }

    @Test("local, Traefik v2.11: the same routers with @docker and traefik.docker.network")
    func localV2() throws {
        let stack = try RoutingFixture.load("local", .v2)
        let expected: [String: [String: String]] = [
            "traefik": [
                "traefik.enable": "true",
                "traefik.docker.network": "sprocket-local_ingress",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost.rule": "Host(`traefik.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost.entrypoints": "web",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost.service": "api@internal",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost.middlewares":
                    "sprocket-local-traefik-dashboard-forwardauth@docker",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost-tls.rule": "Host(`traefik.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost-tls.entrypoints": "websecure",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost-tls.service": "api@internal",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost-tls.tls": "true",
                "traefik.http.routers.sprocket-local-traefik-dashboard-localhost-tls.middlewares":
                    "sprocket-local-traefik-dashboard-forwardauth@docker",
                "traefik.http.middlewares.sprocket-local-traefik-dashboard-forwardauth.forwardauth.address":
                    "http://forward-auth:3000/login?rule=SprocketAdmin",
                "traefik.http.middlewares.sprocket-local-traefik-dashboard-forwardauth.forwardauth.trustforwardheader": "true",
                // Traefik drops every router of a service whose labels give no port, even one sending to api@internal.
                "traefik.http.services.sprocket-local-traefik-dashboard.loadbalancer.server.port": "9999",
            ],
            "web": [
                "traefik.enable": "true",
                "traefik.docker.network": "sprocket-local_ingress",
                "traefik.http.routers.sprocket-local-web-1-localhost.rule": "Host(`sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-web-1-localhost.entrypoints": "web",
                "traefik.http.routers.sprocket-local-web-1-localhost.service": "sprocket-local-web-1",
                "traefik.http.routers.sprocket-local-web-1-localhost-tls.rule": "Host(`sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-web-1-localhost-tls.entrypoints": "websecure",
                "traefik.http.routers.sprocket-local-web-1-localhost-tls.service": "sprocket-local-web-1",
                "traefik.http.routers.sprocket-local-web-1-localhost-tls.tls": "true",
                "traefik.http.services.sprocket-local-web-1.loadbalancer.server.port": "3000",
            ],
            "core": [
                "traefik.enable": "true",
                "traefik.docker.network": "sprocket-local_ingress",
                "traefik.http.routers.sprocket-local-core-api-localhost.rule": "Host(`api.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-core-api-localhost.entrypoints": "web",
                "traefik.http.routers.sprocket-local-core-api-localhost.service": "sprocket-local-core-api",
                "traefik.http.routers.sprocket-local-core-api-localhost-tls.rule": "Host(`api.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-core-api-localhost-tls.entrypoints": "websecure",
                "traefik.http.routers.sprocket-local-core-api-localhost-tls.service": "sprocket-local-core-api",
                "traefik.http.routers.sprocket-local-core-api-localhost-tls.tls": "true",
                "traefik.http.services.sprocket-local-core-api.loadbalancer.server.port": "3001",
            ],
            "image-generation-frontend": [
                "traefik.enable": "true",
                "traefik.docker.network": "sprocket-local_ingress",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost.rule": "Host(`image-generation.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost.entrypoints": "web",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost.service": "sprocket-local-image-generation-frontend-ui",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost-tls.rule":
                    "Host(`image-generation.sprocket.localhost`)",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost-tls.entrypoints": "websecure",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost-tls.service":
                    "sprocket-local-image-generation-frontend-ui",
                "traefik.http.routers.sprocket-local-image-generation-frontend-ui-localhost-tls.tls": "true",
                "traefik.http.services.sprocket-local-image-generation-frontend-ui.loadbalancer.server.port": "3000",
            ],
        ]
        #expect(RoutingFixture.labels(stack) == expected)
    }

    @Test("the compiled labels reach the desired service labels, next to the ownership labels")
    func desiredState() throws {
        let stack = try RoutingFixture.load("prod", .v3)
        let desired = DesiredStateBuilder(stack: stack, secrets: [:]).build()
        let core = try #require(desired.layers.flatMap(\.services).first { $0.name == "core" })
        #expect(core.definition.serviceLabels["traefik.http.routers.sprocket-prod-core-api.rule"] == "Host(`api.sprocket.mlesports.gg`)")
        #expect(core.definition.serviceLabels[OwnershipLabel.stack] == "sprocket")
        let forwardAuth = try #require(desired.layers.flatMap(\.services).first { $0.name == "forward-auth" })
        #expect(!forwardAuth.definition.serviceLabels.keys.contains { $0.hasPrefix("traefik.") }, "a service without routes gets no Traefik label")
    }

    @Test("the compiled routers are what verify routes will look for, and every rule parses")
    func compiledRouters() throws {
        for version in TraefikMajorVersion.allCases {
            let stack = try RoutingFixture.load("prod", version)
            let routers = RouteLabelCompiler(stack: stack).compiledRouters()
            #expect(routers.map(\.name) == [
                "sprocket-prod-traefik-dashboard", "sprocket-prod-web-1", "sprocket-prod-core-api",
                "sprocket-prod-image-generation-frontend-ui",
            ].map { "\($0)@\(version.swarmProvider)" })
            let dashboard = try #require(routers.first)
            #expect(dashboard == CompiledRouter(
                name: "sprocket-prod-traefik-dashboard@\(version.swarmProvider)", rule: "Host(`traefik.sprocket.mlesports.gg`)",
                entryPoints: ["websecure"], tls: true, certResolver: "letsencrypt",
                middlewares: ["sprocket-prod-traefik-dashboard-forwardauth@\(version.swarmProvider)"], service: "api@internal",
                priority: nil, specService: "traefik"))
            for router in routers { _ = try TraefikRuleParser(version: version).parse(router.rule) }
        }
    }
}
