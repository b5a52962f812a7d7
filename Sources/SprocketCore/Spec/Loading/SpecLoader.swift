import Foundation

/// Loads a stack spec from disk for one environment: finds the file, parses every YAML file into
/// typed values with their positions, resolves settings, interpolates `${name}`, renders config
/// templates, and validates the result with ``SpecValidator``.
///
/// Loading never stops at the first problem: every error of every file is collected and thrown
/// together in one ``SpecError``. Warnings (Compose keys Swarm ignores, ...) do not fail the load; they
/// are returned in ``StackSpec/warnings``.
public struct SpecLoader: Sendable {
    /// The variables the loader may read (`SPROCKET_<NAME>` overrides; `${VAR}` in Compose files).
    /// The loader never reads the real process environment itself.
    public var processEnvironment: [String: String]
    /// The folder relative paths are resolved from; nil means the process's current directory.
    public var currentDirectory: String?

    /// - Parameters:
    ///   - processEnvironment: the environment variables to honour (usually `ProcessInfo.processInfo.environment`).
    ///   - currentDirectory: where relative paths start; nil for the process's current directory.
    public init(processEnvironment: [String: String], currentDirectory: String? = nil) {
        self.processEnvironment = processEnvironment
        self.currentDirectory = currentDirectory
    }

    /// Loads and validates a stack.
    ///
    /// - Parameters:
    ///   - path: a stack folder (holding `stack.yaml`, or else `compose.yaml`/`docker-compose.yml`), a
    ///     `stack.yaml`, or a Compose file; nil means the current folder.
    ///   - environment: the `--env` value; nil selects `default_environment`, else the only declared
    ///     environment, else `default`.
    /// - Returns: the typed, interpolated stack, with warnings in ``StackSpec/warnings``.
    /// - Throws: ``SpecError`` with every error (and warning) found, sorted by file and position.
    public func load(path: String?, environment: String?) throws(SpecError) -> StackSpec {
        let diagnostics = SpecDiagnosticCollector()
        let loaded = loadUnvalidated(path: path, environment: environment, diagnostics: diagnostics).map(Self.fillGeneratedConfigs)
        if let loaded { diagnostics.append(contentsOf: SpecValidator.validate(loaded)) }
        let sorted = diagnostics.sorted()
        guard var stack = loaded, !diagnostics.hasErrors else {
            throw SpecError(sorted.isEmpty ? [SpecDiagnostic(.synthetic(path ?? "."), "the spec could not be loaded")] : sorted)
        }
        stack.warnings = sorted
        return stack
    }

    private func loadUnvalidated(path: String?, environment: String?, diagnostics: SpecDiagnosticCollector) -> StackSpec? {
        let directory = currentDirectory ?? FileManager.default.currentDirectoryPath
        guard let origin = SpecLocator.locate(path: path, currentDirectory: directory, diagnostics: diagnostics) else { return nil }
        let fileLocation = SourceLocation(file: origin.displayPath, line: 1, column: 1)
        switch YAMLReader.read(origin, reportingAt: fileLocation, what: "spec file", diagnostics: diagnostics) {
        case .invalid:
            return nil
        case .empty:
            diagnostics.error(fileLocation, "`\(origin.displayPath)` is empty",
                              hint: "a stack file needs `stack:` and `layers:`; a Compose file needs `services:`")
            return nil
        case .document(let root):
            switch SpecLocator.format(of: root, origin: origin, diagnostics: diagnostics) {
            case .stack:
                return StackFileLoader(processEnvironment: processEnvironment, diagnostics: diagnostics)
                    .load(root, origin: origin, requestedEnvironment: environment)
            case .compose:
                return ComposeFileLoader(processEnvironment: processEnvironment, diagnostics: diagnostics)
                    .load(root, origin: origin, requestedEnvironment: environment)
            case nil:
                return nil
            }
        }
    }

    /// Renders the content of `generated:` configs, which depends on the whole stack (not only on its layer).
    public static func fillGeneratedConfigs(_ stack: StackSpec) -> StackSpec {
        var stack = stack
        for layerIndex in stack.layers.indices {
            for configIndex in stack.layers[layerIndex].configs.indices {
                guard case .generated(let kind) = stack.layers[layerIndex].configs[configIndex].source else { continue }
                switch kind {
                case .traefikStatic:
                    stack.layers[layerIndex].configs[configIndex].content = Array(TraefikStaticConfiguration(stack: stack).render().utf8)
                case .vaultHCL:
                    let rendered = stack.vault?.server.map { VaultServerConfiguration(server: $0).render() } ?? ""
                    stack.layers[layerIndex].configs[configIndex].content = Array(rendered.utf8)
                }
            }
        }
        return stack
    }
}
