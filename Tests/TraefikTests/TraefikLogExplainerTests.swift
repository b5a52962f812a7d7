import Testing
@testable import Traefik

/// The log line that explains a router Traefik's API does not list, picked from lines in Traefik 3.7's own format
/// (docs/traefik.md lists them; IntegrationTests/TraefikRouteGateTests makes real Traefik write them).
@Suite("Traefik log: the line that explains a dropped router")
struct TraefikLogExplainerTests {
    static let lines = [
        #"2026-12-06T21:24:08Z INF Traefik version 3.7.15 built on 2026-10-15T14:33:48Z version=3.7.15"#,
        #"2026-12-06T21:24:20Z ERR HTTP router defined multiple times with different configurations configuration=["a-web-1","stray-x"] providerName=swarm routerName=s-test-web-1-localhost"#,
        #"2026-12-06T21:24:21Z ERR HTTP router defined multiple times with different configurations providerName=swarm routerName=s-test-web-1-localhost-tls"#,
        #"2026-12-06T21:24:22Z ERR error="service \"s-test-portless\" error: port is missing" container=s-test-portless-abc123 providerName=swarm"#,
        #"2026-12-06T21:24:23Z INF routerName=s-test-other something harmless"#,
    ]

    @Test("a duplicate router: the latest ERR line naming exactly that router, without its timestamp")
    func duplicate() {
        let line = TraefikLogExplainer(lines: Self.lines).explanation(router: "s-test-web-1-localhost@swarm", providerService: "s-test-web")
        #expect(line?.hasPrefix("ERR HTTP router defined multiple times") == true, "\(line ?? "nil")")
        #expect(line?.hasSuffix("routerName=s-test-web-1-localhost") == true, "not the -tls router: \(line ?? "nil")")
    }

    @Test("a router of a service whose port is missing: the line naming the service Traefik made from the Docker service")
    func portMissing() {
        let line = TraefikLogExplainer(lines: Self.lines).explanation(router: "s-test-portless@swarm", providerService: "s-test-portless")
        #expect(line?.contains("port is missing") == true, "\(line ?? "nil")")
    }

    @Test("nothing when no warning or error mentions the router or its service (INF lines do not count)")
    func nothing() {
        let explainer = TraefikLogExplainer(lines: Self.lines)
        #expect(explainer.explanation(router: "s-test-other@swarm", providerService: "s-test-other") == nil)
        #expect(explainer.explanation(router: "s-test-web-1@swarm", providerService: nil) == nil, "a prefix of another router's name")
    }
}
