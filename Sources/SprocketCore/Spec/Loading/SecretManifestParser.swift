/// Reads `secrets:` (and the `doppler:` defaults) of stack.yaml into a ``SecretManifest``.
///
/// ```yaml
/// doppler: {project: platform, config: prd}         # source: local reads the same names from the local store
/// secrets:
///   google-client-secret:
///     doppler: {name: GOOGLE_CLIENT_SECRET}        # or environment: VAR | file: PATH | generate: {length: 48}
///     vault: platform/${env}/oauth/google#client_secret
///     consumers:
///       - {service: api, target: /app/secret/google.txt}
///       - worker                                    # mounted at /run/secrets/<name>
/// ```
struct SecretManifestParser {
    let context: SpecParseContext
    let origin: SpecFileOrigin

    static let entryKeys = ["doppler", "environment", "file", "generate", "local", "vault", "consumers"]
    static let sourceKeys = ["doppler", "environment", "file", "generate", "local"]

    /// Parses `secrets:` with the defaults of `doppler:`; either node may be absent.
    func manifest(secrets: YAMLNode?, doppler: YAMLNode?) -> SecretManifest {
        var manifest = SecretManifest()
        if let doppler, let fields = context.fields(doppler, of: "`doppler`", known: ["project", "config", "source"]) {
            manifest.dopplerProject = fields["project"].flatMap { context.string($0, for: "doppler.project") }
            manifest.dopplerConfig = fields["config"].flatMap { context.string($0, for: "doppler.config") }
            if let node = fields["source"], let text = context.string(node, for: "doppler.source") {
                if let source = SecretManifest.DopplerSource(rawValue: text) {
                    manifest.dopplerSource = source
                } else {
                    context.diagnostics.error(
                        node.location, "`doppler.source` is `\(text)`",
                        hint: "`doppler` (the default: read Doppler with DOPPLER_TOKEN) or `local` (the local encrypted store, "
                            + "each secret under its Doppler name: `sprocketctl secrets set NAME`)")
                }
            }
        }
        guard let secrets, let entries = context.mapping(secrets, for: "secrets") else { return manifest }
        manifest.entries = entries.compactMap(entry)
        if manifest.dopplerSource == .local {
            for index in manifest.entries.indices {
                if case .doppler(_, _, let name) = manifest.entries[index].source { manifest.entries[index].source = .local(name: name) }
            }
        }
        return manifest
    }

    private func entry(_ entry: YAMLEntry) -> SecretManifestEntry? {
        let key = "secrets.\(entry.key)"
        if !SecretManifestParser.isValidName(entry.key) {
            context.diagnostics.error(
                entry.keyLocation, "secret name `\(entry.key)` must be lowercase letters, digits, `-` and `_`",
                hint: "it names the Docker secret `<stack>-<env>_\(entry.key.lowercased())_<hash>`")
        }
        guard let fields = context.fields(entry.value, of: "`\(key)`", known: Self.entryKeys) else { return nil }
        let present = Self.sourceKeys.filter { fields[$0] != nil }
        guard present.count == 1, let sourceKey = present.first, let sourceNode = fields[sourceKey] else {
            context.diagnostics.error(
                entry.value.location,
                present.isEmpty ? "`\(key)` has no source" : "`\(key)` has several sources: \(present.joined(separator: ", "))",
                hint: "give exactly one of `doppler: {name: NAME}`, `environment: VAR`, `file: PATH`, `generate: {length: 32}`, `local: NAME`")
            return nil
        }
        guard let source = source(sourceKey, sourceNode, key: key) else { return nil }
        let vault = fields["vault"].flatMap { vaultLocation($0, key: key) }
        let consumers = fields["consumers"].map { self.consumers($0, secret: entry.key, key: key) } ?? []
        // No consumers is allowed only for credentials the tool itself uses (postgres, s3): checked by the wiring,
        // once those sections are read.
        return SecretManifestEntry(name: entry.key, source: source, vault: vault, consumers: consumers, location: entry.keyLocation)
    }

    private func source(_ kind: String, _ node: YAMLNode, key: String) -> SecretSpec.Source? {
        switch kind {
        case "doppler":
            guard let fields = context.fields(node, of: "`\(key).doppler`", known: ["project", "config", "name"]) else { return nil }
            guard let name = fields["name"].flatMap({ context.string($0, for: "\(key).doppler.name") }), !name.isEmpty else {
                context.diagnostics.error(node.location, "`\(key).doppler` has no `name`",
                                          hint: "name the Doppler secret, e.g. `doppler: {name: GOOGLE_CLIENT_SECRET}`")
                return nil
            }
            return .doppler(
                project: fields["project"].flatMap { context.string($0, for: "\(key).doppler.project") },
                config: fields["config"].flatMap { context.string($0, for: "\(key).doppler.config") }, name: name)
        case "environment":
            guard let variable = context.string(node, for: "\(key).environment") else { return nil }
            guard SpecNameRules.isPortableVariableName(variable) else {
                context.diagnostics.error(node.location, "`\(key).environment` names the invalid variable `\(variable)`",
                                          hint: "letters, digits and `_`, not starting with a digit")
                return nil
            }
            return .environment(variable: variable)
        case "file":
            guard let path = context.string(node, for: "\(key).file") else { return nil }
            // Read only by `secrets sync` (and `up`); checked now so that `validate` and `plan --offline` fail on a wrong path.
            _ = ReferencedFile.exists(path, what: "the file", of: "`\(key)`", writtenAt: node.location, in: origin, diagnostics: context.diagnostics)
            return .file(path: origin.absolute(path))
        case "local":
            guard let name = context.string(node, for: "\(key).local") else { return nil }
            guard LocalSecretStore.isValidName(name) else {
                context.diagnostics.error(node.location, "`\(key).local` names `\(name)`", hint: LocalSecretStore.nameHint)
                return nil
            }
            return .local(name: name)
        default:
            var length = 32
            if !node.isNull, let fields = context.fields(node, of: "`\(key).generate`", known: ["length"]) {
                length = fields["length"].flatMap { context.integer($0, for: "\(key).generate.length") } ?? 32
            }
            guard (8...4096).contains(length) else {
                context.diagnostics.error(node.location, "`\(key).generate.length` is \(length)", hint: "choose a length from 8 to 4096")
                return nil
            }
            return .generate(length: length, alphabet: .alphanumeric)
        }
    }

    /// `mount/path[#field]`, at least a mount and one path segment.
    private func vaultLocation(_ node: YAMLNode, key: String) -> SecretManifestEntry.VaultLocation? {
        guard let text = context.string(node, for: "\(key).vault") else { return nil }
        let parts = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let segments = parts[0].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let field = parts.count > 1 ? parts[1] : "value"
        guard segments.count >= 2, !segments.contains(where: \.isEmpty), !segments.contains("."), !segments.contains(".."),
            !field.isEmpty, !field.contains("/")
        else {
            context.diagnostics.error(
                node.location, "`\(key).vault` is `\(text)`, not a KV v2 location",
                hint: "write `<mount>/<path>#<field>`, e.g. `platform/${env}/oauth/google#client_secret`")
            return nil
        }
        do {
            return SecretManifestEntry.VaultLocation(
                secret: try VaultKVPath(mount: segments[0], path: segments.dropFirst().joined(separator: "/")), field: field)
        } catch {
            // docs/pain-points.md #7: a path with KV v2's `data/` (or `metadata/`) points at `<mount>/data/data/…`.
            let logical = segments.dropFirst(2).joined(separator: "/")
            context.diagnostics.error(
                node.location, "`\(key).vault` is `\(text)`: \(error)",
                hint: VaultKVPath.apiSegments.contains(segments[1]) && !logical.isEmpty
                    ? "write `\(segments[0])/\(logical)#\(field)`: sprocketctl adds `data/` itself" : "write `<mount>/<path>#<field>`")
            return nil
        }
    }

    /// `[{service, target}, ...]` or `[service, ...]` (target `/run/secrets/<name>`).
    private func consumers(_ node: YAMLNode, secret: String, key: String) -> [SecretManifestEntry.Consumer] {
        let items = context.list(node, for: "\(key).consumers") ?? []
        return items.compactMap { item in
            if item.mapping == nil {
                guard let service = context.string(item, for: "\(key).consumers") else { return nil }
                return SecretManifestEntry.Consumer(service: service, target: "/run/secrets/\(secret)", location: item.location)
            }
            guard let fields = context.fields(item, of: "a consumer of `\(key)`", known: ["service", "target"]),
                let service = fields["service"].flatMap({ context.string($0, for: "\(key).consumers.service") })
            else {
                context.diagnostics.error(item.location, "a consumer of `\(key)` has no `service`",
                                          hint: "e.g. `{service: api, target: /app/secret/\(secret)}`")
                return nil
            }
            let target = fields["target"].flatMap { context.string($0, for: "\(key).consumers.target") } ?? "/run/secrets/\(secret)"
            guard target.hasPrefix("/") else {
                context.diagnostics.error(item.location, "the target `\(target)` of a consumer of `\(key)` is not an absolute path",
                                          hint: "e.g. `/run/secrets/\(secret)`")
                return nil
            }
            return SecretManifestEntry.Consumer(service: service, target: target, location: item.location)
        }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}
