import SprocketCore
import SprocketTestSupport
import Testing

@Suite("The socket proxy Traefik reads Docker through")
struct SocketProxyCheckTests {
    static func diagnostics(proxy: String?, endpoint: String? = nil) throws -> [SpecDiagnostic] {
        let folder = try TemporaryDirectory(prefix: "socket-proxy")
        defer { folder.remove() }
        try folder.write("stack.yaml", """
            stack: sp
            routing:
              domain: example.org
              network: ingress
              access: [public]
            \(endpoint.map { "  socket_proxy: \($0)\n" } ?? "")layers: [edge]
            """)
        var edge = """
            networks:
              ingress: {}
            configs:
              traefik-static:
                generated: traefik-static
            services:
              traefik:
                image: traefik:v3.1
                networks: [ingress]
                configs: [{source: traefik-static, target: /etc/traefik/traefik.yml}]

            """
        if let proxy { edge += proxy }
        try folder.write("edge.yaml", edge)
        do {
            return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: nil).warnings
        } catch {
            return error.diagnostics
        }
    }

    @Test("a read-only proxy with what the Swarm provider needs: nothing to say")
    func readOnly() throws {
        let found = try Self.diagnostics(proxy: """
              socket-proxy:
                image: tecnativa/docker-socket-proxy
                networks: [ingress]
                environment: {SERVICES: 1, TASKS: 1, NETWORKS: 1, NODES: 1, POST: 0}
            """)
        #expect(!found.contains { $0.message.contains("socket proxy") }, "\(found)")
    }

    @Test("a proxy that allows POST is an error at that variable's line")
    func allowsWrites() throws {
        let found = try Self.diagnostics(proxy: """
              socket-proxy:
                image: tecnativa/docker-socket-proxy
                networks: [ingress]
                environment: {SERVICES: 1, TASKS: 1, NETWORKS: 1, NODES: 1, POST: 1}
            """)
        let error = try #require(found.first { $0.message.contains("allows `POST`") })
        #expect(error.severity == .error && error.location.line == 14, "\(error.location)")
    }

    @Test("a proxy hiding the services, and a missing proxy, are warnings")
    func warnings() throws {
        let hiding = try Self.diagnostics(proxy: """
              socket-proxy:
                image: tecnativa/docker-socket-proxy
                networks: [ingress]
                environment: {CONTAINERS: 1}
            """)
        #expect(hiding.contains { $0.severity == .warning && $0.message.contains("hides SERVICES, TASKS, NETWORKS, NODES") }, "\(hiding)")
        let missing = try Self.diagnostics(proxy: nil)
        #expect(missing.contains { $0.severity == .warning && $0.message.contains("no service of this stack is called `socket-proxy`") }, "\(missing)")
    }

    @Test("an endpoint instead of a service name (unix:// or tcp://) names no service to look for: no warning")
    func endpoint() throws {
        for endpoint in ["unix:///var/run/docker.sock", "tcp://proxy.internal:2375"] {
            let found = try Self.diagnostics(proxy: nil, endpoint: endpoint)
            #expect(!found.contains { $0.message.contains("socket proxy") || $0.message.contains("reads Docker through") }, "\(found)")
        }
    }
}
