import SprocketCore
import SprocketTestSupport
import Testing

@Suite("vault.server: the Vault service generated into its layer")
struct VaultServerGenerationTests {
    static func load(server: String, edgeExtra: String = "", processEnvironment: [String: String] = [:]) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "vault-server")
        defer { folder.remove() }
        try folder.write("stack.yaml", """
            stack: v
            settings: {bucket: sprocket-vault, spaces: "https://fra1.digitaloceanspaces.com"}
            routing: {domain: example.org, network: vault, access: [public]}
            layers: [edge, app]
            vault:
              address: http://127.0.0.1:8200
              layer: edge
              server:
            \(server)
            """)
        try folder.write("edge.yaml", """
            networks:
              vault: {driver: overlay}
            secrets:
              vault-s3-id: {environment: VAULT_S3_ID}
              vault-s3-secret: {environment: VAULT_S3_SECRET}
            \(edgeExtra)
            """)
        try folder.write("app.yaml", "services:\n  api:\n    image: example/api\n")
        return try SpecLoader(processEnvironment: processEnvironment).load(path: folder.path, environment: nil)
    }

    static let s3Server = """
            image: hashicorp/vault:1.18
            network: vault
            publish: 8200
            route: {subdomain: vault}
            storage:
              s3:
                bucket: ${bucket}
                endpoint: ${spaces}
                region: fra1
                path: vault/
                access_key_secret: vault-s3-id
                secret_key_secret: vault-s3-secret
        """

    @Test("S3 storage: vault.hcl names the bucket and never a credential; the service exports the secrets itself")
    func s3Storage() throws {
        let stack = try Self.load(server: Self.s3Server)
        let edge = try #require(stack.layers.first)
        let config = try #require(edge.configs.first { $0.name == "vault-hcl" })
        let hcl = String(decoding: config.content ?? [], as: UTF8.self)
        #expect(hcl.contains("storage \"s3\" {\n  bucket = \"sprocket-vault\"\n  region = \"fra1\"\n  endpoint = \"https://fra1.digitaloceanspaces.com\"\n  path = \"vault/\"\n}"))
        #expect(hcl.contains("listener \"tcp\" {") && hcl.contains("disable_mlock = true") && hcl.contains("ui            = true"))
        #expect(!hcl.contains("access_key") && !hcl.contains("secret_key"))
        let service = try #require(edge.services.first { $0.name == "vault" })
        #expect(service.image == "hashicorp/vault:1.18")
        #expect(service.secrets.map(\.source) == ["vault-s3-id", "vault-s3-secret"])
        #expect(service.configs.first?.target == "/vault/config/vault.hcl")
        #expect(service.command == [
            "set -e; export AWS_ACCESS_KEY_ID=\"$(cat /run/secrets/vault-s3-id)\"; "
                + "export AWS_SECRET_ACCESS_KEY=\"$(cat /run/secrets/vault-s3-secret)\"; exec vault server -config=/vault/config/vault.hcl",
        ])
        #expect(service.environment.isEmpty)
        #expect(service.ports.first?.published == 8200 && service.ports.first?.mode == .host)
        #expect(service.routes.first?.subdomain == "vault" && service.routes.first?.port == 8200)
        #expect(service.healthcheck?.test.last?.contains("sealedcode=200") == true)
    }

    @Test("endpoint_mode: dnsrr reaches the generated service without IPVS")
    func endpointMode() throws {
        let stack = try Self.load(server: """
                    image: hashicorp/vault:1.18
                    network: vault
                    storage: {raft: {volume: vault-raft}}
                    endpoint_mode: dnsrr
            """)
        #expect(stack.layers.first?.services.first?.deploy.endpointMode == .dnsrr)
    }

    @Test("raft storage adds the data volume; a transit seal adds its stanza and exports its token")
    func raftAndTransit() throws {
        let stack = try Self.load(server: """
                    image: openbao/openbao:2
                    binary: bao
                    network: vault
                    storage: {raft: {volume: vault-raft}}
                    seal:
                      transit: {address: "https://unsealer:8200", key_name: autounseal, token_secret: vault-s3-id}
            """)
        let edge = try #require(stack.layers.first)
        #expect(edge.volumes.map(\.name) == ["vault-raft"])
        let service = try #require(edge.services.first)
        #expect(service.mounts.first?.source == "vault-raft" && service.mounts.first?.target == "/vault/data")
        #expect(service.command?.first?.hasSuffix("export VAULT_TOKEN=\"$(cat /run/secrets/vault-s3-id)\"; exec bao server -config=/vault/config/vault.hcl") == true)
        #expect(service.deploy.endpointMode == .vip, "Swarm's default unless endpoint_mode says otherwise")
        let hcl = String(decoding: edge.configs.first?.content ?? [], as: UTF8.self)
        #expect(hcl.contains("storage \"raft\" {\n  path    = \"/vault/data\"\n  node_id = \"vault-1\"\n}"))
        #expect(hcl.contains("seal \"transit\" {\n  address    = \"https://unsealer:8200\"\n  key_name   = \"autounseal\"\n  mount_path = \"transit/\"\n}"))
    }

    @Test("errors: missing storage, an undeclared credential secret, an undeclared network, a clashing service", arguments: [
        ("    image: v\n    network: vault\n", "", "`vault.server` needs `storage`"),
        ("    image: v\n    network: vault\n    storage: {s3: {bucket: b, region: r, access_key_secret: nope, secret_key_secret: vault-s3-secret}}\n", "",
         "reads secret `nope`"),
        ("    image: v\n    network: elsewhere\n    storage: {file: {}}\n", "", "names `elsewhere`, which no layer declares"),
        ("    image: v\n    network: vault\n    storage: {file: {}}\n", "services:\n  vault:\n    image: x\n", "already declares"),
        ("    image: v\n    network: vault\n    storage: {s3: {}, raft: {}}\n", "", "must hold exactly one of"),
    ])
    func errors(server: String, edgeExtra: String, message: String) throws {
        let error = #expect(throws: SpecError.self) { try Self.load(server: server, edgeExtra: edgeExtra) }
        #expect(String(describing: error).contains(message), "\(String(describing: error))")
    }

    @Test("OpenBao has no s3 and no file storage: an error at the storage's file:line that says why and points to raft", arguments: [
        ("    image: openbao/openbao:2.7\n    network: vault\n    storage:\n      file: {}\n", "file", "its image `openbao/openbao:2.7`"),
        ("    image: v\n    binary: bao\n    network: vault\n    storage:\n      s3: {bucket: b, region: r, access_key_secret: vault-s3-id, secret_key_secret: vault-s3-secret}\n",
         "s3", "`binary: bao`"),
    ])
    func openBaoStorage(server: String, kind: String, reason: String) throws {
        let error = #expect(throws: SpecError.self) { try Self.load(server: server) }
        let text = String(describing: error)
        // The `storage:` key or the mapping under it (lines of the server block start at 9).
        let storageLine = 9 + (server.split(separator: "\n").firstIndex { $0.contains("storage:") } ?? 0)
        #expect(text.contains("stack.yaml:\(storageLine)") || text.contains("stack.yaml:\(storageLine + 1)"), "names the line of `storage:`: \(text)")
        #expect(text.contains("the server is OpenBao (from \(reason))") && text.contains("no `\(kind)` storage"), "\(text)")
        #expect(text.contains("unknown storage type \(kind)") && text.contains("storage: {raft: {volume: vault-data}}"), "\(text)")
        #expect(text.contains("vault snapshot save"), "points to raft snapshots: \(text)")
    }

    @Test("the server is known from binary, else from the image: an OpenBao image runs bao with raft; HashiCorp's keeps file and s3")
    func flavorFromImage() throws {
        let bao = try Self.load(server: "    image: sprocket-local/openbao:2.7.2\n    network: vault\n    storage: {raft: {volume: vault-data}}\n")
        let service = try #require(bao.layers.first?.services.first)
        #expect(service.command?.first?.hasSuffix("exec bao server -config=/vault/config/vault.hcl") == true)
        #expect(bao.vault?.server?.flavor == .openBao)
        let vault = try Self.load(server: "    image: hashicorp/vault:1.18\n    network: vault\n    storage: {file: {}}\n")
        #expect(vault.vault?.server?.flavor == .hashicorpVault && vault.vault?.server?.binary == "vault")
        #expect(VaultServerSpec.defaultBinary(forImage: "registry.local:5000/openbao@sha256:abc") == "bao")
        #expect(VaultServerSpec.defaultBinary(forImage: "example/openbao-tools:1") == "vault")
    }
}
