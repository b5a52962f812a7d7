import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Traefik

/// The labels sprocketctl compiles, read by real Traefik 3.7 running as a Swarm service (``TraefikSwarm``) with
/// the static configuration sprocketctl generates, route real requests to real tasks on every access profile, and
/// the middlewares behave as declared. One Traefik serves the whole suite; each test deploys its own services.
@Suite("Routing through real Traefik on the test swarm", .sharedRealTraefik)
struct RealTraefikRoutingTests {
    /// The routed services of the suite's stack. Each test deploys the ones it needs.
    static let appFile = """
        networks:
          ingress: {external: true, name: {{stack}}-test_ingress}
        secrets:
          web-users: {generate: {length: 16}}
        services:
          profiles:
            image: sprocket-local/web:1
            networks: [ingress]
            routes:
              - name: home
                port: 8080
              - name: api
                subdomain: api
                ip_prefix: /api
                port: 8080
          guarded:
            image: sprocket-local/web:1
            networks: [ingress]
            routes:
              - name: basic
                subdomain: basic
                port: 8080
                access: [localhost]
                middlewares:
                  - basic_auth: {secret: web-users, realm: test}
          auth:
            image: sprocket-local/busybox:latest
            networks: [ingress]
          whoami:
            image: sprocket-local/busybox:latest
            networks: [ingress]
            routes:
              - name: cgi
                subdomain: whoami
                port: 8080
                access: [localhost]
                middlewares:
                  - forward_auth: {address: "http://auth:8080/cgi-bin/auth", response_headers: [X-User]}
          dash:
            image: sprocket-local/busybox:latest
            networks: [ingress]
            routes:
              - name: dashboard
                subdomain: dash
                service: api@internal
                access: [localhost]
          apiclient:
            image: sprocket-local/busybox:latest
            networks: [ingress]
            routes:
              - name: api
                subdomain: traefik-api
                service: api@internal
                access: [localhost]
                tls: none

        """

    static let httpd = ["httpd", "-f", "-p", "8080", "-h", "/www"]

    @Test("every access profile routes to the task: domain by Host, localhost, LAN IP 127.0.0.2, Tailscale IP 127.0.0.3, strip prefix on IPs (real Traefik)")
    func accessProfiles() async throws {
        let fixture = try SharedRealTraefik.fixture()
        let traefik = fixture.traefik
        try await fixture.deploy("profiles", image: TestImages.web)

        let local = try #require(await traefik.waitForRoute(host: "localhost"), "localhost never routed")
        #expect(local.status == 200 && local.body.contains("sprocket-local/web version"), "\(local)")
        let api = try #require(await traefik.waitForRoute(host: "api.localhost"))
        #expect(api.status == 200, "\(api)")
        for address in ["127.0.0.2", "127.0.0.3"] {
            let apex = try #require(await traefik.waitForRoute(address: address, host: address), "\(address) never routed")
            #expect(apex.status == 200 && apex.body.contains("sprocket-local/web version"), "\(address): \(apex)")
            // The `api` route answers on the IP only under its ip_prefix, which is stripped before the task sees it.
            let prefixed = try #require(await traefik.waitForRoute(address: address, host: address, path: "/api/"))
            #expect(prefixed.status == 200 && prefixed.body.contains("sprocket-local/web version"), "\(address)/api/: \(prefixed)")
        }
        // An IP router matches the Host its address gives, nothing else.
        let unclaimed = TraefikSwarm.request(address: "127.0.0.1", port: traefik.httpPort, host: "127.0.0.9")
        #expect(unclaimed?.status == 404, "\(String(describing: unclaimed))")

        // Public: HTTP is redirected to HTTPS by the route's own redirect router (the environment also serves IPs), and
        // HTTPS answers with Traefik's default certificate while ACME cannot issue (its CA is unreachable on purpose).
        let redirect = try #require(await traefik.waitForRoute(host: "example.test"))
        #expect(redirect.status == 301 && redirect.header("Location") == "https://example.test/", "\(redirect)")
        let secure = try await RouteProbe(timeout: .seconds(10)).probe(
            RouteProbeTarget(scheme: .https, host: "api.example.test", address: "127.0.0.1", port: traefik.httpsPort))
        #expect(secure.statusCode == 200, "\(secure.summaryLine)")
        #expect(secure.certificate?.isTraefikDefault == true, "\(secure.summaryLine)")
    }

    @Test("basic auth from the users file in Traefik's container: 401 without or with wrong credentials, 200 with them (real Traefik)")
    func basicAuth() async throws {
        let fixture = try SharedRealTraefik.fixture()
        try await fixture.deploy("guarded", image: TestImages.web)
        let (user, password) = RealTraefikFixture.basicUser
        func authorization(_ secret: String) -> [(String, String)] {
            [("Authorization", "Basic " + Data("\(user):\(secret)".utf8).base64EncodedString())]
        }
        let granted = try #require(await fixture.traefik.waitForRoute(host: "basic.localhost", headers: authorization(password)))
        #expect(granted.status == 200 && granted.body.contains("sprocket-local/web version"), "\(granted)")
        let anonymous = TraefikSwarm.request(address: "127.0.0.1", port: fixture.traefik.httpPort, host: "basic.localhost")
        #expect(anonymous?.status == 401, "\(String(describing: anonymous))")
        #expect(anonymous?.header("WWW-Authenticate")?.contains("test") == true)
        let wrong = TraefikSwarm.request(address: "127.0.0.1", port: fixture.traefik.httpPort, host: "basic.localhost", headers: authorization("nope"))
        #expect(wrong?.status == 401, "\(String(describing: wrong))")
    }

    @Test("forward auth sets X-User, and a client's underscore alias X_User: mallory never reaches the CGI backend (real Traefik)")
    func forwardAuthAliasHeader() async throws {
        let fixture = try SharedRealTraefik.fixture()
        let auth = "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\nX-User: alice\\r\\n\\r\\nok\\n'\n"
        let env = "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\nenv | grep '^HTTP_' | sort\n"
        try await fixture.deploy("auth", image: TestImages.busybox, command: Self.httpd, files: [("/www/cgi-bin/auth", auth)])
        try await fixture.deploy("whoami", image: TestImages.busybox, command: Self.httpd, files: [("/www/cgi-bin/env", env)])
        let reply = try #require(await fixture.traefik.waitForRoute(
            host: "whoami.localhost", path: "/cgi-bin/env", headers: [("X_User", "mallory"), ("X-Probe", "1")]))
        #expect(reply.status == 200, "\(reply)")
        #expect(reply.body.contains("HTTP_X_PROBE=1"), "the backend prints the request's headers: \(reply)")
        #expect(reply.body.contains("HTTP_X_USER=alice"), "forward auth's X-User reaches the backend: \(reply)")
        #expect(!reply.body.contains("mallory"), "the alias header was passed on: \(reply)")
        // The middleware is built by now: the compiled labels say trustForwardHeader explicitly, so Traefik has no warning.
        let logs = await fixture.traefik.logLines()
        #expect(!logs.contains { $0.lowercased().contains("trustforwardheader") }, "\(logs.filter { $0.contains(" WRN ") }.prefix(5))")
    }

    @Test("a route to api@internal (the dashboard) is served: its service gets a placeholder port, so Traefik keeps its routers (real Traefik)")
    func dashboardRoute() async throws {
        let fixture = try SharedRealTraefik.fixture()
        try await fixture.deploy("dash", image: TestImages.busybox, command: ["sleep", "3600"])
        let version = try #require(await fixture.traefik.waitForRoute(host: "dash.localhost", path: "/api/version"))
        #expect(version.status == 200 && version.body.contains("3.7"), "\(version)")
        let logs = await fixture.traefik.logLines()
        #expect(!logs.contains { $0.contains("port is missing") }, "\(logs.filter { $0.contains("port is missing") }.prefix(3))")
    }

    @Test("the API client reads /api/version, /api/overview and every router and service page through a route to api@internal, and the verifier judges the real routers against themselves as passing (real Traefik)")
    func apiClient() async throws {
        let fixture = try SharedRealTraefik.fixture()
        try await fixture.deploy("apiclient", image: TestImages.busybox, command: ["sleep", "3600"])
        let ready = try #require(await fixture.traefik.waitForRoute(host: "traefik-api.localhost", path: "/api/version"))
        #expect(ready.status == 200, "\(ready)")
        // A page size of 2 makes the client follow X-Next-Page across several pages.
        let client = try TraefikAPIClient(
            baseURL: "http://127.0.0.1:\(fixture.traefik.httpPort)", extraHeaders: [.init(name: "Host", value: "traefik-api.localhost")],
            pageSize: 2)
        let version = try await client.version()
        #expect(version.version == "3.7.15")
        let overview = try await client.overview()
        let routers = try await client.routers()
        let services = try await client.services()
        #expect(routers.count > 2, "paging needs more than one page: \(routers.map(\.name))")
        #expect(routers.count == overview.http.routers?.total, "\(routers.map(\.name))")
        #expect(services.count == overview.http.services?.total)
        #expect(routers.contains { $0.name == "\(fixture.stack.name)-test-apiclient-api-localhost@swarm" })
        #expect(try await client.router(named: "sprocketctl-no-such-router@file") == nil)
        // The compiled expectation of the route matches what real Traefik reports, field for field.
        let compiled = RouteLabelCompiler(stack: fixture.stack).compiledRouters().filter { $0.specService == "apiclient" }
        let report = try await RouteVerifier(source: client, budget: .seconds(30)).verify(compiled.map(ExpectedRouter.init))
        #expect(report.passed, "\(report.summaryLines)")
    }

    @Test("the generated static configuration leaves no alias-header warning, no version check and no usage reports (real Traefik)")
    func staticConfigurationWarnings() async throws {
        let fixture = try SharedRealTraefik.fixture()
        let logs = await fixture.traefik.logLines()
        #expect(logs.contains { $0.contains("Traefik version 3.7") }, "\(logs.prefix(5))")
        #expect(logs.contains { $0.contains("Version check is disabled") })
        #expect(logs.contains { $0.contains("Stats collection is disabled") })
        #expect(!logs.contains { $0.contains("aliasHeadersStrategy is not configured") })
        #expect(!logs.contains { $0.contains("Error while building configuration") || $0.contains("Cannot start") }, "\(logs.filter { $0.contains(" ERR ") }.prefix(5))")
    }
}
