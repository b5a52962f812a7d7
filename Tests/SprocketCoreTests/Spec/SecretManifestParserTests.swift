import SprocketCore
import SprocketTestSupport
import Testing

@Suite("secrets: manifest in stack.yaml")
struct SecretManifestParserTests {
    /// Loads a two-layer stack (Vault in `edge`; `api` and `bot` in `app`, `proxy` in `edge`) with `extra` appended
    /// to stack.yaml.
    static func load(_ extra: String, vault: Bool = true, variables: [String: String] = [:], files: [String: String] = [:]) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "secret-manifest")
        defer { folder.remove() }
        let vaultBlock = vault ? "vault:\n  address: http://127.0.0.1:8200\n  layer: edge\n" : ""
        try folder.write("stack.yaml", "stack: s\nlayers: [edge, app]\nenvironments: {prod: {}}\ndefault_environment: prod\n" + vaultBlock + extra)
        try folder.write("edge.yaml", "services:\n  proxy:\n    image: example/proxy\n")
        try folder.write("app.yaml", "needs: [edge]\nservices:\n  api:\n    image: example/api\n  bot:\n    image: example/bot\n")
        for (path, text) in files { try folder.write(path, text) }
        return try SpecLoader(processEnvironment: variables).load(path: folder.path, environment: nil)
    }

    @Test("a Doppler entry with a Vault path becomes a layer secret mounted in each consumer at its target")
    func dopplerEntry() throws {
        let stack = try Self.load("""
            doppler: {project: platform, config: prd}
            secrets:
              google-client:
                doppler: {name: GOOGLE_CLIENT_SECRET}
                vault: platform/${env}/oauth/google#client_secret
                consumers:
                  - {service: api, target: /app/secret/google.txt}
                  - bot
            """)
        let entry = try #require(stack.secretManifest.entries.first)
        #expect(stack.secretManifest.dopplerProject == "platform" && stack.secretManifest.dopplerConfig == "prd")
        #expect(entry.source == .doppler(project: nil, config: nil, name: "GOOGLE_CLIENT_SECRET"))
        #expect(entry.vault == SecretManifestEntry.VaultLocation(secret: try VaultKVPath(mount: "platform", path: "prod/oauth/google"), field: "client_secret"))
        #expect(entry.consumers.map(\.target) == ["/app/secret/google.txt", "/run/secrets/google-client"])
        let app = try #require(stack.layer(named: "app"))
        #expect(app.secrets.map(\.source) == [.manifest(name: "google-client")])
        #expect(stack.layer(named: "edge")?.secrets.isEmpty == true)
        let api = try #require(app.services.first { $0.name == "api" })
        #expect(api.secrets.map(\.source) == ["google-client"] && api.secrets.first?.target == "/app/secret/google.txt")
        let bot = try #require(app.services.first { $0.name == "bot" })
        #expect(bot.secrets.first?.target == "/run/secrets/google-client")
    }

    @Test("each source kind is read", arguments: [
        ("environment: API_KEY", SecretSpec.Source.environment(variable: "API_KEY")),
        ("generate: {length: 48}", .generate(length: 48, alphabet: .alphanumeric)),
        ("generate: null", .generate(length: 32, alphabet: .alphanumeric)),
        ("doppler: {project: p, config: c, name: X}", .doppler(project: "p", config: "c", name: "X")),
    ])
    func sources(line: String, expected: SecretSpec.Source) throws {
        let stack = try Self.load("secrets:\n  key:\n    \(line)\n    consumers: [api]\n")
        #expect(stack.secretManifest.entries.first?.source == expected)
    }

    @Test("a file source is resolved against the stack folder; the default Vault field is `value`")
    func fileSource() throws {
        let stack = try Self.load("secrets:\n  key:\n    file: ./keys/api.txt\n    vault: kv/app/key\n    consumers: [api]\n",
                                  files: ["keys/api.txt": "value\n"])
        let entry = try #require(stack.secretManifest.entries.first)
        guard case .file(let path) = entry.source else { Issue.record("not a file source: \(entry.source)"); return }
        #expect(path.hasPrefix("/") && path.hasSuffix("/keys/api.txt"))
        #expect(entry.vault?.description == "kv/app/key#value")
    }

    @Test("a stack without `secrets:` has an empty manifest")
    func absent() throws {
        #expect(try Self.load("").secretManifest.isEmpty)
    }

    @Test("malformed entries are errors at their line", arguments: [
        ("secrets:\n  key:\n    consumers: [api]\n", "stack.yaml:10", "has no source"),
        ("secrets:\n  key:\n    environment: A\n    file: b\n    consumers: [api]\n", "stack.yaml:10", "several sources"),
        ("secrets:\n  key:\n    environment: A\n", "stack.yaml:9", "has no `consumers`"),
        ("secrets:\n  key:\n    environment: A\n    consumers: [nobody]\n", "stack.yaml:11", "`nobody`, which is not a service"),
        ("secrets:\n  key:\n    environment: A\n    vault: justmount\n    consumers: [api]\n", "stack.yaml:11", "not a KV v2 location"),
        ("secrets:\n  key:\n    environment: A\n    vault: platform/data/prod/db\n    consumers: [api]\n", "stack.yaml:11", "data/ and metadata/ are added for you"),
        ("secrets:\n  key:\n    environment: A\n    vault: kv/a/b\n    consumers: [proxy]\n", "stack.yaml:12", "before Vault is unsealed"),
        ("secrets:\n  key:\n    doppler: {config: c}\n    consumers: [api]\n", "stack.yaml:10", "has no `name`"),
        ("secrets:\n  key:\n    generate: {length: 4}\n    consumers: [api]\n", "stack.yaml:10", "generate.length"),
        ("secrets:\n  Key:\n    environment: A\n    consumers: [api]\n", "stack.yaml:9", "lowercase"),
        ("secrets:\n  key:\n    environment: A\n    consumers: [{service: api, target: rel/path}]\n", "stack.yaml:11", "not an absolute path"),
        ("secrets:\n  key:\n    environment: A\n    consumers: [api, api]\n", "stack.yaml:11", "mounts secret `key` twice"),
        ("secrets:\n  key:\n    environment: A\n    colour: red\n    consumers: [api]\n", "stack.yaml:11", "unknown key `colour`"),
    ])
    func errors(yaml: String, position: String, message: String) throws {
        let error = #expect(throws: SpecError.self) { try Self.load(yaml) }
        let text = String(describing: error)
        #expect(text.contains(position) && text.contains(message), "\(text)")
    }

    @Test("without Vault in the stack, a `vault:` path may go to any layer")
    func noVault() throws {
        let stack = try Self.load("secrets:\n  key:\n    environment: A\n    vault: kv/a/b\n    consumers: [proxy]\n", vault: false)
        #expect(stack.layer(named: "edge")?.secrets.map(\.name) == ["key"])
    }
}
