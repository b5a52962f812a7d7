/// A layer's `configs:` (whose content the loader reads or renders now) and `secrets:` (whose values
/// are only located here and read later by the secret resolver).
struct ConfigSecretParser {
    let context: SpecParseContext
    let origin: SpecFileOrigin
    let settings: Settings

    static let configSources = ["file", "content", "template", "template_content", "generated", "external"]
    static let secretSources = ["file", "environment", "generate", "external", "local", "source"]

    /// What configs and secrets share: one source key, labels, and the real name of an external one.
    private struct Declaration {
        var source: YAMLEntry
        var labels: [String: String]
        var externalName: String?
    }

    func configs(_ node: YAMLNode) -> [ConfigSpec] {
        declarations(node, kind: "config", sources: Self.configSources, unsupported: ComposeCompatibility.configKeys).map { entry, declaration in
            var config = ConfigSpec(name: entry.key, source: .content, content: [], location: entry.keyLocation)
            guard let declaration else { return config }
            let source = declaration.source
            config.labels = declaration.labels
            switch source.key {
            case "file":
                guard let path = context.string(source.value, for: "file") else { break }
                config.source = .file(path: origin.absolute(path))
                config.content = exists(path, what: "config file", at: source.value.location) ? readBytes(path, at: source.value.location) : nil
            case "content":
                config.content = context.string(source.value, for: "content").map { Array($0.utf8) }
            case "template":
                guard let path = context.string(source.value, for: "template") else { break }
                config.source = .template(path: origin.absolute(path))
                config.content = renderFile(path, at: source.value.location).map { Array($0.utf8) }
            case "template_content":
                config.source = .templateContent
                config.content = context.string(source.value, for: "template_content")
                    .flatMap { TemplateRenderer.render($0, settings: settings, origin: source.value.location, diagnostics: context.diagnostics) }
                    .map { Array($0.utf8) }
            case "generated":
                // The content needs the whole spec (`routing:`): the loader fills it in once the stack is complete.
                let kinds = ConfigSpec.GeneratedConfig.allCases.map(\.rawValue)
                guard let text = context.string(source.value, for: "generated") else { break }
                guard let kind = ConfigSpec.GeneratedConfig(rawValue: text) else {
                    context.diagnostics.error(source.value.location, "unknown generated config `\(text)`",
                                              hint: "one of: \(kinds.joined(separator: ", "))")
                    break
                }
                config.source = .generated(kind)
            default:
                config.source = .external(name: declaration.externalName ?? entry.key)
                config.content = nil
            }
            return config
        }
    }

    func secrets(_ node: YAMLNode) -> [SecretSpec] {
        declarations(node, kind: "secret", sources: Self.secretSources, unsupported: ComposeCompatibility.secretKeys).map { entry, declaration in
            var secret = SecretSpec(name: entry.key, source: .environment(variable: ""), location: entry.keyLocation)
            guard let declaration else { return secret }
            let source = declaration.source
            secret.labels = declaration.labels
            KeyPathLocations.collect(source.value, at: source.key, into: &secret.keyLocations)
            switch source.key {
            case "file":
                let path = context.string(source.value, for: "file")
                secret.source = .file(path: origin.absolute(path ?? ""))
                // Read only by `up`; checked now so that `validate` and `plan --offline` fail on a wrong path.
                if let path { _ = exists(path, what: "the file", of: "secret `\(entry.key)`", at: source.value.location) }
            case "environment":
                secret.source = .environment(variable: context.string(source.value, for: "environment") ?? "")
            case "generate":
                let (length, alphabet) = generate(source.value)
                secret.source = .generate(length: length, alphabet: alphabet)
            case "local", "source":
                secret.source = .local(name: localName(source, secret: entry.key))
            default:
                secret.source = .external(name: declaration.externalName ?? entry.key)
            }
            return secret
        }
    }

    /// Each entry of `configs:`/`secrets:` with its shared parts; nil when its fields or source are unusable.
    private func declarations(
        _ node: YAMLNode, kind: String, sources: [String], unsupported: [String: UnsupportedComposeKey]
    ) -> [(entry: YAMLEntry, declaration: Declaration?)] {
        guard let entries = context.mapping(node, for: "\(kind)s") else { return [] }
        return entries.map { entry in
            guard let fields = context.fields(entry.value, of: "\(kind) `\(entry.key)`", known: sources + ["name", "labels"],
                                              unsupported: unsupported),
                let source = singleSource(fields, of: entry, kind: kind, sources: sources)
            else { return (entry, nil) }
            let labels = fields["labels"].map { KeyValueParser(context: context).dictionary($0, for: "labels") } ?? [:]
            return (entry, Declaration(source: source, labels: labels, externalName: externalName(fields, of: entry, source: source, kind: kind)))
        }
    }

    /// Exactly one source key; none or several is an error at the resource's name.
    private func singleSource(_ fields: SpecFields, of entry: YAMLEntry, kind: String, sources: [String]) -> YAMLEntry? {
        let present = sources.compactMap { fields.entries[$0] }
        guard present.count == 1, let source = present.first else {
            let found = present.isEmpty ? "none" : SpecSuggestions.list(present.map(\.key))
            context.diagnostics.error(entry.keyLocation, "\(kind) `\(entry.key)` needs exactly one of \(SpecSuggestions.list(sources)), found \(found)",
                                      hint: present.isEmpty ? "say where the \(kind) comes from, e.g. `file: ./\(entry.key)`" : "keep one source")
            return nil
        }
        return source
    }

    /// The real name of an external config or secret; also reports `name:` without `external: true`
    /// and `external: false` given as the only source.
    private func externalName(_ fields: SpecFields, of entry: YAMLEntry, source: YAMLEntry, kind: String) -> String? {
        let name = ResourceParser(context: context).externalName(fields, of: entry, kind: kind)
        if source.key == "external", name == nil, fields["external"]?.scalar.flatMap({ ScalarParsers.boolean($0.text) }) == false {
            context.diagnostics.error(source.keyLocation, "\(kind) `\(entry.key)` has `external: false` and no other source",
                                      hint: "remove `external: false` and say where the \(kind) comes from")
        }
        return name
    }

    /// `local: true` (the store name is the secret's), `local: NAME`, or `source: local` (the only `source:` so far).
    private func localName(_ source: YAMLEntry, secret: String) -> String {
        guard let text = context.string(source.value, for: source.key) else { return secret }
        if source.key == "source" {
            if text != "local" {
                context.diagnostics.error(source.value.location, "unknown secret source `\(text)`",
                                          hint: "`source: local`, or one of `file:`, `environment:`, `generate:`, `external:`, `local:`")
            }
            return secret
        }
        switch ScalarParsers.boolean(text) {
        case true?: return secret
        case false?:
            context.diagnostics.error(source.value.location, "`local: false` names no local secret",
                                      hint: "write `local: true` (the store name is the secret's) or `local: NAME`")
            return secret
        case nil: return text
        }
    }

    /// `generate: true`, or `{length, alphabet}`; range checks are the validator's.
    private func generate(_ node: YAMLNode) -> (Int, SecretAlphabet) {
        var length = SecretAlphabet.defaultLength
        var alphabet = SecretAlphabet.alphanumeric
        if node.scalar != nil {
            if context.boolean(node, for: "generate") == false {
                context.diagnostics.error(node.location, "`generate: false` generates nothing",
                                          hint: "write `generate: true`, or choose another source")
            }
            return (length, alphabet)
        }
        guard let fields = context.fields(node, of: "`generate`", known: ["length", "alphabet"]) else { return (length, alphabet) }
        if let node = fields["length"] { length = context.integer(node, for: "generate.length") ?? length }
        if let node = fields["alphabet"], let text = context.string(node, for: "generate.alphabet") {
            let named: [SecretAlphabet] = [.alphanumeric, .hex, .base64url, .asciiPrintable]
            if let match = named.first(where: { $0.specName == text }) {
                alphabet = match
            } else {
                alphabet = .custom(text)
                if let suggestion = SpecSuggestions.closest(to: text, in: named.map(\.specName)) {
                    context.diagnostics.warning(node.location, "alphabet `\(text)` is taken as a literal set of characters",
                                                hint: "did you mean `\(suggestion)`?")
                }
            }
        }
        return (length, alphabet)
    }

    private func exists(_ path: String, what: String, of owner: String? = nil, at location: SourceLocation) -> Bool {
        ReferencedFile.exists(path, what: what, of: owner, writtenAt: location, in: origin, diagnostics: context.diagnostics)
    }

    private func readBytes(_ path: String, at location: SourceLocation) -> [UInt8]? {
        guard let bytes = SpecFiles.bytes(at: origin.absolute(path)) else {
            context.diagnostics.error(location, "config file `\(origin.display(path))` does not exist or cannot be read",
                                      hint: "paths are relative to the file that declares the config")
            return nil
        }
        return bytes
    }

    private func renderFile(_ path: String, at location: SourceLocation) -> String? {
        let display = origin.display(path)
        guard exists(path, what: "template", at: location), let template = SpecFiles.text(at: origin.absolute(path), displayPath: display, reportingAt: location,
                                            what: "template", diagnostics: context.diagnostics)
        else { return nil }
        return TemplateRenderer.render(template, settings: settings, origin: SourceLocation(file: display, line: 1, column: 1),
                                       diagnostics: context.diagnostics)
    }
}
