/// Reads a layer file (or the body of a plain Compose file) into a ``LayerSpec``.
struct LayerParser {
    let context: SpecParseContext
    let settings: Settings

    enum Mode {
        /// A layer file of a stack folder.
        case layer
        /// A plain Compose file read as the single layer `main`.
        case compose
    }

    static let resourceKeys = ["networks", "volumes", "configs", "secrets", "services"]

    func parse(_ root: YAMLNode, name: String, origin: SpecFileOrigin, location: SourceLocation, mode: Mode) -> LayerSpec {
        var layer = LayerSpec(name: name, location: location)
        let known = mode == .layer ? ["needs", "timeout", "gate"] + Self.resourceKeys : Self.resourceKeys
        // Compose's `name:` is the stack name, read by the loader before settings exist.
        let ignored: Set<String> = mode == .layer ? ["version"] : ["version", "name"]
        guard root.mapping != nil else {
            context.diagnostics.error(root.location, "expected a mapping at the top of `\(origin.displayPath)`, found \(root.kindDescription)",
                                      hint: mode == .layer ? "a layer file has keys such as `needs:` and `services:`" : "a Compose file has `services:`")
            return layer
        }
        guard let fields = context.fields(root, of: "`\(origin.displayPath)`", known: known, ignored: ignored,
                                          unsupported: mode == .compose ? ComposeCompatibility.topLevelKeys : [:])
        else { return layer }
        if let node = fields["needs"] { layer.needs = needs(node) }
        if let node = fields["timeout"] {
            layer.timeout = context.duration(node, for: "timeout") ?? layer.timeout
            layer.timeoutLocation = node.location
        }
        let resources = ResourceParser(context: context)
        if let node = fields["networks"] { layer.networks = resources.networks(node) }
        if let node = fields["volumes"] { layer.volumes = resources.volumes(node) }
        let configsAndSecrets = ConfigSecretParser(context: context, origin: origin, settings: settings)
        if let node = fields["configs"] { layer.configs = configsAndSecrets.configs(node) }
        if let node = fields["secrets"] { layer.secrets = configsAndSecrets.secrets(node) }
        if let node = fields["services"], let entries = context.mapping(node, for: "services") {
            let parser = ServiceParser(context: context, origin: origin)
            layer.services = entries.map(parser.parse)
        }
        if let node = fields["gate"] { layer.gate = CheckListParser(context: context).checks(node, owner: .gate) }
        return layer
    }

    /// `needs: [edge, data]`, or a single name.
    private func needs(_ node: YAMLNode) -> [LayerReference] {
        if let scalar = node.scalar, !scalar.isNull {
            return context.string(node, for: "needs").map { [LayerReference(name: $0, location: node.location)] } ?? []
        }
        guard let items = context.list(node, for: "needs") else { return [] }
        return items.compactMap { item in
            context.string(item, for: "needs").map { LayerReference(name: $0, location: item.location) }
        }
    }
}
