/// Chooses the environment to load: `--env`, else `default_environment`, else the only declared
/// environment, else `default`.
struct EnvironmentSelector {
    /// An entry of `environments:`.
    struct Declared {
        var name: String
        var location: SourceLocation
        var settings: [YAMLEntry]
    }

    static let fallbackName = "default"

    let diagnostics: SpecDiagnosticCollector

    /// - Parameters:
    ///   - requested: the `--env` value, if given.
    ///   - declared: the spec's environments; when empty, any name is accepted (so a spec without
    ///     `environments:` can still be deployed twice side by side under two names).
    ///   - defaultEnvironment: `default_environment:` and where it is written.
    ///   - anchor: where to report an undeclared `--env` (the `environments:` key, or the file).
    func select(
        requested: String?, declared: [Declared], defaultEnvironment: (name: String, location: SourceLocation)?,
        anchor: SourceLocation
    ) -> String {
        let names = declared.map(\.name)
        if let defaultEnvironment, !names.isEmpty, !names.contains(defaultEnvironment.name) {
            diagnostics.error(defaultEnvironment.location, "`default_environment` names the undeclared environment `\(defaultEnvironment.name)`",
                              hint: hint(for: defaultEnvironment.name, among: names))
        }
        if let requested {
            if !names.isEmpty, !names.contains(requested) {
                diagnostics.error(anchor, "environment `\(requested)` is not declared",
                                  hint: hint(for: requested, among: names))
            }
            return requested
        }
        if let defaultEnvironment { return defaultEnvironment.name }
        if names.count == 1, let only = names.first { return only }
        if !names.isEmpty, !names.contains(Self.fallbackName) {
            diagnostics.error(anchor, "no environment is selected among \(SpecSuggestions.list(names))",
                              hint: "pass `--env NAME`, or set `default_environment:` in stack.yaml")
        }
        return Self.fallbackName
    }

    private func hint(for name: String, among names: [String]) -> String {
        let declared = "declared environments: \(SpecSuggestions.list(names))"
        return SpecSuggestions.didYouMean(name, in: names).map { "\($0) (\(declared))" } ?? declared
    }
}
