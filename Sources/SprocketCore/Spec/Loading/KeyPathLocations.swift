/// Where each value of a YAML subtree is written, by its dotted key path, for checks that run on the typed model
/// (`Validation/DeployCheck.swift`) and would otherwise only know the location of the whole service.
enum KeyPathLocations {
    /// Records `node` at `path` and every value of its mappings below it (`deploy.update_config.parallelism`).
    /// Lists are not entered: their items have no key. The depth is bounded by `YAMLExpansionGuard`.
    static func collect(_ node: YAMLNode, at path: String, into locations: inout [String: SourceLocation]) {
        // A repeated key is an error of its own; as in `SpecParseContext.fields`, the last occurrence is the one read.
        locations[path] = node.location
        for entry in node.mapping ?? [] {
            collect(entry.value, at: path + "." + entry.key, into: &locations)
        }
    }
}
