/// Reads `vault.server`: the Vault service to generate (image, network, storage, seal, route).
struct VaultServerParser {
    let context: SpecParseContext

    static let keys = ["name", "image", "binary", "network", "publish", "ui", "route", "storage", "seal", "endpoint_mode"]
    static let s3Keys = ["bucket", "endpoint", "region", "path", "path_style", "access_key_secret", "secret_key_secret"]
    static let transitKeys = ["address", "key_name", "mount_path", "token_secret"]
    static let kmsKeys = ["region", "kms_key_id", "access_key_secret", "secret_key_secret"]

    func server(_ node: YAMLNode) -> VaultServerSpec? {
        guard let fields = context.fields(node, of: "`vault.server`", known: Self.keys) else { return nil }
        let image = required(fields["image"], "vault.server.image", at: node, example: "image: hashicorp/vault:1.18")
        let network = required(fields["network"], "vault.server.network", at: node, example: "network: vault")
        let storage = fields["storage"].flatMap(storage) ?? {
            context.diagnostics.error(node.location, "`vault.server` needs `storage`",
                                      hint: "`storage: {s3: {...}}` for production, or `storage: {raft: {volume: vault-data}}` locally")
            return nil
        }()
        guard let image, let network, let storage else { return nil }
        var server = VaultServerSpec(image: image, network: network, storage: storage, location: node.location)
        if let name = fields["name"].flatMap({ context.string($0, for: "vault.server.name") }) { server.name = name }
        if let binary = fields["binary"] {
            server.binary = context.choice(binary, for: "vault.server.binary", as: VaultBinary.self, allowed: VaultBinary.allCases)?.rawValue ?? "vault"
        } else {
            server.binary = VaultServerSpec.defaultBinary(forImage: image)
        }
        checkStorage(of: server, at: fields["storage"] ?? node)
        server.publish = fields["publish"].flatMap { context.integer($0, for: "vault.server.publish") }
        if let publish = server.publish, !(1...65535).contains(publish) {
            context.diagnostics.error(fields["publish"]?.location ?? node.location, "`vault.server.publish` \(publish) is not a port",
                                      hint: "a host port from 1 to 65535, e.g. 8200")
        }
        server.ui = fields["ui"].flatMap { context.boolean($0, for: "vault.server.ui") } ?? true
        if let route = fields["route"], let routeFields = context.fields(route, of: "`vault.server.route`", known: ["subdomain"]) {
            server.routeSubdomain = routeFields["subdomain"].flatMap { context.string($0, for: "vault.server.route.subdomain") }
        }
        server.seal = fields["seal"].flatMap(seal)
        if let mode = fields["endpoint_mode"] {
            server.endpointMode = context.choice(
                mode, for: "vault.server.endpoint_mode", as: DeploySpec.EndpointMode.self, allowed: [.vip, .dnsrr]) ?? .vip
        }
        return server
    }

    /// The storage must be one the server has: OpenBao has no `s3` and no `file` (its task would crash-loop with
    /// `unknown storage type`). Its data stays off the bucket by raft snapshots instead (docs/openbao.md).
    private func checkStorage(of server: VaultServerSpec, at node: YAMLNode) {
        guard !server.flavor.supports(server.storage) else { return }
        let fromImage = VaultServerSpec.defaultBinary(forImage: server.image) == "bao"
        let how = fromImage ? "its image `\(server.image)`" : "`binary: bao`"
        context.diagnostics.error(
            node.location,
            "`vault.server.storage.\(server.storageKind)`: the server is OpenBao (from \(how)), which has no "
                + "`\(server.storageKind)` storage (OpenBao 2.x has only `raft` and `postgresql`); its task would "
                + "crash-loop with `unknown storage type \(server.storageKind)`",
            hint: "use `storage: {raft: {volume: vault-data}}`; to keep a copy off the server (in the bucket the s3 storage "
                + "used), take raft snapshots: `sprocketctl vault snapshot save s3://BUCKET/KEY?endpoint=…` or a FILE "
                + "(docs/openbao.md). Or run HashiCorp Vault (`binary: vault` with its image) if you need "
                + "`\(server.storageKind)` storage")
    }

    enum VaultBinary: String, CaseIterable {
        case vault, bao
    }

    /// `storage: {s3: {...}}`, `{raft: {volume}}` or `{file: {volume}}`: exactly one.
    private func storage(_ node: YAMLNode) -> VaultServerSpec.Storage? {
        guard let (kind, body) = single(node, "vault.server.storage", kinds: ["s3", "raft", "file"]) else { return nil }
        switch kind {
        case "s3":
            guard let fields = context.fields(body, of: "`vault.server.storage.s3`", known: Self.s3Keys) else { return nil }
            let key = "vault.server.storage.s3"
            guard let bucket = required(fields["bucket"], "\(key).bucket", at: body, example: "bucket: ${vault_bucket}"),
                let region = required(fields["region"], "\(key).region", at: body, example: "region: fra1"),
                let access = required(fields["access_key_secret"], "\(key).access_key_secret", at: body, example: "access_key_secret: vault-s3-key-id"),
                let secret = required(fields["secret_key_secret"], "\(key).secret_key_secret", at: body, example: "secret_key_secret: vault-s3-secret")
            else { return nil }
            return .s3(
                bucket: bucket, endpoint: text(fields["endpoint"], "\(key).endpoint"), region: region, path: text(fields["path"], "\(key).path"),
                pathStyle: fields["path_style"].flatMap { context.boolean($0, for: "\(key).path_style") } ?? false,
                accessKeySecret: access, secretKeySecret: secret)
        default:
            let fields = body.isNull ? nil : context.fields(body, of: "`vault.server.storage.\(kind)`", known: ["volume"])
            let volume = text(fields?["volume"], "vault.server.storage.\(kind).volume") ?? "vault-data"
            return kind == "raft" ? .raft(volume: volume) : .file(volume: volume)
        }
    }

    private func seal(_ node: YAMLNode) -> VaultServerSpec.Seal? {
        guard let (kind, body) = single(node, "vault.server.seal", kinds: ["transit", "awskms"]) else { return nil }
        let key = "vault.server.seal.\(kind)"
        if kind == "transit" {
            guard let fields = context.fields(body, of: "`\(key)`", known: Self.transitKeys),
                let address = required(fields["address"], "\(key).address", at: body, example: "address: https://vault-transit:8200"),
                let keyName = required(fields["key_name"], "\(key).key_name", at: body, example: "key_name: autounseal"),
                let token = required(fields["token_secret"], "\(key).token_secret", at: body, example: "token_secret: vault-transit-token")
            else { return nil }
            return .transit(address: address, keyName: keyName, mountPath: text(fields["mount_path"], "\(key).mount_path") ?? "transit/", tokenSecret: token)
        }
        guard let fields = context.fields(body, of: "`\(key)`", known: Self.kmsKeys),
            let region = required(fields["region"], "\(key).region", at: body, example: "region: eu-central-1"),
            let keyID = required(fields["kms_key_id"], "\(key).kms_key_id", at: body, example: "kms_key_id: ${kms_key}")
        else { return nil }
        let access = text(fields["access_key_secret"], "\(key).access_key_secret")
        let secret = text(fields["secret_key_secret"], "\(key).secret_key_secret")
        if (access == nil) != (secret == nil) {
            context.diagnostics.error(body.location, "`\(key)` names only one of `access_key_secret` and `secret_key_secret`",
                                      hint: "give both, or neither to use the node's instance role")
        }
        return .awskms(region: region, kmsKeyID: keyID, accessKeySecret: access, secretKeySecret: secret)
    }

    /// A mapping with exactly one key among `kinds`.
    private func single(_ node: YAMLNode, _ key: String, kinds: [String]) -> (String, YAMLNode)? {
        guard let entries = context.mapping(node, for: key) else { return nil }
        guard entries.count == 1, let entry = entries.first, kinds.contains(entry.key) else {
            context.diagnostics.error(node.location, "`\(key)` must hold exactly one of \(kinds.map { "`\($0)`" }.joined(separator: ", "))",
                                      hint: "e.g. `\(key): {\(kinds[0]): {...}}`")
            return nil
        }
        return (entry.key, entry.value)
    }

    private func required(_ node: YAMLNode?, _ key: String, at parent: YAMLNode, example: String) -> String? {
        guard let value = text(node, key) else {
            context.diagnostics.error(parent.location, "`\(key)` is required", hint: "e.g. `\(example)`")
            return nil
        }
        return value
    }

    private func text(_ node: YAMLNode?, _ key: String) -> String? {
        node.flatMap { context.string($0, for: key) }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
