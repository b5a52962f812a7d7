import Foundation
import SprocketTestSupport
import Testing
@testable import Traefik

@Suite("Traefik API client")
struct TraefikAPIClientTests {
    @Test("routers decode every documented field from a v3.6 Traefik")
    func routerFields() async throws {
        let routers = try await withEmulator(SprocketRoutes.table()) { _, client in try await client.routers() }
        let api = try #require(routers.first { $0.name == "sprocket-prod-api@swarm" })
        #expect(api.provider == "swarm")
        #expect(api.rule == "Host(`api.sprocket.gg`) && PathPrefix(`/v1`)")
        #expect(api.service == "sprocket-prod-api")
        #expect(api.entryPoints == ["websecure"])
        #expect(api.using == ["websecure"])
        #expect(api.middlewares == ["sprocket-prod-auth", "sprocket-prod-headers"])
        #expect(api.tls == TraefikRouter.TLS(certResolver: "letsencrypt", options: "default"))
        #expect(api.status == .enabled)
        #expect(api.errors.isEmpty)
        #expect(api.priority == Int64("Host(`api.sprocket.gg`) && PathPrefix(`/v1`)".utf8.count))
        #expect(api.priorityText == api.priority.map(String.init))
        #expect(routers.map(\.name) == routers.map(\.name).sorted())
    }

    @Test("lists follow X-Next-Page page by page, with per_page as configured", arguments: [1, 3, 4, 100])
    func paging(pageSize: Int) async throws {
        var table = SprocketRoutes.table()
        table.routers += (0..<3).map {
            .init(name: "extra-\($0)@swarm", rule: "Host(`e\($0).test`)", service: "sprocket-prod-web",
                  entryPoints: ["web"])
        }
        let (routers, queries) = try await withEmulator(table, pageSize: pageSize) { emulator, client in
            let routers = try await client.routers()
            let queries = emulator.requests.filter { $0.path == "/api/http/routers" }.map(\.query)
            return (routers, queries)
        }
        #expect(routers.count == 7)
        #expect(Set(routers.map(\.name)).count == 7)
        let pages = (7 + pageSize - 1) / pageSize
        #expect(queries.map { $0["page"] } == (1...pages).map { String($0) })
        #expect(queries.allSatisfy { $0["per_page"] == String(pageSize) })
    }

    @Test("services, middlewares, overview, version and ping read from the emulator")
    func otherEndpoints() async throws {
        try await withEmulator(SprocketRoutes.table(), flavor: .v3(3)) { _, client in
            let services = try await client.services()
            let web = try #require(services.first { $0.name == "sprocket-prod-web@swarm" })
            #expect(web.serverURLs == ["http://10.0.1.7:3000", "http://10.0.1.8:3000"])
            #expect(web.type == "loadbalancer")
            #expect(web.usedBy == ["sprocket-prod-web-http@swarm", "sprocket-prod-web@swarm"])
            #expect(services.contains { $0.name == "api@internal" && $0.loadBalancer == nil })
            let middlewares = try await client.middlewares()
            #expect(middlewares.first { $0.name == "sprocket-prod-redirect@swarm" }?.type == "redirectscheme")
            let overview = try await client.overview()
            #expect(overview.http.routers == TraefikOverview.Counts(total: 4, warnings: 0, errors: 0))
            #expect(overview.providers == ["Swarm"])
            let version = try await client.version()
            #expect(version.version == "3.3.0")
            #expect(version.majorVersion == 3)
            #expect(try await client.ping() == "OK")
        }
    }

    @Test("one router by full name; an unknown name is nil, not an error")
    func singleRouter() async throws {
        try await withEmulator(SprocketRoutes.table()) { emulator, client in
            let router = try await client.router(named: "sprocket-prod-web@swarm")
            #expect(router?.service == "sprocket-prod-web")
            #expect(try await client.router(named: "nope@swarm") == nil)
            #expect(emulator.requests.last?.path == "/api/http/routers/nope%40swarm")
            #expect(try await client.service(named: "sprocket-prod-api@swarm")?.serverURLs == ["http://10.0.1.9:8080"])
        }
    }

    @Test("credentials in the URL become basic auth and never show in descriptions or errors")
    func credentials() async throws {
        try await withEmulator(SprocketRoutes.table()) { emulator, _ in
            emulator.requireAuthorization("Basic " + Data("ops:s3cret-pw".utf8).base64EncodedString())
            let withCredentials = try TraefikAPIClient(
                baseURL: emulator.baseURL.replacingOccurrences(of: "http://", with: "http://ops:s3cret-pw@") + "/")
            #expect(try await withCredentials.version().majorVersion == 3)
            #expect(withCredentials.baseURL == emulator.baseURL)
            #expect(!"\(withCredentials)".contains("s3cret"))
            #expect("\(withCredentials)".contains("basic(ops, password: <redacted>)"))

            let without = try TraefikAPIClient(baseURL: emulator.baseURL)
            let error = await #expect(throws: TraefikAPIError.self) { try await without.routers() }
            #expect(error == .http(
                endpoint: emulator.baseURL + "/api/http/routers?page=1&per_page=100", status: 401,
                message: "401 Unauthorized"))
            #expect(error?.description.contains("forward-auth") == true)
        }
    }

    @Test("extra headers and bearer tokens are sent; the token is redacted")
    func headers() async throws {
        try await withEmulator(SprocketRoutes.table()) { emulator, _ in
            let client = try TraefikAPIClient(
                baseURL: emulator.baseURL, authentication: .bearer(token: "tok-123"),
                extraHeaders: [.init(name: "X-Forwarded-User", value: "ops")])
            _ = try await client.version()
            let request = try #require(emulator.requests.last)
            #expect(request.header("Authorization") == "Bearer tok-123")
            #expect(request.header("X-Forwarded-User") == "ops")
            #expect(!"\(client)".contains("tok-123"))
        }
    }

    @Test("a port nobody listens on is unreachable, naming the endpoint")
    func unreachable() async throws {
        let server = try await StubHTTPServer.start(on: .tcp()) { _ in .text("") }
        let base = try #require(server.baseURL)
        try await server.shutdown()
        // AsyncHTTPClient retries a refused connection until the deadline, then says why; on a loaded machine the
        // deadline itself may be what is reported. Either way the error names the URL.
        let client = try TraefikAPIClient(baseURL: base, requestTimeout: .seconds(2))
        let error = await #expect(throws: TraefikAPIError.self) { try await client.version() }
        switch error {
        case .unreachable(let endpoint, let reason)?:
            #expect(endpoint == base + "/api/version")
            #expect(reason.contains("refused"))
        case .timeout(let endpoint, _)?:
            #expect(endpoint == base + "/api/version")
        default:
            Issue.record("expected unreachable (or a timeout under load), got \(String(describing: error))")
        }
    }

    @Test("JSON of the wrong shape names the field that does not fit")
    func undecodable() async throws {
        try await StubHTTPServer.withServer(on: .tcp()) { _ in
            .json(#"[{"name":"a@swarm","entryPoints":"web"}]"#, headers: [("X-Next-Page", "1")])
        } body: { server in
            let client = try TraefikAPIClient(baseURL: try #require(server.baseURL))
            let error = await #expect(throws: TraefikAPIError.self) { try await client.routers() }
            guard case .undecodable(let endpoint, let field, _)? = error else {
                Issue.record("expected undecodable, got \(String(describing: error))")
                return
            }
            #expect(field == "[0].entryPoints")
            #expect(endpoint.hasSuffix("/api/http/routers?page=1&per_page=100"))
        }
    }

    @Test("Traefik's error message is kept; other bodies are cut to an excerpt")
    func httpErrors() async throws {
        try await StubHTTPServer.withServer(on: .tcp()) { request in
            request.path == "/api/overview"
                ? .text(#"{"message":"something broke"}"# + "\n", status: 500)
                : .text(String(repeating: "x", count: 2_000), status: 502)
        } body: { server in
            let client = try TraefikAPIClient(baseURL: try #require(server.baseURL))
            let overview = await #expect(throws: TraefikAPIError.self) { try await client.overview() }
            #expect(overview?.httpStatus == 500)
            #expect(overview?.description.contains("something broke") == true)
            let version = await #expect(throws: TraefikAPIError.self) { try await client.version() }
            guard case .http(_, 502, let message)? = version else {
                Issue.record("expected HTTP 502, got \(String(describing: version))")
                return
            }
            #expect(message.count == TraefikAPIClient.maxExcerptCharacters + 1)
        }
    }

    @Test("a slow answer times out, naming the endpoint and the limit")
    func timeout() async throws {
        try await StubHTTPServer.withServer(on: .tcp()) { _ in
            StubHTTPServer.Response.json("{}").delayed(by: .seconds(5))
        } body: { server in
            let base = try #require(server.baseURL)
            let client = try TraefikAPIClient(baseURL: base, requestTimeout: .milliseconds(300))
            let error = await #expect(throws: TraefikAPIError.self) { try await client.version() }
            #expect(error == .timeout(endpoint: base + "/api/version", after: .milliseconds(300)))
        }
    }

    @Test("a terminating Traefik's ping (503) throws")
    func terminatingPing() async throws {
        try await withEmulator(SprocketRoutes.table()) { emulator, client in
            emulator.setTerminating(true)
            let error = await #expect(throws: TraefikAPIError.self) { try await client.ping() }
            #expect(error?.httpStatus == 503)
        }
    }

    @Test("a server that always announces another page is stopped at the page limit")
    func endlessPaging() async throws {
        try await StubHTTPServer.withServer(on: .tcp()) { request in
            .json("[]", headers: [("X-Next-Page", String((Int(request.query["page"] ?? "1") ?? 1) + 1))])
        } body: { server in
            let base = try #require(server.baseURL)
            let client = try TraefikAPIClient(baseURL: base)
            let error = await #expect(throws: TraefikAPIError.self) { try await client.middlewares() }
            #expect(error == .tooManyPages(endpoint: base + "/api/http/middlewares", limit: TraefikAPIClient.maxPages))
        }
    }

    @Test("unusable base URLs are refused with the reason, credentials redacted", arguments: [
        ("ftp://127.0.0.1:8080", "the scheme must be http or https, not ftp"),
        ("127.0.0.1:8080", "not a URL"),
        ("http://", "no host"),
        ("http://u:pw@host:8080/?x=1", "a base URL takes no query or fragment"),
    ])
    func invalidBaseURLs(text: String, reason: String) throws {
        #expect(throws: TraefikAPIError.invalidBaseURL(TraefikAPIClient.redacted(text), reason: reason)) {
            try TraefikAPIClient(baseURL: text)
        }
        #expect(!TraefikAPIClient.redacted(text).contains("pw"))
    }
}
