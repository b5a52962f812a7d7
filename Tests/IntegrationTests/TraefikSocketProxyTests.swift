import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// Real Traefik reading Swarm the way the platform runs it (stacks/sprocket/edge.yaml): through the socket proxy
/// (`SPROCKET_TEST_SOCKET_PROXY_IMAGE`, rules in images/socket-proxy/haproxy.cfg) on an internal overlay network,
/// the generated static configuration's provider endpoint `tcp://socket-proxy:2375`, no Docker socket in Traefik.
@Suite("Real Traefik reading Swarm through the socket proxy", .tags(.integration))
struct TraefikSocketProxyTests {
    static var proxyImage: String {
        get throws {
            let image = ProcessInfo.processInfo.environment["SPROCKET_TEST_SOCKET_PROXY_IMAGE"] ?? ""
            try #require(!image.isEmpty, "SPROCKET_TEST_SOCKET_PROXY_IMAGE is not set: run the tests through scripts/test, which builds sprocket-local/socket-proxy")
            return image
        }
    }

    static func edge(proxyImage: String) -> String {
        """
        networks:
          ingress: {driver: overlay, attachable: true}
          socket-proxy: {driver: overlay, internal: true}
        configs:
          traefik-static: {generated: traefik-static}
        services:
          traefik:
            image: ${traefik_image}
            networks: [ingress, socket-proxy]
            ports:
              - {target: 80, published: "${http_port}", mode: host}
              - {target: 443, published: "${https_port}", mode: host}
            configs:
              - {source: traefik-static, target: /etc/traefik/traefik.yml}
            stop_grace_period: 1s
            deploy:
              endpoint_mode: dnsrr
              update_config: {order: stop-first}
          socket-proxy:
            image: \(proxyImage)
            networks: [socket-proxy]
            environment: {SERVICES: 1, TASKS: 1, NETWORKS: 1, NODES: 1, EVENTS: 1, PING: 1, VERSION: 1}
            volumes:
              - {type: bind, source: /var/run/docker.sock, target: /var/run/docker.sock, read_only: true}
            stop_grace_period: 1s
            deploy:
              endpoint_mode: dnsrr
              placement:
                constraints: [node.role == manager]

        """
    }

    /// What the proxy answers a job on its network (busybox wget): the status line of each request, or wget's error.
    static func proxyAnswers(_ stack: SwarmTestStack, requests: [(method: String, path: String)]) async throws -> [String] {
        var script = ""
        for (index, request) in requests.enumerated() {
            let post = request.method == "POST" ? "--header 'Content-Type: application/json' --post-data '{}'" : ""
            script += "echo \"@@\(index) $(wget -S -O /dev/null \(post) http://socket-proxy:2375\(request.path) 2>&1 | grep -E 'HTTP/|error' | head -n 1)\"\n"
        }
        var job = SwarmOneShotJob(
            purpose: "socket-proxy-test", image: "sprocket-local/busybox:latest", command: ["sh", "-c", script],
            networks: ["\(stack.stackName)-test_socket-proxy"],
            labels: [OwnershipLabel.stack: stack.stackName, OwnershipLabel.environment: "test", "io.sprocket.probe": "true"], timeout: .seconds(60))
        job.environment = []
        let outcome = try await job.run(on: stack.client)
        let lines = outcome.output.map(\.text)
        return requests.indices.map { index in
            lines.first { $0.hasPrefix("@@\(index) ") }.map { String($0.dropFirst("@@\(index) ".count)) } ?? "no answer: \(lines.suffix(3))"
        }
    }

    @Test("Traefik's Swarm provider reads the services through the socket proxy (tcp://socket-proxy:2375): up's route gate passes and the route answers through Traefik, while the proxy refuses writes from a container on its network (real Traefik)")
    func throughSocketProxy() async throws {
        let proxyImage = try Self.proxyImage
        try await SwarmTestStack.with(prefix: "tproxy") { stack in
            let ports = (http: try FreePort.loopbackTCP(), https: try FreePort.loopbackTCP())
            try stack.write("stack.yaml", TraefikRouteGateTests.stackYAML(httpPort: ports.http, httpsPort: ports.https)
                .replacingOccurrences(of: "socket_proxy: unix:///var/run/docker.sock", with: "socket_proxy: socket-proxy"))
            try stack.write("edge.yaml", Self.edge(proxyImage: proxyImage))
            try stack.write("app.yaml", "needs: [edge]\nservices:\n" + TraefikRouteGateTests.web)
            let up = try await stack.sprocketctl(["up", "--yes", "--env", "test"])
            #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
            #expect(up.stderr.contains("checking routes in Traefik's API"), "\(up.stderr)")
            let answer = TraefikSwarm.request(address: "127.0.0.1", port: ports.http, host: "test.localhost")
            #expect(answer?.status == 200 && answer?.body.contains("sprocket-local/web version") == true, "\(String(describing: answer))")

            let answers = try await Self.proxyAnswers(stack, requests: [
                ("GET", "/v1.41/services"), ("POST", "/v1.41/services/create"), ("POST", "/v1.41/containers/create"),
                ("GET", "/v1.41/secrets"), ("POST", "/v1.41/services/x/update"),
            ])
            #expect(answers[0].contains(" 200"), "a read Traefik needs is allowed: \(answers[0])")
            for refused in answers.dropFirst() {
                #expect(refused.contains("403"), "\(answers)")
            }
            // A proxy refusing what Traefik needs (SERVICES closed): Traefik keeps its last configuration but sees no new
            // router, and the gate says so with Traefik's provider error and what to do.
            try stack.write("edge.yaml", Self.edge(proxyImage: proxyImage).replacingOccurrences(of: "SERVICES: 1", with: "SERVICES: 0"))
            try stack.write("app.yaml", "needs: [edge]\nservices:\n" + TraefikRouteGateTests.web
                + TraefikRouteGateTests.webService("late", route: "{subdomain: late, port: 8080}"))
            let refused = try await stack.sprocketctl(["up", "--yes", "--env", "test"])
            let text = refused.stdout + refused.stderr
            #expect(refused.status != 0, "\(text)")
            #expect(text.contains("router \(stack.stackName)-test-late-1-localhost@swarm"), "\(text)")
            #expect(text.contains("Provider error") && text.contains("providerName=swarm"), "Traefik's own line: \(text)")
            #expect(text.contains("hint: Traefik cannot read Swarm"), "\(text)")
        }
    }
}
