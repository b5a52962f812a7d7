/// A service's `volumes:`: the short form `SOURCE:TARGET[:MODE]` or `TARGET`, or the long form
/// `{type, source, target, read_only}`.
struct MountParser {
    let context: SpecParseContext

    func mounts(_ node: YAMLNode) -> [MountSpec] {
        guard let items = context.list(node, for: "volumes") else { return [] }
        return items.compactMap { item in
            if item.scalar != nil { return short(item) }
            if item.mapping != nil { return long(item) }
            context.typeError(item, expected: "a string or a mapping", for: "volumes")
            return nil
        }
    }

    /// `data:/var/lib/data:ro`, `/srv/www:/usr/share/nginx/html`, `/tmp/cache` (anonymous volume).
    ///
    /// A source that looks like a path (`/`, `.`, `~`) is a bind mount; relative ones are kept so the
    /// validator can say that Swarm needs absolute host paths.
    private func short(_ item: YAMLNode) -> MountSpec? {
        guard let text = context.string(item, for: "volumes") else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            context.diagnostics.error(item.location, "invalid volume `\(text)`",
                                      hint: "write `SOURCE:TARGET`, `SOURCE:TARGET:ro` or `TARGET`")
            return nil
        }
        if parts.count == 1 { return MountSpec(kind: .volume, source: nil, target: parts[0], location: item.location) }
        var readOnly = false
        if parts.count == 3 {
            let options = parts[2].split(separator: ",").map(String.init)
            for option in options {
                switch option {
                case "ro": readOnly = true
                case "rw", "z", "Z", "nocopy", "cached", "delegated", "consistent": continue
                default:
                    context.diagnostics.error(item.location, "unknown volume option `\(option)` in `\(text)`",
                                              hint: SpecSuggestions.hint(for: option, in: ["ro", "rw"], otherwise: "use `ro` or `rw`"))
                }
            }
        }
        let source = parts[0]
        let isPath = source.hasPrefix("/") || source.hasPrefix(".") || source.hasPrefix("~")
        return MountSpec(kind: isPath ? .bind : .volume, source: source, target: parts[1], readOnly: readOnly, location: item.location)
    }

    private func long(_ item: YAMLNode) -> MountSpec? {
        guard let fields = context.fields(item, of: "a volume mount", known: ["type", "source", "target", "read_only"],
                                          unsupported: ComposeCompatibility.mountKeys)
        else { return nil }
        var kind = MountSpec.Kind.volume
        if let node = fields["type"] {
            kind = context.choice(node, for: "volumes.type", as: MountSpec.Kind.self, allowed: [.volume, .bind, .tmpfs]) ?? .volume
        }
        let source = context.optionalString(fields["source"], for: "volumes.source")
        guard let targetNode = fields["target"], let target = context.string(targetNode, for: "volumes.target") else {
            if fields["target"] == nil {
                context.diagnostics.error(item.location, "a volume mount has no `target`",
                                          hint: "set `target:` to the path inside the container")
            }
            return nil
        }
        if kind == .bind, source == nil {
            context.diagnostics.error(item.location, "a bind mount has no `source`", hint: "set `source:` to an absolute host path")
        }
        if kind == .tmpfs, let source, let node = fields["source"] {
            context.diagnostics.error(node.location, "a tmpfs mount takes no `source` (found `\(source)`)", hint: "remove `source:`")
        }
        let readOnly = fields["read_only"].flatMap { context.boolean($0, for: "volumes.read_only") } ?? false
        return MountSpec(kind: kind, source: kind == .tmpfs ? nil : source, target: target, readOnly: readOnly, location: item.location)
    }
}
