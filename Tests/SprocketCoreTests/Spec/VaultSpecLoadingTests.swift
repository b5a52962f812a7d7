import SprocketCore
import SprocketTestSupport
import Testing

@Suite("vault: in stack.yaml")
struct VaultSpecLoadingTests {
    static func load(_ vault: String) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "vault-spec")
        defer { folder.remove() }
        try folder.write("stack.yaml", "stack: v\nlayers: [edge]\n" + vault)
        try folder.write("edge.yaml", "services:\n  web:\n    image: example/web\n")
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: nil)
    }

    @Test("address, key file and layer are read")
    func reads() throws {
        let stack = try Self.load("vault:\n  address: http://127.0.0.1:8200\n  key_file: ~/keys\n  layer: edge\n")
        #expect(stack.vault?.address == "http://127.0.0.1:8200" && stack.vault?.keyFile == "~/keys" && stack.vault?.layer == "edge")
        #expect(try Self.load("").vault == nil)
    }

    @Test("missing fields, an unknown layer and an unknown key are errors at their line", arguments: [
        ("vault:\n  address: http://127.0.0.1:8200\n", "stack.yaml:4", "needs `address` and `layer`"),
        ("vault:\n  address: http://127.0.0.1:8200\n  layer: data\n", "stack.yaml:4", "`data`, which is not a layer"),
        ("vault:\n  address: http://x\n  layer: edge\n  token: abc\n", "stack.yaml:6", "token"),
    ])
    func errors(vault: String, position: String, message: String) throws {
        let error = #expect(throws: SpecError.self) { try Self.load(vault) }
        let text = String(describing: error)
        #expect(text.contains(position) && text.contains(message), "\(text)")
    }

    static func loadTwoLayers(_ tokens: String) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "vault-tokens")
        defer { folder.remove() }
        try folder.write("stack.yaml", """
            stack: v
            layers: [edge, app]
            vault:
              address: http://127.0.0.1:8200
              layer: edge
              policies:
                platform-read: [{path: "platform/*", access: [read]}]
              tokens:
            \(tokens)
            """)
        try folder.write("edge.yaml", "services:\n  vault:\n    image: example/vault\n")
        try folder.write("app.yaml", "services:\n  api:\n    image: example/api\n  bot:\n    image: example/bot\n")
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: nil)
    }

    @Test("a token becomes a secret in its first consumer's layer, mounted by every consumer")
    func tokensWired() throws {
        let stack = try Self.loadTwoLayers("    platform: {policies: [platform-read], period: 72h, consumers: [api, bot]}")
        let token = try #require(stack.vault?.tokens.first)
        #expect(token.period == .seconds(72 * 3600) && token.renewalThreshold == .seconds(24 * 3600))
        let app = try #require(stack.layers.last)
        #expect(app.secrets.map(\.name) == ["vault-token-platform"])
        #expect(app.secrets.first?.source == .vaultToken(token: "platform"))
        #expect(app.services.allSatisfy { $0.secrets.map(\.source) == ["vault-token-platform"] })
        #expect(stack.layers.first?.secrets.isEmpty == true)
    }

    @Test("token errors: root, no consumers, both period and ttl, an unknown or too early consumer, a renewal window as long as the lifetime", arguments: [
        ("    t: {policies: [root], consumers: [api]}", "asks for the `root` policy"),
        ("    t: {policies: [platform-read]}", "has no `consumers`"),
        ("    t: {policies: [platform-read], period: 1h, ttl: 1h, consumers: [api]}", "sets both `period` and `ttl`"),
        ("    t: {policies: [platform-read], consumers: [apj]}", "consumer `apj`, which is not a service"),
        ("    t: {policies: [platform-read], consumers: [vault]}", "starts before Vault is unsealed"),
        ("    T_x: {policies: [platform-read], consumers: [api]}", "must be lowercase letters"),
        ("    t: {policies: [platform-read], period: 1h, renew_within: 1h, consumers: [api]}", "renew_within` (1h) is not shorter"),
        ("    t: {policies: [platform-read], ttl: 10m, renew_within: 2h, consumers: [api]}", "than the token's lifetime (10m)"),
        ("    t: {policies: [platform-read], renew_within: 800h, consumers: [api]}", "than the token's lifetime (768h)"),
    ])
    func tokenErrors(tokens: String, message: String) throws {
        let error = #expect(throws: SpecError.self) { try Self.loadTwoLayers(tokens) }
        #expect(String(describing: error).contains(message), "\(String(describing: error))")
    }
}
