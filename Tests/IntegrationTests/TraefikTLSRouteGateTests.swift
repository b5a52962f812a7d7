import Foundation
import LetsEncrypt
import SprocketCore
import SprocketTestSupport
import Testing

/// HTTPS routes checked from inside the swarm: `up`'s route gate and `verify routes` request each `websecure` router
/// through the real Traefik the stack runs, with the router's host as SNI, from a job of sprocketctl on Traefik's
/// network, and judge the certificate served. Traefik's ACME resolver orders from a real pebble on the same network
/// (`routing.acme.staging_directory` / `production_directory` point at it); pebble validates for real (TLS-ALPN-01).
@Suite("HTTPS routes probed from inside the swarm against real Traefik and pebble", .tags(.integration))
struct TraefikTLSRouteGateTests {
    static func stackYAML(httpPort: Int, httpsPort: Int, staging: String, production: String) -> String {
        """
        stack: {{stack}}
        settings:
          probe_image: sprocket-local/busybox:latest
          traefik_image: \(ProcessInfo.processInfo.environment["SPROCKET_TEST_TRAEFIK_IMAGE"] ?? "sprocket-local/traefik:3.7.15")
          http_port: \(httpPort)
          https_port: \(httpsPort)
        environments:
          test:
            access: [public]
        routing:
          traefik: v3
          domain: example.test
          network: ingress
          socket_proxy: unix:///var/run/docker.sock
          acme:
            resolver: letsencrypt
            email: ops@example.test
            challenge: tls-alpn
            storage: /tmp/acme.json
            staging_directory: \(staging)
            production_directory: \(production)
        layers: [edge, app]

        """
    }

    /// The route gate tests' edge layer, with Traefik trusting pebble's own HTTPS certificate (lego's
    /// `LEGO_CA_CERTIFICATES`), mounted from the spec folder.
    static let edge = TraefikRouteGateTests.edge
        .replacingOccurrences(of: "  traefik-static: {generated: traefik-static}\n", with: "  traefik-static: {generated: traefik-static}\n  pebble-https: {file: pebble-https.pem}\n")
        .replacingOccurrences(of: "    networks: [ingress]\n    ports:", with: "    networks: [ingress]\n    environment:\n      LEGO_CA_CERTIFICATES: /etc/sprocket-test/pebble-https.pem\n    ports:")
        .replacingOccurrences(
            of: "      - {source: traefik-static, target: /etc/traefik/traefik.yml}\n",
            with: "      - {source: traefik-static, target: /etc/traefik/traefik.yml}\n      - {source: pebble-https, target: /etc/sprocket-test/pebble-https.pem}\n")

    /// busybox httpd on 8080 with one public route on `<subdomain>.test.example.test`.
    static func web(_ name: String) -> String {
        """
          \(name):
            image: sprocket-local/web:1
            networks: [ingress]
            stop_grace_period: 1s
            routes:
              - {subdomain: \(name), port: 8080}
            deploy: {endpoint_mode: dnsrr}

        """
    }

    static func host(_ name: String) -> String { "\(name).test.example.test" }

    /// The stack's files, Traefik deployed alone (`up --layer edge`), then pebble on its network answering every A
    /// query with Traefik's task. Runs `body` with pebble and the CA bundle (pebble's root) and stops pebble after.
    static func withPebble(
        _ stack: SwarmTestStack, staging: String = PebbleSwarm.directoryURL, production: String = PebbleSwarm.directoryURL,
        certificateNames: [String] = ["pebble", "localhost"], _ body: (PebbleSwarm, String, PebbleCertificate) async throws -> Void
    ) async throws {
        try await PebbleSwarm.requireImage()
        let certificate = try await PebbleCertificate.make(names: certificateNames)
        try stack.write("stack.yaml", stackYAML(
            httpPort: try FreePort.loopbackTCP(), httpsPort: try FreePort.loopbackTCP(), staging: staging, production: production))
        try stack.write("edge.yaml", edge)
        try stack.write("pebble-https.pem", certificate.certificatePEM)
        try stack.write("app.yaml", "needs: [edge]\nservices:\n" + web("issued"))
        let edgeOnly = try await stack.sprocketctl(["up", "--yes", "--env", "test", "--layer", "edge"])
        try #require(edgeOnly.status == 0, "\(edgeOnly.stdout)\(edgeOnly.stderr)")
        let pebble = try await PebbleSwarm.start(network: "\(stack.stackName)-test_ingress", prefix: stack.stackName, certificate: certificate)
        do {
            let roots = try await pebble.issuingCertificates()
            try stack.write("pebble-root.pem", roots.rootPEM)
            try await body(pebble, "\(stack.folder.path)/pebble-root.pem", certificate)
        } catch {
            await pebble.stop()
            throw error
        }
        await pebble.stop()
    }

    /// The issuance ledger of the test's stack environment (under its state directory).
    static func ledger(_ stack: SwarmTestStack) throws -> CertificateLedger {
        let found = FileManager.default.enumerator(atPath: stack.stateFolder.path)?.compactMap { $0 as? String }
            .first { $0.hasSuffix("acme-ledger.json") }
        let path = try #require(found, "no acme-ledger.json under \(stack.stateFolder.path)")
        return try CertificateLedger(path: "\(stack.stateFolder.path)/\(path)")
    }

    @Test("up's route gate and verify routes request an https route through websecure from inside the swarm: pebble's certificate passes and is recorded; a route whose order pebble refuses fails on Traefik's default certificate, quoting Traefik's ACME error and what to do, and the failure reaches the ledger (real Traefik) (pebble)")
    func httpsRoutesFromInside() async throws {
        try await SwarmTestStack.with(prefix: "ttls") { stack in
            try await Self.withPebble(stack) { pebble, caBundle, _ in
                let up = try await stack.sprocketctl(["up", "--yes", "--env", "test", "--ca-bundle", caBundle])
                #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
                #expect(up.stderr.contains("recorded the certificates served for \(Self.host("issued"))"), "\(up.stderr)")
                let issued = try Self.ledger(stack).lastIssuance(of: Self.host("issued"), in: .staging)
                #expect(issued != nil, "pebble's certificate, served by the staging resolver, is recorded under staging")

                let routes = try await stack.sprocketctl(["verify", "routes", "--env", "test", "--ca-bundle", caBundle])
                #expect(routes.status == 0, "\(routes.stdout)\(routes.stderr)")
                #expect(routes.stdout.contains("https://\(Self.host("issued"))/ via traefik:443: HTTP 200"), "\(routes.stdout)")
                #expect(routes.stdout.contains("by CN=Pebble Intermediate CA"), "\(routes.stdout)")
                #expect(routes.stdout.contains("(trusted)"), "\(routes.stdout)")

                // Without pebble's root the same certificate does not verify: a resolver on the staging CA may serve an
                // untrusted one, so only --ca-bundle makes trust a requirement. Checked on the json form.
                let json = try await stack.sprocketctl(["verify", "routes", "--env", "test", "--json"])
                #expect(json.status == 0, "\(json.stdout)\(json.stderr)")
                #expect(json.stdout.contains("\"verifies\" : false") || json.stdout.contains("\"verifies\":false"), "\(json.stdout)")

                // pebble cannot validate `refused` (its name resolves where nothing answers): Traefik keeps serving its
                // default certificate, and the gate fails with Traefik's own log line instead of waiting its budget out.
                try await pebble.resolve(Self.host("refused"), to: "127.0.0.1")
                try stack.write("app.yaml", "needs: [edge]\nservices:\n" + Self.web("issued") + Self.web("refused"))
                let started = ContinuousClock.now
                let refused = try await stack.sprocketctl(["up", "--yes", "--env", "test", "--ca-bundle", caBundle])
                let text = refused.stdout + refused.stderr
                #expect(refused.status != 0, "\(text)")
                #expect(text.contains("over HTTPS through Traefik's websecure entry point: Traefik's default certificate: resolver letsencrypt-staging has not issued one"), "\(text)")
                #expect(text.contains("Traefik's log: ERR Unable to obtain ACME certificate") && text.contains("Failed to connect to 127.0.0.1:443"), "\(text)")
                #expect(text.contains("hint: the CA could not connect to \(Self.host("refused"))"), "\(text)")
                #expect(text.contains("app.yaml:"), "the route's file:line: \(text)")
                #expect(text.lowercased().contains("roll"), "the run rolled back: \(text)")
                #expect(ContinuousClock.now - started < .seconds(150), "the gate stopped at Traefik's logged failure")
                let failures = try Self.ledger(stack).failures(of: Self.host("refused"))
                #expect(!failures.isEmpty && failures.allSatisfy { $0.reason?.contains("Failed to connect to 127.0.0.1:443") == true },
                        "\(failures.map { $0.reason ?? "nil" })")
            }
        }
    }

    @Test("staging first, then production, end to end: the first up of a host without certificate history deploys the staging resolver and gets its certificate from the `staging` pebble; once that is recorded, up switches the router to the production resolver and the certificate served comes from the `production` pebble (real Traefik) (pebble)")
    func stagingThenProduction() async throws {
        try await SwarmTestStack.with(prefix: "tacme") { stack in
            let productionAlias = "pebble-prod"
            try await Self.withPebble(
                stack, production: "https://\(productionAlias):14000/dir", certificateNames: ["pebble", productionAlias, "localhost"]
            ) { staging, stagingRoot, certificate in
                let first = try await stack.sprocketctl(["up", "--yes", "--env", "test", "--ca-bundle", stagingRoot])
                #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
                #expect(first.stderr.contains("\(Self.host("issued")) never had a certificate: this run uses Let's Encrypt's staging CA first"), "\(first.stderr)")
                let stagingIssuer = try await PebbleCertificate.subject(ofPEM: try await staging.issuingCertificates().intermediatePEM)
                let onStaging = try await stack.sprocketctl(["verify", "routes", "--env", "test", "--ca-bundle", stagingRoot])
                #expect(onStaging.status == 0, "\(onStaging.stdout)\(onStaging.stderr)")
                #expect(onStaging.stdout.contains("certificate CN=\(Self.host("issued")) by \(stagingIssuer)"), "\(onStaging.stdout)")
                let verify = try await stack.sprocketctl(["verify", "--env", "test", "--ca-bundle", stagingRoot])
                #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
                #expect(try Self.ledger(stack).lastIssuance(of: Self.host("issued"), in: .staging) != nil)

                // The switch to production restarts Traefik (its static configuration changes), and the new Traefik orders
                // at once and retries only when its configuration changes again, while challtestsrv follows its new address
                // about a second later: Traefik moves first (`--layer edge`), then the full run switches the routers.
                let edge = try await stack.sprocketctl(["up", "--yes", "--env", "test", "--layer", "edge", "--skip-dns-preflight"])
                #expect(edge.status == 0, "\(edge.stdout)\(edge.stderr)")
                let production = try await PebbleSwarm.start(
                    network: "\(stack.stackName)-test_ingress", prefix: stack.stackName, certificate: certificate, alias: productionAlias)
                do {
                    let roots = try await production.issuingCertificates()
                    let productionIssuer = try await PebbleCertificate.subject(ofPEM: roots.intermediatePEM)
                    try stack.write("both-roots.pem", (try String(contentsOfFile: stagingRoot, encoding: .utf8)) + roots.rootPEM)
                    let bundle = "\(stack.folder.path)/both-roots.pem"
                    let second = try await stack.sprocketctl(["up", "--yes", "--env", "test", "--skip-dns-preflight", "--ca-bundle", bundle])
                    #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
                    #expect(!second.stderr.contains("staging CA first"), "\(second.stderr)")
                    let onProduction = try await stack.sprocketctl(["verify", "routes", "--env", "test", "--ca-bundle", bundle])
                    #expect(onProduction.status == 0, "\(onProduction.stdout)\(onProduction.stderr)")
                    #expect(onProduction.stdout.contains("certificate CN=\(Self.host("issued")) by \(productionIssuer)"), "\(onProduction.stdout)")
                    #expect(productionIssuer != stagingIssuer)
                    let labels = try await stack.services(environment: "test").first { $0.spec?.name?.hasSuffix("_issued") == true }?.spec?.labels ?? [:]
                    #expect(labels.contains { $0.key.hasSuffix(".tls.certresolver") && $0.value == "letsencrypt" }, "\(labels)")
                    #expect(try Self.ledger(stack).lastIssuance(of: Self.host("issued"), in: .production) != nil)
                } catch {
                    await production.stop()
                    throw error
                }
                await production.stop()
            }
        }
    }
}
