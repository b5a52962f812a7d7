import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Traefik

/// The static configuration of a public-only environment, run by real Traefik: the `web` entry point redirects
/// every request to HTTPS, the ACME resolver is configured, and the Swarm provider routes over the overlay.
@Suite("Generated static configuration, public only, in real Traefik")
struct RealTraefikStaticConfigurationTests {
    static let appFile = """
        networks:
          ingress: {external: true, name: {{stack}}-test_ingress}
        services:
          site:
            image: sprocket-local/web:1
            networks: [ingress]
            routes:
              - port: 8080

        """

    @Test("public only: entry-point redirect to https on web, websecure serves the route, ACME resolver accepted (real Traefik)")
    func publicOnly() async throws {
        let fixture = try await RealTraefikFixture.start(access: "[public]", app: Self.appFile)
        do {
            let static_ = TraefikStaticConfiguration(stack: fixture.stack).render()
            #expect(static_.contains("redirections:") && static_.contains("certificatesResolvers:"), "\(static_)")
            try await fixture.deploy("site", image: TestImages.web)
            let traefik = fixture.traefik
            // The entry point redirects even a host no router claims: no route can forget HTTPS.
            // (Traefik answers on its entry points a moment before it applied its first configuration: wait for it.)
            let redirect = await traefik.waitForRoute(host: "unknown.example.test", path: "/x", timeout: .seconds(20))
            #expect(redirect?.status == 301 && redirect?.header("Location") == "https://unknown.example.test/x", "\(String(describing: redirect))")
            let deadline = ContinuousClock.now + .seconds(60)
            var secure = try await RouteProbe(timeout: .seconds(10)).probe(
                RouteProbeTarget(scheme: .https, host: "example.test", address: "127.0.0.1", port: traefik.httpsPort))
            while secure.statusCode != 200, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
                secure = try await RouteProbe(timeout: .seconds(10)).probe(
                    RouteProbeTarget(scheme: .https, host: "example.test", address: "127.0.0.1", port: traefik.httpsPort))
            }
            #expect(secure.statusCode == 200, "\(secure.summaryLine)")
            let logs = await traefik.logLines()
            #expect(!logs.contains { $0.contains("Cannot start") || $0.contains("field not found") }, "\(logs.prefix(10))")
            // The Swarm provider reads Docker without error, and the ACME resolver's TLS-ALPN challenge provider started.
            #expect(logs.contains { $0.contains("Starting provider *docker.SwarmProvider") }, "\(logs.prefix(10))")
            #expect(!logs.contains { $0.contains("Provider error") && $0.contains("providerName=swarm") }, "\(logs.filter { $0.contains(" ERR ") }.prefix(5))")
            #expect(logs.contains { $0.contains("Starting provider *acme.ChallengeTLSALPN") }, "\(logs.prefix(10))")
        } catch {
            await fixture.traefik.stop()
            throw error
        }
        await fixture.traefik.stop()
    }
}
