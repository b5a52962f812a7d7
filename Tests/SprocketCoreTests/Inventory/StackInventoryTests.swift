import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("stack inventory: builder and Markdown")
struct StackInventoryTests {
    @Test("services carry layer, image, replicas, ports, networks, healthcheck and placement")
    func services() throws {
        let inventory = StackInventoryBuilder(stack: try InventoryFixtureLoading.load()).build()
        let api = try #require(inventory.services.first { $0.name == "api" })
        #expect(api.layer == "app" && api.image == "example/api:1.2" && api.replicas == "2" && api.networks == ["ingress"])
        #expect(api.healthcheck == "wget -q -O- http://127.0.0.1:3000/health every 10s")
        let traefik = try #require(inventory.services.first { $0.name == "traefik" })
        #expect(traefik.ports == ["443:443/tcp (host)"] && traefik.placement == ["node.role == manager"])
        #expect(inventory.services.map(\.name) == inventory.services.map(\.name).sorted())
        #expect(inventory.layers == ["edge", "app (needs edge)"])
    }

    @Test("routes list every URL per profile with TLS and middlewares", arguments: [
        ("prod", "public", "https://api.example.test/graphql", "acme (letsencrypt)"),
        ("local", "localhost", "https://api.localhost/graphql", "default certificate"),
    ])
    func routes(environment: String, profile: String, url: String, tls: String) throws {
        let inventory = StackInventoryBuilder(stack: try InventoryFixtureLoading.load(environment: environment)).build()
        let route = try #require(inventory.routes.first { $0.service == "api" && $0.route == "graphql" })
        #expect(route.profile.rawValue == profile && route.urls.contains(url) && route.tls == tls)
        #expect(route.middlewares == ["forwardauth"])
        #expect(inventory.routes.allSatisfy { $0.profile.rawValue == profile })
    }

    @Test("secrets by name with source kind and consumers, PostgreSQL and S3 credential users included")
    func secrets() throws {
        let inventory = StackInventoryBuilder(stack: try InventoryFixtureLoading.load()).build()
        let byName = Dictionary(uniqueKeysWithValues: inventory.secrets.map { ($0.name, $0) })
        #expect(byName["pg-app"]?.source == "generated (32 alphanumeric)")
        #expect(byName["pg-app"]?.consumers == ["api", "postgres role app_user"])
        #expect(byName["pg-admin"]?.source == "environment PG_ADMIN" && byName["pg-admin"]?.consumers == ["postgres admin doadmin"])
        #expect(byName["s3-id"]?.consumers == ["api", "s3 buckets"])
        #expect(byName["vault-token-platform"]?.source == "vault token platform")
    }

    @Test("Vault tokens with policies, lifetime and the recorded expiry when known")
    func tokens() throws {
        let expiry = Date(timeIntervalSince1970: 1_900_000_000)
        let inventory = StackInventoryBuilder(stack: try InventoryFixtureLoading.load(), tokenExpiries: ["platform": expiry]).build()
        let token = try #require(inventory.vaultTokens.first)
        #expect(token.policies == ["platform-read"] && token.lifetime == "period 768h" && token.consumers == ["api"])
        #expect(token.expiresAt == expiry)
        let markdown = StackInventoryMarkdownRenderer().render(inventory)
        #expect(markdown.contains("2030-03-17T17:46:40Z"))
        let unknown = StackInventoryMarkdownRenderer().render(StackInventoryBuilder(stack: try InventoryFixtureLoading.load()).build())
        #expect(unknown.contains("unknown here"))
    }

    @Test("configs, volumes, PostgreSQL and S3 sections")
    func resources() throws {
        let inventory = StackInventoryBuilder(stack: try InventoryFixtureLoading.load()).build()
        #expect(inventory.configs.first { $0.name == "api-config" }?.consumers == ["api"])
        #expect(inventory.volumes.first { $0.name == "traefik-data" }?.consumers == ["traefik"])
        #expect(inventory.postgres?.roles.map(\.name) == ["app_user"] && inventory.postgres?.databases.first?.owner == "app_user")
        #expect(inventory.buckets.first?.lifecycle == ["tmp/ expires after 7 days"] && inventory.buckets.first?.consumers == ["api"])
        let markdown = StackInventoryMarkdownRenderer().render(inventory)
        for heading in ["## Services", "## Routes", "## Secrets", "## Vault tokens", "## Configs", "## Volumes", "## PostgreSQL", "## S3 buckets"] {
            #expect(markdown.contains("\n\(heading)\n"), "\(heading)")
        }
    }

    @Test("no secret value reaches the inventory, whatever the environment holds")
    func neverValues() throws {
        let canary = "canary-\(UUID().uuidString)"
        let folder = try TemporaryDirectory(prefix: "inventory-canary")
        defer { folder.remove() }
        try InventoryFixture.write(into: folder)
        let stack = try SpecLoader(processEnvironment: ["PG_ADMIN": canary, "S3_ID": canary, "S3_SECRET": canary])
            .load(path: folder.path, environment: "prod")
        let inventory = StackInventoryBuilder(stack: stack).build()
        let json = String(decoding: try JSONEncoder().encode(inventory), as: UTF8.self)
        #expect(!json.contains(canary) && !StackInventoryMarkdownRenderer().render(inventory).contains(canary))
        #expect(!StackGraphDOTRenderer().render(StackGraphBuilder(stack: stack).build()).contains(canary))
    }

    @Test("Markdown is deterministic and table cells cannot break the table")
    func markdownStable() throws {
        var stack = try InventoryFixtureLoading.load()
        let first = StackInventoryMarkdownRenderer().render(StackInventoryBuilder(stack: stack).build())
        stack.layers = stack.layers.map { layer in
            var layer = layer
            layer.services.reverse()
            layer.secrets.reverse()
            return layer
        }
        #expect(first == StackInventoryMarkdownRenderer().render(StackInventoryBuilder(stack: stack).build()))
        stack.layers[0].services[0].image = "odd|image"
        let text = StackInventoryMarkdownRenderer().render(StackInventoryBuilder(stack: stack).build())
        #expect(text.contains("odd\\|image"))
    }
}
