/// Loads a plain Compose file as a one-layer stack: the layer is `main`, the stack name is Compose's
/// `name:` or else the folder's name, and any environment name is accepted.
struct ComposeFileLoader {
    static let layerName = "main"

    let processEnvironment: [String: String]
    let diagnostics: SpecDiagnosticCollector

    func load(_ root: YAMLNode, origin: SpecFileOrigin, requestedEnvironment: String?) -> StackSpec {
        let fileLocation = SourceLocation(file: origin.displayPath, line: 1, column: 1)
        let context = SpecParseContext(diagnostics: diagnostics, interpolator: Interpolator(values: [:]), isCompose: true)
        let folder = SpecFiles.lastComponent(of: SpecFiles.directory(of: origin.absolutePath))
        let nameNode = root.mapping?.first { $0.key == "name" }?.value
        let name = nameNode.flatMap { context.literal($0, for: "name") } ?? Self.projectName(fromFolder: folder)
        let environment = requestedEnvironment ?? EnvironmentSelector.fallbackName
        let settings = Settings([
            ResolvedSetting(name: "stack", value: .string(name), origin: .builtin),
            ResolvedSetting(name: "env", value: .string(environment), origin: .builtin),
        ])
        context.interpolator = Interpolator(
            values: ["stack": name, "env": environment], isCompose: true, processEnvironment: processEnvironment)
        var layer = LayerParser(context: context, settings: settings)
            .parse(root, name: Self.layerName, origin: origin, location: fileLocation, mode: .compose)
        let binds = ComposeBindPaths(
            folder: SpecFiles.directory(of: origin.absolutePath), home: processEnvironment["HOME"], diagnostics: diagnostics)
        layer.services = layer.services.map(binds.resolve)
        // A service that names no network (no `networks:` or an empty one) joins the project's `default`
        // network, as under `docker stack deploy` (docs/compose.md): without it such services could not reach
        // each other by name.
        for index in layer.services.indices where layer.services[index].networks.isEmpty {
            layer.services[index].networks = [NetworkAttachment(name: "default", location: layer.services[index].location)]
        }
        // Compose gives every project a `default` network; declare it when a service names it.
        let usesDefault = layer.services.contains { $0.networks.contains { $0.name == "default" } }
        if usesDefault, !layer.networks.contains(where: { $0.name == "default" }) {
            layer.networks.append(NetworkSpec(name: "default", location: fileLocation))
        }
        return StackSpec(
            name: name, environment: environment, declaredEnvironments: [], settings: settings, layers: [layer],
            rootDirectory: SpecFiles.directory(of: origin.absolutePath), location: fileLocation, kind: .compose)
    }

    /// The folder name as a stack name: lower case, anything outside `[a-z0-9-]` replaced by `-`.
    static func projectName(fromFolder folder: String) -> String {
        String(folder.lowercased().map { character in
            character.isASCII && (character.isLetter || character.isNumber || character == "-") ? character : "-"
        })
    }
}
