import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// A stack with a `secrets:` manifest: a Doppler secret provisioned through Vault, an environment secret and a generated
/// one without Vault, a file secret; plus layer secrets of every other source.
enum ManifestInventoryFixture {
    static let stack = """
        stack: inv
        doppler: {project: sprocket, config: prd}
        vault: {address: "http://127.0.0.1:8200", layer: edge, mounts: [platform]}
        secrets:
          jwt:
            doppler: {name: JWT_SECRET}
            vault: "platform/prod/jwt"
            consumers: [{service: api, target: /app/secret/jwt.txt}]
          oauth:
            doppler: {project: auth, config: dev, name: GOOGLE_CLIENT_SECRET}
            vault: "platform/prod/oauth/google#client_secret"
            consumers: [api]
          smtp: {environment: SMTP_PASSWORD, consumers: [api]}
          session: {generate: {length: 48}, consumers: [api]}
          tls-key: {file: secrets/tls.key, consumers: [api]}
        layers: [edge, app]

        """

    static let edge = "services:\n  vault: {image: hashicorp/vault:1.18}\n"

    static let app = """
        secrets:
          from-env: {environment: API_KEY}
          made: {generate: {length: 24}}
        services:
          api:
            image: example/api:1
            secrets: [from-env, made]

        """

    static func load(stack: String = stack, environment: [String: String] = [:]) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "inventory-manifest")
        defer { folder.remove() }
        try folder.write("stack.yaml", stack)
        try folder.write("edge.yaml", edge)
        try folder.write("app.yaml", app)
        try folder.write("secrets/tls.key", "not a key\n")
        return try SpecLoader(processEnvironment: environment).load(path: folder.path, environment: nil)
    }
}

@Suite("InventorySecretSources: docs and graph show where each secret comes from and the Vault field it passes")
struct InventorySecretSourceTests {
    @Test("the inventory gives each manifest secret its source (Doppler defaults filled in) and Vault field; layer secrets keep theirs")
    func inventory() throws {
        let secrets = Dictionary(uniqueKeysWithValues: StackInventoryBuilder(stack: try ManifestInventoryFixture.load()).build().secrets.map { ($0.name, $0) })
        #expect(secrets["jwt"]?.source == "doppler sprocket/prd JWT_SECRET" && secrets["jwt"]?.vault == "platform/prod/jwt#value")
        #expect(secrets["oauth"]?.source == "doppler auth/dev GOOGLE_CLIENT_SECRET" && secrets["oauth"]?.vault == "platform/prod/oauth/google#client_secret")
        #expect(secrets["smtp"]?.source == "environment SMTP_PASSWORD" && secrets["smtp"]?.vault == nil)
        #expect(secrets["session"]?.source == "generated (48 characters)")
        #expect(secrets["tls-key"]?.source == "file secrets/tls.key")
        #expect(secrets["from-env"]?.source == "environment API_KEY" && secrets["made"]?.source == "generated (24 alphanumeric)")
        #expect(secrets["jwt"]?.consumers == ["api"])
    }

    @Test("Markdown has a Vault column with the field; JSON carries `source` and `vault`")
    func markdownAndJSON() throws {
        let inventory = StackInventoryBuilder(stack: try ManifestInventoryFixture.load()).build()
        let markdown = StackInventoryMarkdownRenderer().render(inventory)
        #expect(markdown.contains("| secret | layer | source | via Vault | used by |"), "\(markdown)")
        #expect(markdown.contains("| jwt | app | doppler sprocket/prd JWT_SECRET | platform/prod/jwt#value | api |"), "\(markdown)")
        #expect(markdown.contains("| smtp | app | environment SMTP_PASSWORD | — | api |"), "\(markdown)")
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(inventory)) as? [String: Any])
        let jwt = try #require((json["secrets"] as? [[String: Any]])?.first { $0["name"] as? String == "jwt" })
        #expect(jwt["source"] as? String == "doppler sprocket/prd JWT_SECRET" && jwt["vault"] as? String == "platform/prod/jwt#value")
    }

    @Test("the graph draws source -> Vault field -> Docker secret -> consumer, and the secret's label names its source")
    func graphFlow() throws {
        let graph = StackGraphBuilder(stack: try ManifestInventoryFixture.load()).build()
        let flows = Set(graph.edges.filter { $0.kind == .secret }.map { "\($0.from) -> \($0.to)" })
        #expect(flows.isSuperset(of: [
            "secretSource:manifest:jwt -> vaultPath:platform/prod/jwt#value", "vaultPath:platform/prod/jwt#value -> secret:jwt",
            "secret:jwt -> service:api", "secretSource:manifest:smtp -> secret:smtp", "secretSource:env:API_KEY -> secret:from-env",
        ]), "\(flows.sorted())")
        #expect(!flows.contains("secretSource:manifest:jwt -> secret:jwt"), "the Vault hop is not skipped")
        let labels = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0.label) })
        #expect(labels["secretSource:manifest:jwt"] == "doppler sprocket/prd JWT_SECRET")
        #expect(labels["vaultPath:platform/prod/jwt#value"] == "vault platform/prod/jwt#value")
        #expect(labels["secret:jwt"] == "secret jwt ← doppler sprocket/prd JWT_SECRET")
        #expect(labels["secret:from-env"] == "secret from-env ← env $API_KEY")
    }

    @Test("DOT and Mermaid carry the source and the Vault hop")
    func renderers() throws {
        let graph = StackGraphBuilder(stack: try ManifestInventoryFixture.load()).build()
        let dot = StackGraphDOTRenderer().render(graph)
        #expect(dot.contains("\"vaultPath:platform/prod/jwt#value\" [label=\"vault platform/prod/jwt#value\", shape=component];"), "\(dot)")
        #expect(dot.contains("\"secretSource:manifest:jwt\" -> \"vaultPath:platform/prod/jwt#value\" [style=dashed, label=\"secrets sync\"];"), "\(dot)")
        #expect(dot.contains("label=\"secret jwt ← doppler sprocket/prd JWT_SECRET\""), "\(dot)")
        #expect(DOTStructure(dot).problems.isEmpty)

        let mermaid = StackGraphMermaidRenderer().render(graph)
        let ids = StackGraphMermaidRenderer.identifiers(for: graph.nodes.map(\.id))
        let vault = try #require(ids["vaultPath:platform/prod/jwt#value"])
        let source = try #require(ids["secretSource:manifest:jwt"])
        #expect(mermaid.contains("\(vault)(\"vault platform/prod/jwt#value\")"), "\(mermaid)")
        #expect(mermaid.contains("\(source) -.->|\"secrets sync\"| \(vault)"), "\(mermaid)")
        #expect(mermaid.contains("\"secret jwt ← doppler sprocket/prd JWT_SECRET\""), "\(mermaid)")
    }

    @Test("without `vault:` in the stack the Vault field is not shown: the value goes straight to the Docker secret")
    func withoutVault() throws {
        let stack = try ManifestInventoryFixture.load(stack: ManifestInventoryFixture.stack.replacingOccurrences(
            of: "vault: {address: \"http://127.0.0.1:8200\", layer: edge, mounts: [platform]}\n", with: ""))
        #expect(StackInventoryBuilder(stack: stack).build().secrets.allSatisfy { $0.vault == nil })
        let flows = Set(StackGraphBuilder(stack: stack).build().edges.map { "\($0.from) -> \($0.to)" })
        #expect(flows.contains("secretSource:manifest:jwt -> secret:jwt"))
    }

    @Test("no value reaches docs or graph, whatever the environment holds")
    func neverValues() throws {
        let canary = "canary-\(UUID().uuidString)"
        let stack = try ManifestInventoryFixture.load(environment: ["SMTP_PASSWORD": canary, "API_KEY": canary, "JWT_SECRET": canary])
        let inventory = StackInventoryBuilder(stack: stack).build()
        let graph = StackGraphBuilder(stack: stack).build()
        let outputs = [String(decoding: try JSONEncoder().encode(inventory), as: UTF8.self), StackInventoryMarkdownRenderer().render(inventory),
                       StackGraphDOTRenderer().render(graph), StackGraphMermaidRenderer().render(graph)]
        #expect(outputs.allSatisfy { !$0.contains(canary) })
    }
}
