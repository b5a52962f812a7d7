/// Reads a list of access profiles (`access: [public, lan]`) at stack, environment or route level.
struct AccessListParser {
    let context: SpecParseContext

    func profiles(_ node: YAMLNode, for key: String) -> [AccessProfileKind] {
        let items = node.scalar != nil && !node.isNull ? [node] : (context.list(node, for: key) ?? [])
        var profiles: [AccessProfileKind] = []
        for item in items {
            guard let name = context.string(item, for: key) else { continue }
            guard let profile = AccessProfileKind(rawValue: name) else {
                let known = AccessProfileKind.allCases.map(\.rawValue)
                context.diagnostics.error(item.location, "unknown access profile `\(name)` in `\(key)`",
                                          hint: SpecSuggestions.hint(for: name, in: known, otherwise: "use one of \(SpecSuggestions.list(known))"))
                continue
            }
            if !profiles.contains(profile) { profiles.append(profile) }
        }
        // A fixed order, so the compiled labels do not depend on how the list is written.
        return AccessProfileKind.allCases.filter(profiles.contains)
    }
}
