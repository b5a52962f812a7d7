import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Yams

@Suite("generated: configs (Traefik's static configuration from routing:)")
struct GeneratedConfigTests {
    static func write(_ folder: TemporaryDirectory, access: String, generated: String = "traefik-static") throws {
        try folder.write("stack.yaml", """
            stack: gen
            environments:
              prod: {}
            routing:
              domain: example.org
              subdomain: main
              network: ingress
              access: [\(access)]
              acme: {email: ops@example.org, staging: true}
            layers: [edge]
            """)
        try folder.write("edge.yaml", """
            networks:
              ingress: {}
            configs:
              traefik-static:
                generated: \(generated)
            services:
              traefik:
                image: traefik:v3.1
                networks: [ingress]
                configs:
                  - source: traefik-static
                    target: /etc/traefik/traefik.yml
            """)
    }

    @Test("the config's content is the static configuration rendered from the loaded stack, and it parses as YAML")
    func rendersFromRouting() throws {
        let folder = try TemporaryDirectory(prefix: "generated-config")
        defer { folder.remove() }
        try Self.write(folder, access: "public")
        let stack = try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: "prod")
        let config = try #require(stack.layers.first?.configs.first)
        #expect(config.source == .generated(.traefikStatic))
        let text = String(decoding: try #require(config.content), as: UTF8.self)
        #expect(text == TraefikStaticConfiguration(stack: stack).render())
        let yaml = try #require(try Yams.load(yaml: text) as? [String: Any])
        let resolvers = try #require(yaml["certificatesResolvers"] as? [String: Any])
        let resolver = try #require(resolvers["letsencrypt"] as? [String: Any])
        let acme = try #require(resolver["acme"] as? [String: Any])
        #expect(acme["caServer"] as? String == ACMESettings.stagingServer)
    }

    @Test("changing routing changes the content, so the config gets a new content-hashed version")
    func contentFollowsRouting() throws {
        let folder = try TemporaryDirectory(prefix: "generated-config")
        defer { folder.remove() }
        try Self.write(folder, access: "public")
        let publicOnly = try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: "prod")
        try Self.write(folder, access: "public, localhost")
        let withLocalhost = try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: "prod")
        #expect(publicOnly.layers.first?.configs.first?.content != withLocalhost.layers.first?.configs.first?.content)
    }

    @Test("an unknown generated kind is an error at its line, naming the kinds there are")
    func unknownKind() throws {
        let folder = try TemporaryDirectory(prefix: "generated-config")
        defer { folder.remove() }
        try Self.write(folder, access: "public", generated: "nginx")
        let error = #expect(throws: SpecError.self) { try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: "prod") }
        let text = String(describing: error)
        #expect(text.contains("edge.yaml:5") && text.contains("unknown generated config `nginx`") && text.contains("traefik-static"), "\(text)")
    }
}
