/// Finds the file to load from what the user gave (`-f PATH` or nothing) and tells a stack file from a
/// Compose file.
enum SpecLocator {
    /// Looked for, in this order, in a folder.
    static let candidates = ["stack.yaml", "stack.yml", "compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"]

    enum Format {
        case stack
        case compose
    }

    /// The file to read, or nil after reporting why there is none.
    static func locate(path: String?, currentDirectory: String, diagnostics: SpecDiagnosticCollector) -> SpecFileOrigin? {
        let display = path ?? ""
        let absolute = SpecFiles.absolute(path ?? ".", from: currentDirectory)
        switch SpecFiles.kind(of: absolute) {
        case .missing:
            diagnostics.error(.synthetic(display), "`\(display)` does not exist", hint: "pass a stack folder, a stack.yaml or a Compose file")
            return nil
        case .file:
            return SpecFileOrigin(displayPath: display, absolutePath: absolute)
        case .directory:
            for name in candidates {
                let candidate = SpecFiles.absolute(name, from: absolute)
                if SpecFiles.kind(of: candidate) == .file {
                    return SpecFileOrigin(displayPath: SpecFiles.join(display, name), absolutePath: candidate)
                }
            }
            let folder = display.isEmpty ? "the current folder" : "`\(display)`"
            diagnostics.error(.synthetic(display.isEmpty ? "." : display), "\(folder) has no stack.yaml or Compose file",
                              hint: "create stack.yaml (see docs/spec.md), or pass the file with `-f`")
            return nil
        }
    }

    /// A file with `layers:` or `stack:` is a stack file; one with `services:` and neither is Compose.
    static func format(of root: YAMLNode, origin: SpecFileOrigin, diagnostics: SpecDiagnosticCollector) -> Format? {
        guard let entries = root.mapping else {
            diagnostics.error(root.location, "expected a mapping at the top of `\(origin.displayPath)`, found \(root.kindDescription)",
                              hint: "a stack file starts with `stack:`; a Compose file with `services:`")
            return nil
        }
        let keys = Set(entries.map(\.key))
        if keys.contains("layers") || keys.contains("stack") { return .stack }
        if keys.contains("services") { return .compose }
        diagnostics.error(root.location, "`\(origin.displayPath)` is neither a stack file nor a Compose file",
                          hint: "a stack file has `stack:` and `layers:`; a Compose file has `services:`")
        return nil
    }
}
