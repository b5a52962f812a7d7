import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// `up`'s route gate, plain `verify` and `verify routes` against the real Traefik a stack runs on the test swarm
/// (the image `SPROCKET_TEST_TRAEFIK_IMAGE`, the generated static configuration, the Docker socket bind-mounted
/// read-only): the API is read by a job on Traefik's network, never through a published API port.
@Suite("Route gate and verify against the real Traefik the stack runs", .tags(.integration))
struct TraefikRouteGateTests {
    static func stackYAML(httpPort: Int, httpsPort: Int) -> String {
        """
        stack: {{stack}}
        settings:
          probe_image: sprocket-local/busybox:latest
          traefik_image: \(ProcessInfo.processInfo.environment["SPROCKET_TEST_TRAEFIK_IMAGE"] ?? "sprocket-local/traefik:3.7.15")
          http_port: \(httpPort)
          https_port: \(httpsPort)
        environments:
          test:
            access: [localhost]
        routing:
          traefik: v3
          network: ingress
          socket_proxy: unix:///var/run/docker.sock
        layers: [edge, app]

        """
    }

    static let edge = """
        networks:
          ingress: {driver: overlay, attachable: true}
        configs:
          traefik-static: {generated: traefik-static}
        services:
          traefik:
            image: ${traefik_image}
            networks: [ingress]
            ports:
              - {target: 80, published: "${http_port}", mode: host}
              - {target: 443, published: "${https_port}", mode: host}
            volumes:
              - {type: bind, source: /var/run/docker.sock, target: /var/run/docker.sock, read_only: true}
            configs:
              - {source: traefik-static, target: /etc/traefik/traefik.yml}
            stop_grace_period: 1s
            deploy:
              endpoint_mode: dnsrr
              update_config: {order: stop-first}

        """

    /// busybox httpd on 8080 (`sprocket-local/web:1`) with one route.
    static func webService(_ name: String, route: String) -> String {
        """
          \(name):
            image: sprocket-local/web:1
            networks: [ingress]
            stop_grace_period: 1s
            routes:
              - \(route)
            deploy: {endpoint_mode: dnsrr}

        """
    }

    static let web = webService("web", route: "{port: 8080}")

    /// A route whose port nothing listens on: Traefik lists the router enabled, but a request through it gets 502.
    static let wrongPort = webService("wrongport", route: "{subdomain: wrong, port: 9090}")

    /// A service whose hand-written router sends to a service that does not exist (Traefik lists it disabled with
    /// its error), and one whose hand-written router has no port to send to (Traefik drops it and says so in its log).
    static var broken: String {
        wrongPort + handWritten("orphan", router: ["rule: \"Host(`orphan.localhost`)\"", "entrypoints: web", "service: nowhere@file"],
                    port: "traefik.http.services.{{stack}}-orphan.loadbalancer.server.port: \"8080\"")
            + handWritten("portless", router: ["rule: \"Host(`portless.localhost`)\"", "entrypoints: web"])
    }

    /// A busybox service that only sleeps, with hand-written labels for one router named `<stack>-<name>`.
    static func handWritten(_ name: String, router options: [String], port: String? = nil) -> String {
        let labels = (options.map { "traefik.http.routers.{{stack}}-\(name).\($0)" } + (port.map { [$0] } ?? []))
            .map { "        " + $0 }.joined(separator: "\n")
        return """
              \(name):
                image: sprocket-local/busybox:latest
                command: ["sleep", "100000"]
                networks: [ingress]
                stop_grace_period: 1s
                deploy:
                  endpoint_mode: dnsrr
                  labels:
                    traefik.enable: "true"
                    traefik.swarm.network: "{{stack}}-test_ingress"
            \(labels)

            """
    }

    static func write(_ stack: SwarmTestStack, app: String) throws -> (http: Int, https: Int) {
        let ports = (try FreePort.loopbackTCP(), try FreePort.loopbackTCP())
        try stack.write("stack.yaml", stackYAML(httpPort: ports.0, httpsPort: ports.1))
        try stack.write("edge.yaml", edge)
        try stack.write("app.yaml", "needs: [edge]\nservices:\n" + app)
        return ports
    }

    @Test("up passes the route gate, plain verify checks the routes, verify routes reads the API from Traefik's network, and the route answers (real Traefik)")
    func healthyStack() async throws {
        try await SwarmTestStack.with(prefix: "tgate") { stack in
            let ports = try Self.write(stack, app: Self.web)
            let up = try await stack.sprocketctl(["up", "--yes", "--env", "test"])
            #expect(up.status == 0, "\(up.stderr)")
            #expect(up.stderr.contains("checking routes in Traefik's API"), "\(up.stderr)")
            // The apex route of environment `test` on the localhost profile.
            let answer = TraefikSwarm.request(address: "127.0.0.1", port: ports.http, host: "test.localhost")
            #expect(answer?.status == 200 && answer?.body.contains("sprocket-local/web version") == true, "\(String(describing: answer))")
            let verify = try await stack.sprocketctl(["verify", "--env", "test"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("route \(stack.stackName)-test-web-1-localhost@swarm"), "\(verify.stdout)")
            let routes = try await stack.sprocketctl(["verify", "routes", "--env", "test"])
            #expect(routes.status == 0, "\(routes.stdout)\(routes.stderr)")
            #expect(routes.stdout.contains("ok    ") || routes.stdout.contains(" ok "), "\(routes.stdout)")

            // Only the first layer changes: its gate sees the app layer's routers of the last run, which are the spec's
            // (judged after their own layer), not orphans.
            try stack.write("edge.yaml", Self.edge + """
                  sidecar:
                    image: sprocket-local/busybox:latest
                    command: ["sleep", "100000"]
                    networks: [ingress]
                    stop_grace_period: 1s
                    deploy: {endpoint_mode: dnsrr}

                """)
            let edgeOnly = try await stack.sprocketctl(["up", "--yes", "--env", "test"])
            #expect(edgeOnly.status == 0 && edgeOnly.stderr.contains("checking routes in Traefik's API"), "\(edgeOnly.stderr)")

            // A stray service redefining the router with another rule makes Traefik drop it: verify quotes the log line.
            var labels = TraefikLabelReaderFixture.stray(router: "\(stack.stackName)-test-web-1-localhost")
            labels[OwnershipLabel.stack] = stack.stackName
            labels[OwnershipLabel.environment] = "test"
            labels["traefik.swarm.network"] = "\(stack.stackName)-test_ingress"
            _ = try await stack.client.createService(ServiceSpec(
                name: "\(stack.stackName)-test_stray", labels: labels,
                taskTemplate: TaskSpec(
                    containerSpec: ContainerSpec(image: "sprocket-local/web:1"),
                    networks: [TaskSpec.NetworkAttachment(target: "\(stack.stackName)-test_ingress")]),
                mode: ServiceSpec.Mode(replicated: .init(replicas: 1)), endpointSpec: ServiceSpec.EndpointSpec(mode: "dnsrr")))
            // Traefik reads Swarm every 15 s: wait until the router vanished (the route stops answering).
            let deadline = ContinuousClock.now + .seconds(60)
            while TraefikSwarm.request(address: "127.0.0.1", port: ports.http, host: "test.localhost")?.status == 200, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
            }
            let dropped = try await stack.sprocketctl(["verify", "routes", "--env", "test", "--budget", "10s"])
            #expect(dropped.status == 1, "\(dropped.stdout)\(dropped.stderr)")
            #expect(dropped.stdout.contains("defined multiple times with different configurations"), "\(dropped.stdout)")
            #expect(dropped.stdout.contains("app.yaml:"), "the route's file:line: \(dropped.stdout)")
            #expect(dropped.stdout.contains("hint: two services define this router name"), "\(dropped.stdout)")

            // A rule edited by hand on the running service (drift the spec does not hold): Traefik lists the router
            // disabled with its parse error, and verify quotes it with the route's file:line and what to do.
            let strays = try await stack.services(environment: "test").filter { $0.spec?.name?.hasSuffix("_stray") == true }
            for stray in strays { try await stack.client.removeService(stray.id) }
            let tlsRouter = "\(stack.stackName)-test-web-1-localhost-tls"
            let webService = try #require(try await stack.services(environment: "test").first { $0.spec?.name?.hasSuffix("_web") == true })
            var edited = try #require(webService.spec)
            edited.labels?["traefik.http.routers.\(tlsRouter).rule"] = "Host(`test.localhost`) &&"
            try await stack.client.updateService(webService.id, version: try #require(webService.version?.index), spec: edited)
            var rejected = try await stack.sprocketctl(["verify", "routes", "--env", "test", "--budget", "5s"])
            let until = ContinuousClock.now + .seconds(60)
            while !rejected.stdout.contains("error while parsing rule"), ContinuousClock.now < until {
                try await Task.sleep(for: .seconds(3))
                rejected = try await stack.sprocketctl(["verify", "routes", "--env", "test", "--budget", "5s"])
            }
            #expect(rejected.status == 1, "\(rejected.stdout)\(rejected.stderr)")
            #expect(rejected.stdout.contains("router \(tlsRouter)@swarm (service `web`, "), "\(rejected.stdout)")
            #expect(rejected.stdout.contains("Traefik reports: error while parsing rule Host(`test.localhost`) &&"), "\(rejected.stdout)")
            #expect(rejected.stdout.contains("hint: Traefik rejected the router"), "\(rejected.stdout)")
            // Plain verify no longer says "all checks passed" while a router is rejected.
            let plain = try await stack.sprocketctl(["verify", "--env", "test"])
            #expect(plain.status == 1, "\(plain.stdout)")
            #expect(plain.stdout.contains("route \(tlsRouter)@swarm") && plain.stdout.contains("FAIL"), "\(plain.stdout)")
        }
    }

    @Test("up fails and rolls back when Traefik rejects a router (its API error), drops one (its log line) or a route does not answer its probe, naming router, file:line and what to do (real Traefik)")
    func rejectedRouters() async throws {
        try await SwarmTestStack.with(prefix: "tbad") { stack in
            _ = try Self.write(stack, app: Self.web + Self.broken)
            let up = try await stack.sprocketctl(["up", "--yes", "--env", "test"])
            let text = up.stdout + up.stderr
            #expect(up.status != 0, "\(text)")
            #expect(text.contains("router \(stack.stackName)-orphan@swarm"), "\(text)")
            #expect(text.contains("the service \\\"nowhere@file\\\" does not exist") || text.contains("the service \"nowhere@file\" does not exist"), "\(text)")
            #expect(text.contains("router \(stack.stackName)-portless@swarm"), "\(text)")
            #expect(text.contains("port is missing"), "Traefik's log line for the dropped router: \(text)")
            #expect(text.contains("router \(stack.stackName)-test-wrongport-1-localhost@swarm (service `wrongport`"), "\(text)")
            #expect(text.contains("a request through Traefik answered HTTP 502"), "the probe through the web entry point: \(text)")
            #expect(text.contains("app.yaml:"), "\(text)")
            #expect(text.contains("hint: Traefik rejected the router"), "\(text)")
            #expect(text.lowercased().contains("roll"), "the run rolled back: \(text)")
            let services = try await stack.services(environment: "test")
            #expect(!services.contains { $0.spec?.name?.hasSuffix("_orphan") == true }, "the failed layer was rolled back")
        }
    }
}

/// Labels of a stray service that redefines a router with another rule.
enum TraefikLabelReaderFixture {
    static func stray(router: String) -> [String: String] {
        [
            "traefik.enable": "true",
            "traefik.http.routers.\(router).rule": "Host(`stray.localhost`)",
            "traefik.http.routers.\(router).entrypoints": "web",
            "traefik.http.services.\(router)-stray.loadbalancer.server.port": "8080",
            "traefik.http.routers.\(router).service": "\(router)-stray",
        ]
    }
}
