/// Reads `vault.unsealer` and `vault.renewer`: `true`, `false`, or `{interval, image, address, network, layer}`.
struct VaultCompanionParser {
    let context: SpecParseContext

    static let keys = ["interval", "image", "address", "network", "layer"]

    /// The companion `node` asks for; `enabledByDefault` is what an absent key means.
    func companion(_ role: VaultCompanionSpec.Role, _ node: YAMLNode?, enabledByDefault: Bool, at anchor: SourceLocation) -> VaultCompanionSpec? {
        let key = "vault.\(role.rawValue)"
        guard let node else { return enabledByDefault ? VaultCompanionSpec(role: role, location: anchor) : nil }
        if let scalar = node.scalar, !scalar.isNull {
            guard let enabled = context.boolean(node, for: key) else { return nil }
            return enabled ? VaultCompanionSpec(role: role, location: node.location) : nil
        }
        guard let fields = context.fields(node, of: "`\(key)`", known: Self.keys) else { return nil }
        var companion = VaultCompanionSpec(role: role, location: node.location)
        if let interval = fields["interval"].flatMap({ context.duration($0, for: "\(key).interval") }) {
            if interval < .milliseconds(100) || interval > .seconds(3600) {
                context.diagnostics.error(fields["interval"]?.location ?? node.location, "`\(key).interval` must be from 100ms to 1h",
                                          hint: "e.g. `interval: \(role == .unsealer ? "2s" : "1m")`")
            }
            companion.interval = interval
        }
        if let image = fields["image"].flatMap({ context.string($0, for: "\(key).image") }) { companion.image = image }
        companion.address = fields["address"].flatMap { context.string($0, for: "\(key).address") }
        companion.network = fields["network"].flatMap { context.string($0, for: "\(key).network") }
        companion.layer = fields["layer"].flatMap { context.string($0, for: "\(key).layer") }
        return companion
    }
}
