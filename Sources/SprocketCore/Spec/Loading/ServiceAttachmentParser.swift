/// The parts of a service that point at other things: `networks`, `secrets`, `configs`, plus `ulimits`.
struct ServiceAttachmentParser {
    let context: SpecParseContext

    /// A list of network names, or a mapping name -> `{aliases: [...]}` (or nothing).
    func networks(_ node: YAMLNode) -> [NetworkAttachment] {
        if let items = node.sequence {
            return items.compactMap { item in
                context.string(item, for: "networks").map { NetworkAttachment(name: $0, location: item.location) }
            }
        }
        guard let entries = context.mapping(node, for: "networks") else { return [] }
        return entries.map { entry in
            var attachment = NetworkAttachment(name: entry.key, location: entry.keyLocation)
            if let fields = context.fields(entry.value, of: "network `\(entry.key)` of the service", known: ["aliases"],
                                           unsupported: ComposeCompatibility.serviceNetworkKeys),
                let aliases = fields["aliases"]
            {
                attachment.aliases = context.strings(aliases, for: "aliases")
            }
            return attachment
        }
    }

    /// `secrets:`/`configs:` of a service: names, or `{source, target, uid, gid, mode}`.
    func fileReferences(_ node: YAMLNode, for key: String) -> [FileReference] {
        guard let items = context.list(node, for: key) else { return [] }
        return items.compactMap { item in
            if item.scalar != nil {
                return context.string(item, for: key).map { FileReference(source: $0, location: item.location) }
            }
            guard item.mapping != nil,
                let fields = context.fields(item, of: "an entry of `\(key)`", known: ["source", "target", "uid", "gid", "mode"])
            else {
                if item.mapping == nil { context.typeError(item, expected: "a name or a mapping", for: key) }
                return nil
            }
            guard let sourceNode = fields["source"], let source = context.string(sourceNode, for: "\(key).source") else {
                if fields["source"] == nil {
                    context.diagnostics.error(item.location, "an entry of `\(key)` has no `source`",
                                              hint: "name the \(key == "secrets" ? "secret" : "config") with `source:`")
                }
                return nil
            }
            var reference = FileReference(source: source, location: item.location)
            reference.target = context.optionalString(fields["target"], for: "\(key).target")
            reference.uid = context.optionalString(fields["uid"], for: "\(key).uid")
            reference.gid = context.optionalString(fields["gid"], for: "\(key).gid")
            reference.mode = fields["mode"].flatMap {
                context.value($0, for: "\(key).mode", expected: "a file mode", ScalarParsers.fileMode)
            }
            return reference
        }
    }

    /// A mapping name -> limit (soft = hard) or `{soft, hard}`.
    func ulimits(_ node: YAMLNode) -> [Ulimit] {
        guard let entries = context.mapping(node, for: "ulimits") else { return [] }
        return entries.compactMap { entry in
            let key = "ulimits.\(entry.key)"
            if entry.value.scalar != nil {
                return context.int64(entry.value, for: key).map { Ulimit(name: entry.key, soft: $0, hard: $0) }
            }
            guard let fields = context.fields(entry.value, of: "`\(key)`", known: ["soft", "hard"]) else { return nil }
            guard let softNode = fields["soft"], let hardNode = fields["hard"] else {
                context.diagnostics.error(entry.value.location, "`\(key)` needs both `soft` and `hard`",
                                          hint: "write `{soft: N, hard: M}`, or a single number for both")
                return nil
            }
            guard let soft = context.int64(softNode, for: "\(key).soft"), let hard = context.int64(hardNode, for: "\(key).hard") else {
                return nil
            }
            return Ulimit(name: entry.key, soft: soft, hard: hard)
        }
    }
}
