import Testing
@testable import SprocketCore

/// Label compilation beyond the Sprocket fixture: profiles, per-router redirects, IP routing,
/// middlewares, multi-host rules per version and the subdomain scheme.
@Suite("Routing: label compiler")
struct RoutingCompilerTests {
    static func stack(
        environment: String = "prod", routing: RoutingSpec, services: [ServiceSpec], networks: [NetworkSpec] = []
    ) -> StackSpec {
        let location = SourceLocation(file: "stack.yaml", line: 1, column: 1)
        let layer = LayerSpec(name: "app", networks: networks, services: services, location: location)
        var stack = StackSpec(name: "shop", environment: environment, layers: [layer], rootDirectory: "/tmp", location: location)
        stack.routing = routing
        return stack
    }

    static func service(_ name: String, _ routes: [RouteSpec]) -> ServiceSpec {
        var service = ServiceSpec(name: name, image: "nginx", location: SourceLocation(file: "app.yaml", line: 3, column: 3))
        service.routes = routes
        return service
    }

    static let at = SourceLocation(file: "app.yaml", line: 5, column: 7)

    @Test("`main` means no environment subdomain; any other environment adds its own, so hosts never coincide")
    func subdomainScheme() {
        let route = RouteSpec(name: "api", subdomain: "api", port: 80, location: Self.at)
        let apex = RouteSpec(name: "web", port: 80, location: Self.at)
        let main = RouteHostScheme(routing: RoutingSpec(domain: "example.com", subdomain: "main"), environment: "prod")
        let staging = RouteHostScheme(routing: RoutingSpec(domain: "example.com"), environment: "staging")
        #expect(main.publicHosts(of: route) == ["api.example.com"])
        #expect(main.publicHosts(of: apex) == ["example.com"])
        #expect(staging.publicHosts(of: route) == ["api.staging.example.com"])
        #expect(staging.publicHosts(of: apex) == ["staging.example.com"])
        #expect(staging.localhostHost(of: route) == "api.staging.localhost")
        #expect(main.localhostHost(of: apex) == "localhost")
    }

    @Test("public with LAN: HTTPS routers keep ACME, HTTP gets a per-router redirect, the LAN IP serves the apex and prefixed routes")
    func publicAndLAN() {
        let web = RouteSpec(name: "web", port: 3000, location: Self.at)
        let api = RouteSpec(name: "api", subdomain: "api", port: 3001, ipPrefix: "/api", location: Self.at)
        let admin = RouteSpec(name: "admin", subdomain: "admin", port: 9000, location: Self.at)
        let routing = RoutingSpec(domain: "example.com", subdomain: "main", lanAddress: "192.168.4.39", access: [.public, .lan])
        let stack = Self.stack(routing: routing, services: [Self.service("web", [web]), Self.service("api", [api, admin])])
        let compiler = RouteLabelCompiler(stack: stack)
        let webLabels = compiler.compile(stack.layers[0].services[0]).labels
        #expect(webLabels["traefik.http.routers.shop-prod-web-web.rule"] == "Host(`example.com`)")
        #expect(webLabels["traefik.http.routers.shop-prod-web-web-redirect.entrypoints"] == "web")
        #expect(webLabels["traefik.http.routers.shop-prod-web-web-redirect.middlewares"] == "shop-prod-web-web-https-redirect@swarm")
        #expect(webLabels["traefik.http.middlewares.shop-prod-web-web-https-redirect.redirectscheme.scheme"] == "https")
        #expect(webLabels["traefik.http.middlewares.shop-prod-web-web-https-redirect.redirectscheme.permanent"] == "true")
        #expect(webLabels["traefik.http.routers.shop-prod-web-web-lan.rule"] == "Host(`192.168.4.39`)")
        #expect(webLabels["traefik.http.routers.shop-prod-web-web-lan.entrypoints"] == "web")
        #expect(webLabels["traefik.http.routers.shop-prod-web-web-lan-tls.tls"] == "true")
        #expect(webLabels["traefik.http.routers.shop-prod-web-web-lan-tls.tls.certresolver"] == nil, "no ACME for an IP")
        let apiLabels = compiler.compile(stack.layers[0].services[1]).labels
        #expect(apiLabels["traefik.http.routers.shop-prod-api-api-lan.rule"] == "Host(`192.168.4.39`) && PathPrefix(`/api`)")
        #expect(apiLabels["traefik.http.routers.shop-prod-api-api-lan.middlewares"] == "shop-prod-api-api-lan-stripprefix@swarm")
        #expect(apiLabels["traefik.http.middlewares.shop-prod-api-api-lan-stripprefix.stripprefix.prefixes"] == "/api")
        #expect(!apiLabels.keys.contains { $0.hasPrefix("traefik.http.routers.shop-prod-api-admin-lan") },
                "a subdomain route without ip_prefix is not offered on an IP")
        #expect(apiLabels["traefik.http.routers.shop-prod-api-admin.rule"] == "Host(`admin.example.com`)")
        #expect(RouteRedirectPolicy.redirectsAtEntryPoint(stack) == false)
    }

    @Test("public only: the entry point redirects, so no per-router redirect is compiled")
    func publicOnly() {
        let routing = RoutingSpec(domain: "example.com", access: [.public])
        let stack = Self.stack(routing: routing, services: [Self.service("web", [RouteSpec(name: "web", port: 80, location: Self.at)])])
        let labels = RouteLabelCompiler(stack: stack).compile(stack.layers[0].services[0]).labels
        #expect(RouteRedirectPolicy.redirectsAtEntryPoint(stack))
        #expect(labels["traefik.http.routers.shop-prod-web-web.rule"] == "Host(`prod.example.com`)")
        #expect(!labels.keys.contains { $0.contains("redirect") })
    }

    @Test("several hosts and paths: one matcher with several values in v2, matchers joined with || in v3")
    func multiValueRules() throws {
        let route = RouteSpec(name: "site", hosts: ["a.example.com", "b.example.com"], pathPrefixes: ["/x", "/y"], port: 80, location: Self.at)
        for (version, expected) in [
            (TraefikMajorVersion.v2, "Host(`a.example.com`, `b.example.com`) && PathPrefix(`/x`, `/y`)"),
            (.v3, "(Host(`a.example.com`) || Host(`b.example.com`)) && (PathPrefix(`/x`) || PathPrefix(`/y`))"),
        ] {
            let stack = Self.stack(routing: RoutingSpec(traefik: version, access: [.public]), services: [Self.service("web", [route])])
            let rule = RouteLabelCompiler(stack: stack).compile(stack.layers[0].services[0]).labels["traefik.http.routers.shop-prod-web-site.rule"]
            #expect(rule == expected)
            _ = try TraefikRuleParser(version: version).parse(try #require(rule))
        }
    }

    @Test("middlewares keep their order, tls none serves web only, priority and basic auth from a secret file")
    func middlewares() {
        let route = RouteSpec(
            name: "admin", subdomain: "admin", port: 8080, tls: .none,
            middlewares: [
                .basicAuth(secret: "admin-users", realm: "shop"),
                .headers(request: ["X-Env": "prod"], response: [:]),
                .redirectRegex(regex: "^http://(.*)/old", replacement: "http://$1/new", permanent: false),
            ],
            priority: 50, location: Self.at)
        let stack = Self.stack(routing: RoutingSpec(domain: "example.com", subdomain: "main", access: [.public]),
                               services: [Self.service("admin", [route])])
        let labels = RouteLabelCompiler(stack: stack).compile(stack.layers[0].services[0]).labels
        let router = "traefik.http.routers.shop-prod-admin-admin"
        #expect(labels["\(router).middlewares"]
            == "shop-prod-admin-admin-basicauth@swarm,shop-prod-admin-admin-headers@swarm,shop-prod-admin-admin-redirectregex@swarm")
        #expect(labels["\(router).entrypoints"] == "web" && labels["\(router).tls"] == nil)
        #expect(labels["\(router).priority"] == "50")
        #expect(labels["traefik.http.middlewares.shop-prod-admin-admin-basicauth.basicauth.usersfile"] == "/run/secrets/admin-users")
        #expect(labels["traefik.http.middlewares.shop-prod-admin-admin-headers.headers.customrequestheaders.X-Env"] == "prod")
        #expect(labels["traefik.http.middlewares.shop-prod-admin-admin-redirectregex.redirectregex.permanent"] == "false")
        #expect(RouteRedirectPolicy.redirectsAtEntryPoint(stack) == false, "a plain-HTTP public route keeps web free of the redirect")
    }

    @Test("names are reduced to safe characters", arguments: [
        ("Shop_App", "prod", "Web.UI", "1", "shop-app-prod-web-ui-1"),
        ("shop", "qa", "api", "v2 beta!", "shop-qa-api-v2-beta"),
    ])
    func names(stack: String, environment: String, service: String, route: String, expected: String) {
        #expect(TraefikName.route(stack: stack, environment: environment, service: service, route: route) == expected)
    }
}
