/// The file a parser is reading, for resolving the relative paths written in it.
struct SpecFileOrigin {
    /// As shown to users (`examples/quickstart/layers/data.yaml`).
    var displayPath: String
    /// Absolute, for reading.
    var absolutePath: String

    /// `path` resolved against this file's folder for reading (absolute paths stay).
    func absolute(_ path: String) -> String {
        SpecFiles.isAbsolute(path) ? SpecFiles.absolute(path, from: "/") : SpecFiles.absolute(path, from: SpecFiles.directory(of: absolutePath))
    }

    /// `path` resolved against this file's folder for messages.
    func display(_ path: String) -> String {
        SpecFiles.join(SpecFiles.directory(of: displayPath), path)
    }
}

/// A layer's `networks:` and `volumes:`.
struct ResourceParser {
    let context: SpecParseContext

    static let networkKeys = ["driver", "attachable", "internal", "driver_opts", "labels", "external", "name"]
    static let volumeKeys = ["driver", "driver_opts", "labels", "external", "name"]

    func networks(_ node: YAMLNode) -> [NetworkSpec] {
        guard let entries = context.mapping(node, for: "networks") else { return [] }
        return entries.map { entry in
            var network = NetworkSpec(name: entry.key, location: entry.keyLocation)
            guard let fields = context.fields(entry.value, of: "network `\(entry.key)`", known: Self.networkKeys,
                                              unsupported: ComposeCompatibility.networkKeys)
            else { return network }
            network.externalName = externalName(fields, of: entry, kind: "network")
            if let node = fields["driver"] { network.driver = context.string(node, for: "driver") ?? network.driver }
            network.attachable = fields["attachable"].flatMap { context.boolean($0, for: "attachable") } ?? false
            network.isInternal = fields["internal"].flatMap { context.boolean($0, for: "internal") } ?? false
            let keyValues = KeyValueParser(context: context)
            if let node = fields["driver_opts"] { network.driverOptions = keyValues.dictionary(node, for: "driver_opts", listAllowed: false) }
            if let node = fields["labels"] { network.labels = keyValues.dictionary(node, for: "labels") }
            return network
        }
    }

    func volumes(_ node: YAMLNode) -> [VolumeSpec] {
        guard let entries = context.mapping(node, for: "volumes") else { return [] }
        return entries.map { entry in
            var volume = VolumeSpec(name: entry.key, location: entry.keyLocation)
            guard let fields = context.fields(entry.value, of: "volume `\(entry.key)`", known: Self.volumeKeys) else { return volume }
            volume.externalName = externalName(fields, of: entry, kind: "volume")
            if let node = fields["driver"] { volume.driver = context.string(node, for: "driver") ?? volume.driver }
            let keyValues = KeyValueParser(context: context)
            if let node = fields["driver_opts"] { volume.driverOptions = keyValues.dictionary(node, for: "driver_opts", listAllowed: false) }
            if let node = fields["labels"] { volume.labels = keyValues.dictionary(node, for: "labels") }
            return volume
        }
    }

    /// `external: true` (with an optional `name:`), or Compose's older `external: {name: x}`.
    ///
    /// - Returns: the real name of an external object, nil for one the stack creates.
    func externalName(_ fields: SpecFields, of entry: YAMLEntry, kind: String) -> String? {
        let nameNode = fields.entries["name"]
        let name = nameNode.flatMap { context.string($0.value, for: "name") }
        var isExternal = false
        var legacyName: String?
        if let node = fields["external"] {
            if node.mapping != nil, let legacy = context.fields(node, of: "`external`", known: ["name"]) {
                isExternal = true
                legacyName = legacy["name"].flatMap { context.string($0, for: "external.name") }
            } else {
                isExternal = context.boolean(node, for: "external") ?? false
            }
        }
        guard isExternal else {
            if let nameNode {
                context.diagnostics.error(nameNode.keyLocation, "`name` of \(kind) `\(entry.key)` is only allowed with `external: true`",
                                          hint: "sprocketctl names objects `<stack>-<env>_\(entry.key)`; rename the key instead")
            }
            return nil
        }
        let managed = fields.entries.values.filter { !["external", "name"].contains($0.key) }
        for ignored in managed.sorted(by: { $0.keyLocation.line < $1.keyLocation.line }) {
            context.diagnostics.warning(ignored.keyLocation, "`\(ignored.key)` is ignored for the external \(kind) `\(entry.key)`",
                                        hint: "an external \(kind) is used as it is; remove `\(ignored.key)`")
        }
        return legacyName ?? name ?? entry.key
    }
}
