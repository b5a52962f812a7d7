import Foundation
import Testing
@testable import Traefik

/// The client's models against the JSON Traefik documents (docs/wire-formats.md §3.6), independent of the emulator.
@Suite("Traefik documented JSON decodes into the client's models")
struct TraefikDocumentedJSONTests {
    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    @Test("the documented router list")
    func routers() throws {
        let routers = try decode([TraefikRouter].self, DocumentedTraefikJSON.routers)
        #expect(routers.count == 2)
        let bar = routers[0]
        #expect(bar.name == "bar@myprovider")
        #expect(bar.provider == "myprovider")
        #expect(bar.entryPoints == ["web"])
        #expect(bar.middlewares == ["auth", "addPrefixTest@anotherprovider"])
        #expect(bar.rule == "Host(`foo.bar`)")
        #expect(bar.service == "foo-service@myprovider")
        #expect(bar.status == .enabled)
        #expect(bar.using == ["web"])
        #expect(bar.priorityText == "0")
        #expect(bar.priority == nil)
        #expect(bar.tls == nil)
        #expect(bar.errors.isEmpty)
    }

    @Test("a router with TLS and default options")
    func routerWithTLS() throws {
        let router = try decode(TraefikRouter.self, DocumentedTraefikJSON.routerWithTLS)
        #expect(router.tls == TraefikRouter.TLS(certResolver: nil, options: "default", domains: []))
    }

    @Test("a disabled router: error list, status, escaped && in its rule")
    func disabledRouter() throws {
        // The rawdata form carries no name; the routers endpoint adds it, as here.
        let text = "{\"name\": \"other-ns-wrr3@kubernetescrd\",\n" + DocumentedTraefikJSON.disabledRouterFields + "}"
        let router = try decode(TraefikRouter.self, text)
        #expect(router.rule == "Host(`foo.com`) && PathPrefix(`/c`)")
        #expect(router.status == .disabled)
        #expect(router.errors == ["the service \"other-ns-wrr3@kubernetescrd\" does not exist"])
        #expect(router.priority == 35)
    }

    @Test("an internal router's priority above 2^53 decodes exactly")
    func internalPriority() throws {
        let text = "{\"name\": \"api@internal\",\n" + DocumentedTraefikJSON.internalRouterFields + "}"
        let router = try decode(TraefikRouter.self, text)
        #expect(router.priority == 9_223_372_036_854_775_806)
        #expect(router.ruleSyntax == "default")
        #expect(router.providerName == "internal")
    }

    @Test("the documented service")
    func service() throws {
        let service = try decode(TraefikService.self, DocumentedTraefikJSON.service)
        #expect(service.serverURLs == ["http://127.0.0.1"])
        #expect(service.loadBalancer?.passHostHeader == true)
        #expect(service.serverStatus == ["http://127.0.0.1": "UP"])
        #expect(service.usedBy == ["foo@myprovider", "test@myprovider"])
        #expect(service.type == "loadbalancer")
        #expect(service.status == .enabled)
    }

    @Test("the documented overview")
    func overview() throws {
        let overview = try decode(TraefikOverview.self, DocumentedTraefikJSON.overview)
        #expect(overview.http.routers == TraefikOverview.Counts(total: 3, warnings: 1, errors: 1))
        #expect(overview.http.middlewares == TraefikOverview.Counts(total: 3, warnings: 0, errors: 1))
        #expect(overview.udp?.middlewares == nil)
        #expect(overview.features?.accessLog == false)
        #expect(overview.providers.isEmpty)
    }

    @Test("the version object with its capitalised keys")
    func version() throws {
        let version = try decode(
            TraefikVersion.self, #"{"Version":"2.11.10","Codename":"mimolette","startDate":"2026-11-29T02:00:00Z"}"#)
        #expect(version.version == "2.11.10")
        #expect(version.majorVersion == 2)
        #expect(version.codename == "mimolette")
    }
}
