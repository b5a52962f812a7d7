import SprocketCore
import SprocketTestSupport
import Testing

@Suite("Stand-in images")
struct StandInMapTests {
    @Test("patterns match exactly or by prefix, longest first; the default covers the rest")
    func matching() throws {
        let folder = try TemporaryDirectory(prefix: "standins")
        defer { folder.remove() }
        try folder.write("map.yaml", """
            default: local/default
            keep: ["sprocket-local/*", "example/web:9"]
            images:
              "example/*": local/any-example
              "example/web:*": local/web
              redis:7: local/redis
            """)
        let map = try StandInMap.load(path: "\(folder.path)/map.yaml")
        #expect(map.standIn(for: "sprocket-local/traefik:3.7.15") == nil, "kept images run as they are")
        #expect(map.standIn(for: "example/web:9") == nil, "keep wins over a longer image pattern")
        #expect(map.standIn(for: "example/web:2") == "local/web")
        #expect(map.standIn(for: "example/api:1") == "local/any-example")
        #expect(map.standIn(for: "redis:7") == "local/redis")
        #expect(map.standIn(for: "redis:8") == "local/default")
    }

    @Test("a stand-in keeps networks and routes, serves its route ports, drops the healthcheck, and says what it replaces")
    func replaces() throws {
        let spec = try TemporarySpec([
            "s/stack.yaml": "stack: s\nrouting: {domain: example.org, network: edge, access: [public]}\nlayers: [app]\n",
            "s/app.yaml": """
                networks: {edge: {driver: overlay}}
                services:
                  api:
                    image: example/api:1
                    command: ["node", "main.js"]
                    networks: [edge]
                    healthcheck: {test: ["CMD", "true"]}
                    routes: [{port: 3001}]
                """,
        ])
        defer { spec.remove() }
        let stack = StandInMap(defaultImage: "local/busybox", images: []).apply(to: try spec.load("s", environment: nil))
        let api = try #require(stack.layers.first?.services.first)
        #expect(api.image == "local/busybox" && api.deploy.labels[StandInMap.label] == "example/api:1")
        #expect(api.entrypoint == ["/bin/sh", "-c"] && api.command?.first?.contains("httpd -p 3001") == true)
        #expect(api.healthcheck == nil && api.networks.map(\.name) == ["edge"] && api.routes.count == 1)
    }

    @Test("a stand-in answers on the paths other routes' forward-auth asks of it; odd characters never reach the shell")
    func forwardAuthPaths() throws {
        let spec = try TemporarySpec([
            "s/stack.yaml": "stack: s\nrouting: {domain: example.org, network: edge, access: [public]}\nlayers: [app]\n",
            "s/app.yaml": """
                networks: {edge: {driver: overlay}}
                services:
                  auth:
                    image: example/auth:1
                    networks: [edge]
                    routes: [{subdomain: fa, port: 3000}]
                  admin:
                    image: example/admin:1
                    networks: [edge]
                    routes:
                      - subdomain: admin
                        port: 8080
                        middlewares:
                          - forward_auth: {address: "http://auth:3000/login?rule=Admin"}
                      - subdomain: odd
                        port: 8081
                        middlewares:
                          - forward_auth: {address: "http://auth:3000/a;b"}
                """,
        ])
        defer { spec.remove() }
        let stack = StandInMap(defaultImage: "local/busybox", images: []).apply(to: try spec.load("s", environment: nil))
        let auth = try #require(stack.layers.first?.services.first { $0.name == "auth" })
        let script = try #require(auth.command?.first)
        #expect(script.contains("cp /tmp/stand-in/index.html /tmp/stand-in/login"), "\(script)")
        #expect(!script.contains(";b"), "a path with a shell character is left out: \(script)")
    }

    @Test("a map of the wrong shape is refused, naming the file")
    func wrongShape() throws {
        let folder = try TemporaryDirectory(prefix: "standins-bad")
        defer { folder.remove() }
        try folder.write("map.yaml", "imagez: {}\n")
        let error = #expect(throws: SprocketError.self) { try StandInMap.load(path: "\(folder.path)/map.yaml") }
        #expect(error?.subject == "\(folder.path)/map.yaml")
    }

    @Test("a stand-in map gets the spec files' limits: an alias bomb is refused at its line instead of expanded")
    func aliasBomb() throws {
        let folder = try TemporaryDirectory(prefix: "standins-bomb")
        defer { folder.remove() }
        try folder.write("map.yaml", SpecFileLimitsTests.aliasBomb + "default: busybox:1\n")
        let error = #expect(throws: SprocketError.self) { try StandInMap.load(path: "\(folder.path)/map.yaml") }
        #expect(error?.subject == "\(folder.path)/map.yaml")
        #expect(error?.message.contains("expand to more than 1000000 values") == true, "\(String(describing: error))")
    }
}
