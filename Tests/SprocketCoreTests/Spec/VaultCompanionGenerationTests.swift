import SprocketCore
import SprocketTestSupport
import Testing

@Suite("vault.unsealer and vault.renewer: sprocketctl's own services next to the stack's Vault")
struct VaultCompanionGenerationTests {
    /// A stack running OpenBao in `edge`, a token for `api` (in `app`), `data` between them; `vault` adds keys.
    static func load(vault: String = "", layers: String = "[edge, data, app]", server: Bool = true) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "vault-companion")
        defer { folder.remove() }
        let serverBlock = server ? """
              server:
                image: sprocket-local/openbao:2.7.2
                network: vault
                storage: {raft: {volume: vault-data}}
            """ : ""
        try folder.write("stack.yaml", """
            stack: v
            layers: \(layers)
            vault:
              address: http://127.0.0.1:8200
              layer: edge
              policies:
                api-read:
                  - {path: "platform/*", access: [read]}
              tokens:
                api: {policies: [api-read], period: 24h, consumers: [api]}
            \(serverBlock)
            \(vault)
            """)
        try folder.write("edge.yaml", "networks:\n  vault: {driver: overlay}\n")
        try folder.write("data.yaml", "needs: [edge]\nservices:\n  db:\n    image: example/db:1\n")
        try folder.write("app.yaml", "needs: [edge, data]\nservices:\n  api:\n    image: example/api:1\n")
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: nil)
    }

    static func service(_ name: String, in stack: StackSpec) -> (layer: String, service: ServiceSpec)? {
        for layer in stack.layers {
            if let service = layer.services.first(where: { $0.name == name }) { return (layer.name, service) }
        }
        return nil
    }

    @Test("a stack that runs its Vault and hands out tokens gets a renewer by default, in the layer of the tokens' secrets, mounting only the tokens")
    func renewerByDefault() throws {
        let stack = try Self.load()
        #expect(stack.vault?.unsealer == nil, "the unsealer is opt-in")
        let (layer, renewer) = try #require(Self.service("vault-token-renewer", in: stack))
        #expect(layer == "app")
        #expect(renewer.image == RunnerImage.placeholder)
        #expect(renewer.entrypoint == [RunnerImage.executablePath])
        #expect(renewer.command == ["vault", "renew-tokens", "--addr", "http://vault:8200", "--interval", "60000ms", "--json",
                                    "/run/secrets/vault-token-api"])
        #expect(renewer.secrets.map(\.source) == ["vault-token-api"] && renewer.secrets.allSatisfy { $0.mode == 0o400 })
        #expect(renewer.networks.map(\.name) == ["vault"])
        #expect(renewer.environment.isEmpty && renewer.deploy.labels.isEmpty)
    }

    @Test("renewer: false turns it off; a stack without vault.server has none unless it gives an address")
    func renewerOff() throws {
        #expect(Self.service("vault-token-renewer", in: try Self.load(vault: "  renewer: false")) == nil)
        #expect(Self.service("vault-token-renewer", in: try Self.load(server: false)) == nil)
        let external = try Self.load(vault: "  renewer: {address: \"https://vault.internal:8200\", interval: 5m}", server: false)
        let (_, renewer) = try #require(Self.service("vault-token-renewer", in: external))
        #expect(renewer.command?.contains("https://vault.internal:8200") == true && renewer.command?.contains("300000ms") == true)
        #expect(renewer.networks.isEmpty)
    }

    @Test("the unsealer mounts its two derived secrets, which go into the first layer after Vault's, and runs on managers only")
    func unsealer() throws {
        let stack = try Self.load(vault: "  unsealer: {interval: 1s}")
        let (layer, unsealer) = try #require(Self.service("vault-unsealer", in: stack))
        #expect(layer == "data")
        #expect(unsealer.command == ["vault", "watch", "--addr", "http://vault:8200", "--interval", "1000ms", "--json",
                                     "--key-file", "/run/secrets/vault-unsealer-keys", "--passphrase-file", "/run/secrets/vault-unsealer-passphrase"])
        #expect(unsealer.deploy.placement.constraints == ["node.role == manager"])
        #expect(unsealer.secrets.map(\.source) == ["vault-unsealer-keys", "vault-unsealer-passphrase"])
        let data = try #require(stack.layers.first { $0.name == "data" })
        #expect(data.secrets.map(\.source) == [.vaultUnsealer(.keyFile), .vaultUnsealer(.passphrase)])
        #expect(try Self.load(vault: "  unsealer: true").layers.flatMap(\.services).contains { $0.name == "vault-unsealer" })
    }

    @Test("the runner placeholder is never pinned by images.lock nor replaced by a stand-in, and resolves to the running binary's image")
    func runnerImage() throws {
        let stack = try Self.load(vault: "  unsealer: true")
        #expect(RunnerImage.isUsed(in: stack))
        #expect(!ImageLock.references(in: [stack]).contains(RunnerImage.placeholder))
        let (_, unlocked) = ImageLock(images: [:]).apply(to: stack)
        #expect(!unlocked.contains(RunnerImage.placeholder))
        let standIns = StandInMap(defaultImage: "busybox:1", images: [])
        #expect(Self.service("vault-unsealer", in: standIns.apply(to: stack))?.service.image == RunnerImage.placeholder)
        let resolved = RunnerImage.resolve(stack, to: "sprocketctl-runner:0123456789abcdef")
        #expect(Self.service("vault-unsealer", in: resolved)?.service.image == "sprocketctl-runner:0123456789abcdef")
        #expect(!RunnerImage.isUsed(in: resolved))
    }

    @Test("errors name the key and say what to do", arguments: [
        ("  unsealer: true", "[edge]", true, "needs a layer after `edge` (Vault's) to run in"),
        ("  unsealer: {layer: edge}", "[edge, data, app]", true, "must run after Vault's layer"),
        ("  unsealer: {layer: nowhere}", "[edge, data, app]", true, "`vault.unsealer.layer` names `nowhere`"),
        ("  unsealer: true", "[edge, data, app]", false, "`vault.unsealer` needs `address`"),
        ("  unsealer: {network: elsewhere}", "[edge, data, app]", true, "joins network `elsewhere`, which no layer declares"),
        ("  renewer: {layer: data}", "[edge, data, app]", true, "must run after Vault's layer and the secrets it mounts"),
        ("  unsealer: {interval: 10ms}", "[edge, data, app]", true, "`vault.unsealer.interval` must be from 100ms to 1h"),
        ("  unsealer: sometimes", "[edge, data, app]", true, "expected a boolean"),
    ])
    func errors(vault: String, layers: String, server: Bool, message: String) throws {
        let error = #expect(throws: SpecError.self) { try Self.load(vault: vault, layers: layers, server: server) }
        #expect(String(describing: error).contains(message), "\(String(describing: error))")
        #expect(String(describing: error).contains("stack.yaml:"), "names the file and line")
    }
}
