/// Reads `vault:` of stack.yaml: the address and layer of the stack's Vault, its KV v2 mounts, ACL policies
/// and scoped tokens.
struct VaultSpecParser {
    let context: SpecParseContext

    static let keys = ["address", "key_file", "layer", "mounts", "policies", "tokens", "server", "unsealer", "renewer"]
    static let tokenKeys = ["policies", "period", "ttl", "renew_within", "consumers"]

    /// `vault: {address, key_file, layer, mounts, policies, tokens, server, unsealer, renewer}`; `address` and `layer`
    /// are required.
    func vault(_ node: YAMLNode) -> VaultSpec? {
        guard let fields = context.fields(node, of: "`vault`", known: Self.keys) else { return nil }
        let address = fields["address"].flatMap { context.string($0, for: "vault.address") }
        let layer = fields["layer"].flatMap { context.string($0, for: "vault.layer") }
        guard let address, !address.isEmpty, let layer, !layer.isEmpty else {
            context.diagnostics.error(
                node.location, "`vault` needs `address` and `layer`",
                hint: "e.g. `vault: {address: \"http://127.0.0.1:8200\", layer: edge}`: the layer after which `up` unseals it")
            return nil
        }
        let mounts = fields["mounts"].map { context.strings($0, for: "vault.mounts") } ?? []
        var vault = VaultSpec(
            address: address, keyFile: fields["key_file"].flatMap { context.string($0, for: "vault.key_file") }, layer: layer,
            mounts: mounts, policies: fields["policies"].map(policies) ?? [], tokens: fields["tokens"].map(tokens) ?? [],
            location: node.location)
        vault.server = fields["server"].flatMap { VaultServerParser(context: context).server($0) }
        let companions = VaultCompanionParser(context: context)
        vault.unsealer = companions.companion(.unsealer, fields["unsealer"], enabledByDefault: false, at: node.location)
        // A stack that runs its own Vault and hands out tokens gets them renewed in the background unless it says no.
        vault.renewer = companions.companion(
            .renewer, fields["renewer"], enabledByDefault: vault.server != nil && !vault.tokens.isEmpty, at: node.location)
        return vault
    }

    /// `policies: {name: [{path, access: [...]}, ...]}`.
    private func policies(_ node: YAMLNode) -> [VaultPolicySpec] {
        guard let entries = context.mapping(node, for: "vault.policies") else { return [] }
        return entries.map { entry in
            let items = context.list(entry.value, for: "vault.policies.\(entry.key)") ?? []
            let rules = items.compactMap { item -> VaultPolicySpec.Rule? in
                guard let fields = context.fields(item, of: "a rule of policy `\(entry.key)`", known: ["path", "access"]),
                    let path = fields["path"].flatMap({ context.string($0, for: "path") })
                else { return nil }
                let access = fields["access"].flatMap { context.list($0, for: "access") }?.compactMap { value -> String? in
                    guard let text = context.string(value, for: "access") else { return nil }
                    if !VaultPolicySpec.accessValues.contains(text) {
                        context.diagnostics.error(
                            value.location, "unknown access `\(text)` in policy `\(entry.key)`",
                            hint: "one of: \(VaultPolicySpec.accessValues.joined(separator: ", "))")
                    }
                    return text
                } ?? []
                if access.isEmpty {
                    context.diagnostics.error(
                        item.location, "a rule of policy `\(entry.key)` grants nothing", hint: "add e.g. `access: [read, list]`")
                }
                return VaultPolicySpec.Rule(path: path, access: access, location: item.location)
            }
            return VaultPolicySpec(name: entry.key, rules: rules, location: entry.keyLocation)
        }
    }

    /// `tokens: {name: {policies, period | ttl, renew_within, consumers}}`.
    private func tokens(_ node: YAMLNode) -> [VaultTokenSpec] {
        guard let entries = context.mapping(node, for: "vault.tokens") else { return [] }
        return entries.compactMap { entry in
            let key = "vault.tokens.\(entry.key)"
            guard let fields = context.fields(entry.value, of: "`\(key)`", known: Self.tokenKeys) else { return nil }
            if !entry.key.allSatisfy({ $0.isLetter && $0.isLowercase || $0.isNumber || $0 == "-" }) {
                context.diagnostics.error(
                    entry.keyLocation, "token name `\(entry.key)` must be lowercase letters, digits and `-`",
                    hint: "it names the Docker secret `vault-token-\(entry.key)`")
            }
            let policies = fields["policies"].map { context.strings($0, for: "\(key).policies", acceptsSingle: true) } ?? []
            if policies.isEmpty {
                context.diagnostics.error(entry.value.location, "`\(key)` has no `policies`",
                                          hint: "name the policies the consumers need, e.g. `policies: [platform-read]`")
            }
            if policies.contains("root") {
                context.diagnostics.error(entry.value.location, "`\(key)` asks for the `root` policy",
                                          hint: "no consumer gets root: declare a policy with the paths it needs under `vault.policies`")
            }
            let period = fields["period"].flatMap { context.duration($0, for: "\(key).period") }
            let ttl = fields["ttl"].flatMap { context.duration($0, for: "\(key).ttl") }
            if period != nil && ttl != nil {
                context.diagnostics.error(entry.value.location, "`\(key)` sets both `period` and `ttl`",
                                          hint: "a periodic token (period) renews forever; a TTL token expires at its max TTL: choose one")
            }
            let renewWithin = fields["renew_within"].flatMap { context.duration($0, for: "\(key).renew_within") }
            let lifetime = period ?? ttl ?? VaultTokenSpec.defaultLifetime
            if let renewWithin, renewWithin >= lifetime {
                // A token always inside its renewal window is renewed by every `up`, and a renewal that leaves less
                // than the window replaces it (VaultTokenKeeper): each run would mint a new token and roll its consumers.
                context.diagnostics.error(
                    fields["renew_within"]?.location ?? entry.value.location,
                    "`\(key).renew_within` (\(renewWithin.goStyle)) is not shorter than the token's lifetime (\(lifetime.goStyle))",
                    hint: "renew when part of the lifetime is left, e.g. a third of it (the default when `renew_within` is absent)")
            }
            let consumers = fields["consumers"].map { context.strings($0, for: "\(key).consumers", acceptsSingle: true) } ?? []
            if consumers.isEmpty {
                context.diagnostics.error(entry.value.location, "`\(key)` has no `consumers`",
                                          hint: "list the services that mount it, e.g. `consumers: [api]`")
            }
            return VaultTokenSpec(
                name: entry.key, policies: policies, period: period, ttl: ttl,
                renewWithin: renewWithin,
                consumers: consumers, location: entry.keyLocation)
        }
    }
}
