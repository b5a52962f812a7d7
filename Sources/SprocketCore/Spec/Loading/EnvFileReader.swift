/// A service's `env_file:`: one path, a list of paths, or `{path, required}` entries, each relative to the file
/// that names it. Read as `docker stack deploy` reads them (docs/spec.md, "env_file"): one `KEY=VALUE` per line,
/// the value taken literally (quotes included, no `${}`), `#` lines and blank lines skipped, a bare `KEY` taken
/// from the environment of the process when it is set there. Later files win over earlier ones, and the service's
/// own `environment:` over all of them.
struct EnvFileReader {
    let context: SpecParseContext
    let origin: SpecFileOrigin

    /// The variables of every file `node` names, in order, each located at its own line.
    func variables(_ node: YAMLNode) -> [EnvironmentVariable] {
        var result: [String: EnvironmentVariable] = [:]
        var order: [String] = []
        for (path, required, location) in entries(node) {
            guard let bytes = SpecFiles.bytes(at: origin.absolute(path)) else {
                if required {
                    context.diagnostics.error(
                        location, "env file `\(origin.display(path))` does not exist or cannot be read",
                        hint: "paths are relative to the file that names them; mark an optional one `{path: …, required: false}`")
                }
                continue
            }
            let file = origin.display(path)
            for variable in parse(String(decoding: bytes, as: UTF8.self), file: file) {
                if result[variable.name] == nil { order.append(variable.name) }
                result[variable.name] = variable
            }
        }
        return order.compactMap { result[$0] }
    }

    private func entries(_ node: YAMLNode) -> [(path: String, required: Bool, location: SourceLocation)] {
        if node.scalar != nil { return context.string(node, for: "env_file").map { [($0, true, node.location)] } ?? [] }
        return (context.list(node, for: "env_file") ?? []).compactMap { item in
            if item.scalar != nil { return context.string(item, for: "env_file").map { ($0, true, item.location) } }
            guard let fields = context.fields(item, of: "an `env_file` entry", known: ["path", "required", "format"]),
                let pathNode = fields["path"], let path = context.string(pathNode, for: "env_file.path")
            else { return nil }
            let required = fields["required"].flatMap { context.boolean($0, for: "env_file.required") } ?? true
            return (path, required, item.location)
        }
    }

    private func parse(_ text: String, file: String) -> [EnvironmentVariable] {
        var variables: [EnvironmentVariable] = []
        // `\r\n` is one Character in Swift: split on every newline, so files written on Windows read the same.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let location = SourceLocation(file: file, line: index + 1, column: 1)
            let name = String(line.prefix { $0 != "=" })
            guard !name.isEmpty, !name.contains(where: \.isWhitespace) else {
                context.diagnostics.error(location, "`\(name)` in env file `\(file)` is not a variable name", hint: "write `NAME=value`")
                continue
            }
            if line.count > name.count {
                variables.append(EnvironmentVariable(name: name, value: String(line.dropFirst(name.count + 1)), location: location))
            } else if let value = context.interpolator.processEnvironment[name] {
                variables.append(EnvironmentVariable(name: name, value: value, location: location))
            }
        }
        return variables
    }
}
