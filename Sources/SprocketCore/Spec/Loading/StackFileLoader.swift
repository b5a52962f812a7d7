/// Loads a stack folder: `stack.yaml` (name, settings, environments, layer list), then each layer file.
///
/// The order matters: the stack name and the environment are read literally, settings are resolved
/// for that environment, and only then are the other values interpolated and typed.
struct StackFileLoader {
    let processEnvironment: [String: String]
    let diagnostics: SpecDiagnosticCollector

    static let keys = [
        "stack", "description", "settings", "environments", "default_environment", "layers", "routing", "vault", "postgres", "s3",
        "secrets", "doppler",
    ]

    func load(_ root: YAMLNode, origin: SpecFileOrigin, requestedEnvironment: String?) -> StackSpec {
        let fileLocation = SourceLocation(file: origin.displayPath, line: 1, column: 1)
        let context = SpecParseContext(diagnostics: diagnostics, interpolator: Interpolator(values: [:]), isCompose: false)
        let fields = context.fields(root, of: "`\(origin.displayPath)`", known: Self.keys, ignored: ["version"])
            ?? SpecFields(location: root.location)
        var name = ""
        if let node = fields["stack"] {
            name = context.literal(node, for: "stack") ?? ""
        } else {
            diagnostics.error(fileLocation, "`\(origin.displayPath)` has no `stack:` name", hint: "add `stack: my-stack` at the top")
        }
        let declared = fields["environments"].map { environments($0, context: context) } ?? []
        let defaultEnvironment = fields["default_environment"].flatMap { node in
            context.literal(node, for: "default_environment").map { (name: $0, location: node.location) }
        }
        let selector = EnvironmentSelector(diagnostics: diagnostics)
        let environment = selector.select(
            requested: requestedEnvironment, declared: declared, defaultEnvironment: defaultEnvironment,
            anchor: fields.entries["environments"]?.keyLocation ?? fileLocation)

        let resolver = SettingsResolver(diagnostics: diagnostics, processEnvironment: processEnvironment)
        let declarations = fields["settings"].flatMap { context.mapping($0, for: "settings") }.map(resolver.declarations) ?? [:]
        var overrides: [String: SettingsResolver.Candidate] = [:]
        for entry in declared {
            let candidates = resolver.overrides(from: entry.settings, environment: entry.name, declarations: declarations)
            if entry.name == environment { overrides = candidates }
        }
        let settings = resolver.resolve(declarations: declarations, overrides: overrides, stack: name, environment: environment)
        context.interpolator = Interpolator(values: settings.entries.mapValues(\.value.description))

        var stack = StackSpec(
            name: name, environment: environment, declaredEnvironments: declared.map(\.name), settings: settings, layers: [],
            rootDirectory: SpecFiles.directory(of: origin.absolutePath), location: fileLocation, kind: .stack)
        stack.description = context.optionalString(fields["description"], for: "description")
        let environmentAccess = fields["environments"]?.mapping?.first { $0.key == environment }?.value.mapping?.first { $0.key == "access" }
        stack.routing = RouteSettingsParser(context: context)
            .routing(fields["routing"], environmentAccess: environmentAccess?.value, environment: environment)
        if let node = fields["vault"] { stack.vault = VaultSpecParser(context: context).vault(node) }
        if let node = fields["s3"] { stack.s3 = S3SpecParser(context: context, origin: origin).parse(node) }
        if let node = fields["layers"] {
            stack.layers = layers(node, origin: origin, context: context, settings: settings)
            if let vault = stack.vault, !stack.layers.contains(where: { $0.name == vault.layer }) {
                diagnostics.error(vault.location, "`vault.layer` names `\(vault.layer)`, which is not a layer of this stack",
                                  hint: "one of: \(stack.layers.map(\.name).joined(separator: ", "))")
            }
            if let s3 = stack.s3, let layer = s3.layer, !stack.layers.contains(where: { $0.name == layer }) {
                diagnostics.error(s3.location, "`s3.layer` names `\(layer)`, which is not a layer of this stack",
                                  hint: "one of: \(stack.layers.map(\.name).joined(separator: ", "))")
            }
            VaultServerGeneration(diagnostics: diagnostics).generate(&stack)
            VaultTokenWiring(diagnostics: diagnostics).wire(&stack)
            VaultCompanionGeneration(diagnostics: diagnostics).generate(&stack)
            stack.secretManifest = SecretManifestParser(context: context, origin: origin).manifest(secrets: fields["secrets"], doppler: fields["doppler"])
            SecretManifestWiring(diagnostics: diagnostics).wire(&stack)
        } else {
            diagnostics.error(fileLocation, "`\(origin.displayPath)` has no `layers:`",
                              hint: "list the layer files, e.g. `layers: [edge, app]` for edge.yaml and app.yaml")
        }
        if let node = fields["postgres"] {
            stack.postgres = PostgresSpecParser(context: context)
                .parse(node, layers: stack.layers, manifestSecrets: Set(stack.secretManifest.entries.map(\.name)))
        }
        if fields["layers"] != nil { SecretManifestWiring(diagnostics: diagnostics).placeProviderCredentials(&stack) }
        return stack
    }

    /// `environments:` name -> nothing, or `{settings: {...}}`.
    private func environments(_ node: YAMLNode, context: SpecParseContext) -> [EnvironmentSelector.Declared] {
        guard let entries = context.mapping(node, for: "environments") else { return [] }
        return entries.map { entry in
            var declared = EnvironmentSelector.Declared(name: entry.key, location: entry.keyLocation, settings: [])
            if let fields = context.fields(entry.value, of: "environment `\(entry.key)`", known: ["settings", "access"]),
                let settings = fields["settings"]
            {
                declared.settings = context.mapping(settings, for: "environments.\(entry.key).settings") ?? []
            }
            return declared
        }
    }

    /// `layers:` entries: `edge` (the file edge.yaml next to stack.yaml) or `{name, file}`.
    private func layers(_ node: YAMLNode, origin: SpecFileOrigin, context: SpecParseContext, settings: Settings) -> [LayerSpec] {
        guard let items = context.list(node, for: "layers") else { return [] }
        let parser = LayerParser(context: context, settings: settings)
        return items.compactMap { item in
            guard let (name, explicitFile) = layerEntry(item, context: context) else { return nil }
            var file = explicitFile ?? name + ".yaml"
            if explicitFile == nil, SpecFiles.kind(of: origin.absolute(file)) == .missing,
                SpecFiles.kind(of: origin.absolute(name + ".yml")) == .file
            {
                file = name + ".yml"
            }
            let layerOrigin = SpecFileOrigin(displayPath: origin.display(file), absolutePath: origin.absolute(file))
            guard SpecFiles.kind(of: layerOrigin.absolutePath) == .file else {
                diagnostics.error(item.location, "the file `\(layerOrigin.displayPath)` of layer `\(name)` does not exist",
                                  hint: "create it, or point the entry at the right file with `{name: \(name), file: path}`")
                return LayerSpec(name: name, location: item.location)
            }
            switch YAMLReader.read(layerOrigin, reportingAt: item.location, what: "layer file", diagnostics: diagnostics) {
            case .document(let root):
                return parser.parse(root, name: name, origin: layerOrigin, location: item.location, mode: .layer)
            case .empty:
                diagnostics.warning(SourceLocation(file: layerOrigin.displayPath, line: 1, column: 1),
                                    "the file of layer `\(name)` is empty", hint: "declare services in it, or remove the layer")
                return LayerSpec(name: name, location: item.location)
            case .invalid:
                return LayerSpec(name: name, location: item.location)
            }
        }
    }

    /// The layer's name and its `file:` (nil: `<name>.yaml`, or `<name>.yml` when only that exists).
    private func layerEntry(_ item: YAMLNode, context: SpecParseContext) -> (name: String, file: String?)? {
        if item.scalar != nil {
            guard let name = context.string(item, for: "layers") else { return nil }
            return (name, nil)
        }
        guard item.mapping != nil, let fields = context.fields(item, of: "a `layers:` entry", known: ["name", "file"]) else {
            if item.mapping == nil { context.typeError(item, expected: "a layer name or `{name, file}`", for: "layers") }
            return nil
        }
        guard let nameNode = fields["name"] else {
            diagnostics.error(item.location, "a `layers:` entry has no `name`", hint: "write `{name: data, file: layers/data.yaml}`")
            return nil
        }
        guard let name = context.string(nameNode, for: "layers.name") else { return nil }
        return (name, fields["file"].flatMap { context.string($0, for: "layers.file") })
    }
}
