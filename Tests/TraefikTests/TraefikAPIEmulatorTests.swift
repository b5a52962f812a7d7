import Foundation
import SprocketTestSupport
import Testing
@testable import Traefik

/// The emulator's own JSON, compared with what Traefik documents (docs/wire-formats.md §3.6 and the §5 checklist).
@Suite("Traefik API emulator is faithful to the documented API")
struct TraefikAPIEmulatorTests {
    /// The runtime configuration behind Traefik's `routers.json` test data.
    static let documentedTable = TraefikAPIEmulator.Table(
        routers: [
            .init(name: "bar@myprovider", rule: "Host(`foo.bar`)", service: "foo-service@myprovider",
                  entryPoints: ["web"], middlewares: ["auth", "addPrefixTest@anotherprovider"]),
            .init(name: "test@myprovider", rule: "Host(`foo.bar.other`)", service: "foo-service@myprovider",
                  entryPoints: ["web"], middlewares: ["addPrefixTest", "auth"]),
        ],
        services: [.init(name: "foo-service@myprovider", servers: ["http://127.0.0.1"])],
        middlewares: [
            .init(name: "auth@myprovider", type: "basicAuth"),
            .init(name: "addPrefixTest@myprovider", type: "addPrefix", configuration: #"{"prefix":"/titi"}"#),
            .init(name: "addPrefixTest@anotherprovider", type: "addPrefix", configuration: #"{"prefix":"/toto"}"#),
        ],
        internalServices: [])

    private func documented(_ text: String, editing edit: (inout [String: Any]) -> Void) throws -> NSObject? {
        var objects = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        for index in objects.indices { edit(&objects[index]) }
        return objects as NSArray
    }

    @Test("v2.11: the router list equals Traefik's routers.json, which v2.11 serves without priorityStr")
    func routersV2() async throws {
        let reply = try await withEmulator(Self.documentedTable, flavor: .v2_11) { emulator, _ in
            try await fetch(emulator.baseURL + "/api/http/routers")
        }
        let expected = try documented(DocumentedTraefikJSON.routers) { $0["priorityStr"] = nil }
        #expect(reply.json == expected, "\(reply.body)")
    }

    @Test("v3.6 live: routers.json plus what a live v3 adds: priority = rule length, priorityStr, observability")
    func routersV3() async throws {
        let reply = try await withEmulator(Self.documentedTable, flavor: .v3(6)) { emulator, _ in
            try await fetch(emulator.baseURL + "/api/http/routers")
        }
        let expected = try documented(DocumentedTraefikJSON.routers) { router in
            let length = (router["rule"] as? String)?.utf8.count ?? 0
            router["priority"] = length
            router["priorityStr"] = String(length)
            router["observability"] = ["accessLogs": true, "metrics": true, "tracing": true, "traceVerbosity": "minimal"]
        }
        #expect(reply.json == expected, "\(reply.body)")
    }

    @Test("a router with TLS and no options shows options default, as router-baz-default-tls-options.json")
    func routerWithTLS() async throws {
        var table = Self.documentedTable
        table.routers.append(.init(
            name: "baz@myprovider", rule: "Host(`foo.baz`)", service: "foo-service@myprovider", entryPoints: ["web"],
            middlewares: ["auth", "addPrefixTest@anotherprovider"], tls: TraefikAPIEmulator.TLS()))
        let reply = try await withEmulator(table, flavor: .v2_11) { emulator, _ in
            try await fetch(emulator.baseURL + "/api/http/routers/baz@myprovider")
        }
        var expected = try #require(
            try JSONSerialization.jsonObject(with: Data(DocumentedTraefikJSON.routerWithTLS.utf8)) as? [String: Any])
        expected["priorityStr"] = nil
        #expect(reply.json == expected as NSDictionary, "\(reply.body)")
    }

    @Test("a service equals the documented services.json element, usedBy derived from the routers")
    func service() async throws {
        let table = TraefikAPIEmulator.Table(
            routers: [
                .init(name: "foo@myprovider", rule: "Host(`foo`)", service: "bar", entryPoints: ["web"]),
                .init(name: "test@myprovider", rule: "Host(`test`)", service: "bar@myprovider", entryPoints: ["web"]),
            ],
            services: [.init(name: "bar@myprovider", servers: ["http://127.0.0.1"], serverStatus: ["http://127.0.0.1": "UP"])],
            internalServices: [])
        let reply = try await withEmulator(table) { emulator, _ in
            try await fetch(emulator.baseURL + "/api/http/services/bar%40myprovider")
        }
        #expect(reply.json == (try parsedJSON(DocumentedTraefikJSON.service)), "\(reply.body)")
    }

    @Test("overview counts: warnings are status warning, errors are disabled, as in overview-dynamic.json")
    func overview() async throws {
        let table = TraefikAPIEmulator.Table(
            routers: [
                .init(name: "ok@p", rule: "Host(`a`)", service: "s1", entryPoints: ["web"]),
                .init(name: "warn@p", rule: "Host(`b`)", service: "s1", entryPoints: ["web", "nope"]),
                .init(name: "broken@p", rule: "Host(`c`)", service: "gone", entryPoints: ["web"]),
            ],
            services: [
                .init(name: "s1@p", servers: ["http://10.0.0.1"]),
                .init(name: "s2@p", servers: ["http://10.0.0.2"], status: "warning"),
                .init(name: "s3@p", servers: [], errors: ["bad"]),
            ],
            middlewares: [
                .init(name: "m1@p", type: "headers"), .init(name: "m2@p", type: "headers"),
                .init(name: "m3@p", type: "headers", errors: ["bad"]),
            ],
            internalServices: [])
        let (reply, routers) = try await withEmulator(table) { emulator, client in
            (try await fetch(emulator.baseURL + "/api/overview"), try await client.routers())
        }
        let documented = try #require(try parsedJSON(DocumentedTraefikJSON.overview) as? NSDictionary)
        let served = try #require(reply.json as? NSDictionary)
        #expect(served["http"] as? NSDictionary == documented["http"] as? NSDictionary, "\(reply.body)")
        #expect(served["udp"] as? NSDictionary == documented["udp"] as? NSDictionary)
        #expect(served["features"] as? NSDictionary == documented["features"] as? NSDictionary)
        #expect(served["providers"] as? [String] == ["Swarm"])
        #expect(routers.first { $0.name == "warn@p" }?.errors == ["entryPoint \"nope\" doesn't exist"])
        #expect(routers.first { $0.name == "broken@p" }?.errors == ["the service \"gone@p\" does not exist"])
    }

    @Test("bodies are Go's: compact, && as \\u0026\\u0026, a trailing newline, X-Next-Page 1 on the last page")
    func goEncoding() async throws {
        let reply = try await withEmulator(SprocketRoutes.table()) { emulator, _ in
            try await fetch(emulator.baseURL + "/api/http/routers/sprocket-prod-api@swarm")
        }
        #expect(reply.body.contains(#""rule":"Host(`api.sprocket.gg`) \u0026\u0026 PathPrefix(`/v1`)""#))
        #expect(reply.body.hasSuffix("}\n"))
        #expect(!reply.body.dropLast().contains("\n"))
        #expect(reply.header("Content-Type") == "application/json")
        let list = try await withEmulator(SprocketRoutes.table()) { emulator, _ in
            try await fetch(emulator.baseURL + "/api/http/routers")
        }
        #expect(list.header("X-Next-Page") == "1")
    }

    @Test("paging as Traefik pages: sorted by name, X-Next-Page, and 400 for pages past the end or bad values",
          arguments: [
            ("?per_page=2", 200, "2", #"["a@p","b@p"]"#),
            ("?page=2&per_page=2", 200, "3", #"["c@p","d@p"]"#),
            ("?page=3&per_page=2", 200, "1", #"["e@p"]"#),
            ("?page=4&per_page=2", 400, nil, #"{"message":"invalid request: page: 4, per_page: 2"}"#),
            ("?per_page=0", 400, nil, #"{"message":"invalid request: per_page: 0"}"#),
            ("?page=abc", 400, nil, #"{"message":"invalid request: page: 0"}"#),
          ] as [(String, Int, String?, String)])
    func paging(query: String, status: Int, next: String?, expected: String) async throws {
        let table = TraefikAPIEmulator.Table(
            routers: ["e", "c", "a", "d", "b"].map {
                .init(name: "\($0)@p", rule: "Host(`\($0)`)", service: "s", entryPoints: ["web"])
            },
            services: [.init(name: "s@p", servers: ["http://10.0.0.1"])])
        let reply = try await withEmulator(table) { emulator, _ in
            try await fetch(emulator.baseURL + "/api/http/routers" + query)
        }
        #expect(reply.status == status)
        #expect(reply.header("X-Next-Page") == next)
        if status == 200 {
            let names = (reply.json as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == (try parsedJSON(expected) as? [String]))
        } else {
            #expect(reply.body == expected + "\n")
            #expect(reply.header("Content-Type") == "text/plain; charset=utf-8")
        }
    }

    @Test("an empty list is [] with X-Next-Page 1")
    func emptyList() async throws {
        let reply = try await withEmulator(TraefikAPIEmulator.Table()) { emulator, _ in
            try await fetch(emulator.baseURL + "/api/http/routers")
        }
        #expect(reply.body == "[]\n")
        #expect(reply.header("X-Next-Page") == "1")
    }

    @Test("unknown names get Traefik's writeError body; unknown paths Go's 404 page")
    func notFound() async throws {
        try await withEmulator(SprocketRoutes.table()) { emulator, _ in
            let router = try await fetch(emulator.baseURL + "/api/http/routers/nope%40swarm")
            #expect(router.status == 404)
            #expect(router.body == "{\"message\":\"router not found: nope@swarm\"}\n")
            #expect(router.header("Content-Type") == "text/plain; charset=utf-8")
            let service = try await fetch(emulator.baseURL + "/api/http/services/nope@swarm")
            #expect(service.body == "{\"message\":\"service not found: nope@swarm\"}\n")
            let other = try await fetch(emulator.baseURL + "/api/nothing")
            #expect(other.status == 404)
            #expect(other.body == "404 page not found\n")
        }
    }

    @Test("ping answers OK as text, 503 while terminating; version has capitalised keys")
    func pingAndVersion() async throws {
        try await withEmulator(SprocketRoutes.table(), flavor: .v2_11) { emulator, _ in
            let ping = try await fetch(emulator.baseURL + "/ping")
            #expect(ping.status == 200)
            #expect(ping.body == "OK")
            #expect(ping.header("Content-Type")?.hasPrefix("text/plain") == true)
            emulator.setTerminating(true)
            let terminating = try await fetch(emulator.baseURL + "/ping")
            #expect(terminating.status == 503)
            #expect(terminating.body == "Service Unavailable")
            let version = try #require(try await fetch(emulator.baseURL + "/api/version").json as? [String: Any])
            #expect(version["Version"] as? String == "2.11.0")
            #expect(version["Codename"] is String)
            #expect(version["startDate"] is String)
        }
    }

    @Test("identical definitions merge; services of one name concatenate their servers")
    func merging() async throws {
        var table = SprocketRoutes.table()
        table.routers.append(table.routers[0])
        table.services.append(.init(name: "sprocket-prod-api@swarm", servers: ["http://10.0.1.10:8080"]))
        let (routers, services, log) = try await withEmulator(table) { emulator, client in
            (try await client.routers(), try await client.services(), emulator.log)
        }
        #expect(routers.filter { $0.name == "sprocket-prod-web@swarm" }.count == 1)
        #expect(services.first { $0.name == "sprocket-prod-api@swarm" }?.serverURLs
            == ["http://10.0.1.9:8080", "http://10.0.1.10:8080"])
        #expect(log.isEmpty)
    }

    @Test("the conflict message per version, as docs/wire-formats.md §3.4 quotes it", arguments: [
        (TraefikAPIEmulator.Flavor.v2_11, "Router defined multiple times with different configurations in [web@swarm]"),
        (.v3(6), "Router defined multiple times with different configurations"),
        (.v3(7), "HTTP router defined multiple times with different configurations"),
    ])
    func conflictMessages(flavor: TraefikAPIEmulator.Flavor, message: String) async throws {
        let router = TraefikAPIEmulator.Router(name: "web@swarm", rule: "Host(`a`)", service: "s", entryPoints: ["web"])
        var other = router
        other.middlewares = ["x"]
        let log = try await withEmulator(TraefikAPIEmulator.Table(routers: [router, other]), flavor: flavor) { emulator, client in
            let routers = try await client.routers()
            #expect(routers.isEmpty)
            return emulator.log
        }
        #expect(log == [message])
    }
}
