import Foundation
import SprocketTestSupport
import Testing

/// The socket proxy image built here (`sprocket-local/socket-proxy`, Debian's haproxy: images/socket-proxy) as the
/// Sprocket stack runs it: on an overlay network, the Docker socket bind-mounted read-only, the sections Traefik's
/// Swarm provider reads opened by environment variables. Its checks run from probe jobs on that network.
@Suite("The socket proxy image: what Traefik may read, and nothing else", .tags(.integration))
struct SocketProxyImageTests {
    @Test("opened sections answer 200; secrets, containers and every write answer 403")
    func readOnlyView() async throws {
        let image = try #require(ProcessInfo.processInfo.environment["SPROCKET_TEST_SOCKET_PROXY_IMAGE"].flatMap { $0.isEmpty ? nil : $0 },
                                 "SPROCKET_TEST_SOCKET_PROXY_IMAGE is not set: run the tests through scripts/test, which builds the image")
        try await SwarmTestStack.with(prefix: "sockproxy") { stack in
            try stack.write("stack.yaml", "stack: {{stack}}\nsettings: {probe_image: \(DockerTestImages.busybox)}\nlayers: [edge]\n")
            try stack.write("edge.yaml", """
                networks:
                  proxy: {driver: overlay}
                services:
                  socket-proxy:
                    image: \(image)
                    networks: [proxy]
                    environment: {SERVICES: 1, TASKS: 1, NETWORKS: 1, NODES: 1, VERSION: 1}
                    volumes:
                      - {type: bind, source: /var/run/docker.sock, target: /var/run/docker.sock, read_only: true}
                    deploy: {endpoint_mode: dnsrr}
                    checks:
                      - http: {port: 2375, path: /version, status: 200, body: ApiVersion}
                      - http: {port: 2375, path: /v1.41/services, status: 200}
                      - http: {port: 2375, path: /v1.41/nodes, status: 200}
                      - http: {port: 2375, path: /v1.41/secrets, status: 403}
                      - http: {port: 2375, path: /v1.41/containers/json, status: 403}
                      - http: {port: 2375, path: /v1.41/services/create, method: POST, status: 403}
                """)
            let up = try await stack.sprocketctl(["up", "--yes"])
            #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
            let verify = try await stack.sprocketctl(["verify", "--json"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }
}
