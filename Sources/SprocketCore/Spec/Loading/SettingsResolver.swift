/// Resolves the typed settings of one environment: `settings:` defaults < `environments.<env>.settings`
/// < `SPROCKET_<NAME>` variables, then `${other}` references inside values (with cycle detection),
/// then each value's type (the type of its default: string, integer or boolean).
struct SettingsResolver {
    /// The built-in settings; they are set by the loader and cannot be declared or overridden.
    static let builtinNames = ["stack", "env"]
    /// Variables the tool reads for itself; a setting whose override variable is one of them would be ambiguous.
    static let toolVariables: Set<String> = ["SPROCKET_STATE_DIR", "SPROCKET_KEY_FILE"]

    let diagnostics: SpecDiagnosticCollector
    let processEnvironment: [String: String]

    enum Kind: String {
        case string
        case integer
        case boolean
    }

    /// One candidate value for a setting, from a file or an environment variable.
    struct Candidate {
        var text: String
        /// The scalar as written, for exact columns; nil for a value from the process environment.
        var scalar: YAMLScalar?
        var location: SourceLocation
        var origin: SettingOrigin
    }

    /// A default from `settings:`: its type and value.
    struct Declaration {
        var kind: Kind
        var candidate: Candidate
    }

    /// Reads `settings:` of stack.yaml.
    func declarations(from entries: [YAMLEntry]) -> [String: Declaration] {
        var declarations: [String: Declaration] = [:]
        for entry in entries {
            guard checkName(entry, section: "settings") else { continue }
            guard let scalar = scalarValue(of: entry) else { continue }
            let kind: Kind = scalar.plainBoolean != nil ? .boolean : (scalar.plainInteger != nil ? .integer : .string)
            let candidate = Candidate(text: scalar.text, scalar: scalar, location: entry.value.location,
                                      origin: .specDefault(entry.value.location))
            declarations[entry.key] = Declaration(kind: kind, candidate: candidate)
        }
        return declarations
    }

    /// Reads one `environments.<env>.settings:` section, checking names and literal types against the defaults.
    func overrides(from entries: [YAMLEntry], environment: String, declarations: [String: Declaration]) -> [String: Candidate] {
        var overrides: [String: Candidate] = [:]
        for entry in entries {
            guard checkName(entry, section: "environments.\(environment).settings") else { continue }
            guard let declaration = declarations[entry.key] else {
                diagnostics.error(entry.keyLocation, "setting `\(entry.key)` of environment `\(environment)` has no default",
                                  hint: SpecSuggestions.hint(for: entry.key, in: declarations.keys.sorted(),
                                                         otherwise: "declare a default for it under `settings:`"))
                continue
            }
            guard let scalar = scalarValue(of: entry) else { continue }
            let candidate = Candidate(text: scalar.text, scalar: scalar, location: entry.value.location,
                                      origin: .environmentSection(environment, entry.value.location))
            // Literal values are checked in every environment, so a typo in `prod` shows while deploying `local`.
            if !scalar.text.contains("$") { _ = typed(scalar.text, as: declaration.kind, name: entry.key, candidate: candidate) }
            overrides[entry.key] = candidate
        }
        return overrides
    }

    /// Merges the three levels, expands references and types the values.
    func resolve(declarations: [String: Declaration], overrides: [String: Candidate], stack: String, environment: String) -> Settings {
        var winners: [String: Candidate] = [:]
        for (name, declaration) in declarations {
            var candidate = overrides[name] ?? declaration.candidate
            let variable = Settings.environmentVariable(for: name)
            if let value = processEnvironment[variable] {
                candidate = Candidate(text: value, scalar: nil, location: .synthetic(variable), origin: .processEnvironment(variable: variable))
            }
            winners[name] = candidate
        }
        var expander = SettingExpander(winners: winners, builtins: ["stack": stack, "env": environment], diagnostics: diagnostics)
        var settings = Settings([
            ResolvedSetting(name: "stack", value: .string(stack), origin: .builtin),
            ResolvedSetting(name: "env", value: .string(environment), origin: .builtin),
        ])
        for name in winners.keys.sorted() {
            guard let candidate = winners[name], let declaration = declarations[name] else { continue }
            let text = expander.expand(name)
            // Literal file values were typed when read (defaults by their YAML type, overrides in
            // `overrides(from:)`); check references and environment variables here, once.
            let alreadyChecked = candidate.scalar != nil && !candidate.text.contains("$")
            let value = alreadyChecked
                ? Self.parse(text, as: declaration.kind) ?? .string(text)
                : typed(text, as: declaration.kind, name: name, candidate: candidate) ?? .string(text)
            settings.set(ResolvedSetting(name: name, value: value, origin: candidate.origin))
        }
        return settings
    }

    private func typed(_ text: String, as kind: Kind, name: String, candidate: Candidate) -> SettingValue? {
        if let value = Self.parse(text, as: kind) { return value }
        let expected = kind == .integer ? "an integer" : "a boolean (`true` or `false`)"
        if case .processEnvironment(let variable) = candidate.origin {
            diagnostics.error(candidate.location, "environment variable `\(variable)` must be \(expected) for setting `\(name)`, found `\(text)`",
                              hint: "fix or unset `\(variable)`")
        } else {
            diagnostics.error(candidate.location, "setting `\(name)` must be \(expected), found `\(text)`",
                              hint: "its default in `settings:` is \(expected); use the same type")
        }
        return nil
    }

    static func parse(_ text: String, as kind: Kind) -> SettingValue? {
        switch kind {
        case .string: .string(text)
        case .integer: ScalarParsers.integer(text).map { .integer($0) }
        case .boolean: ScalarParsers.boolean(text).map { .boolean($0) }
        }
    }

    private func checkName(_ entry: YAMLEntry, section: String) -> Bool {
        if Self.builtinNames.contains(entry.key) {
            diagnostics.error(entry.keyLocation, "`\(entry.key)` is a built-in setting and cannot be set in `\(section)`",
                              hint: "the loader sets `stack` and `env`; choose another name")
            return false
        }
        let variable = Settings.environmentVariable(for: entry.key)
        if Self.toolVariables.contains(variable) {
            diagnostics.error(entry.keyLocation, "setting `\(entry.key)` would be overridden by `\(variable)`, which sprocketctl itself reads",
                              hint: "choose another name for the setting")
            return false
        }
        guard InterpolationScanner.isSettingName(entry.key) else {
            diagnostics.error(entry.keyLocation, "invalid setting name `\(entry.key)`",
                              hint: "setting names are letters, digits, `_`, `.` and `-`, starting with a letter or `_`")
            return false
        }
        return true
    }

    private func scalarValue(of entry: YAMLEntry) -> YAMLScalar? {
        guard let scalar = entry.value.scalar, !scalar.isNull else {
            diagnostics.error(entry.value.location, "expected a string, integer or boolean for setting `\(entry.key)`, found \(entry.value.kindDescription)",
                              hint: "settings are scalars; write e.g. `\(entry.key): value`")
            return nil
        }
        return scalar
    }
}

/// Expands `${name}` inside setting values depth-first, reporting undefined names and cycles once.
private struct SettingExpander {
    let winners: [String: SettingsResolver.Candidate]
    var resolved: [String: String]
    let diagnostics: SpecDiagnosticCollector
    private var visiting: [String] = []
    private var inReportedCycle: Set<String> = []

    init(winners: [String: SettingsResolver.Candidate], builtins: [String: String], diagnostics: SpecDiagnosticCollector) {
        self.winners = winners
        self.resolved = builtins
        self.diagnostics = diagnostics
    }

    mutating func expand(_ name: String) -> String {
        if let done = resolved[name] { return done }
        guard let candidate = winners[name] else { return "" }
        if let start = visiting.firstIndex(of: name) {
            let cycle = Array(visiting[start...]) + [name]
            if inReportedCycle.isDisjoint(with: cycle) {
                inReportedCycle.formUnion(cycle)
                diagnostics.error(candidate.location, "settings form a cycle: \(cycle.joined(separator: " -> "))",
                                  hint: "break the cycle: one of these settings must not refer to the others")
            }
            return ""
        }
        // Values from the process environment are taken literally: they are data, not templates.
        guard let scalar = candidate.scalar, candidate.text.contains("$") else {
            resolved[name] = candidate.text
            return candidate.text
        }
        visiting.append(name)
        let text = Interpolator.substitute(scalar, at: candidate.location, compose: false, diagnostics: diagnostics) { reference, at in
            if resolved[reference.name] != nil || winners[reference.name] != nil { return expand(reference.name) }
            let known = Array(winners.keys) + SettingsResolver.builtinNames
            diagnostics.error(at, "undefined setting `\(reference.name)` in setting `\(name)`",
                              hint: SpecSuggestions.hint(for: reference.name, in: known.sorted(),
                                                         otherwise: "declare it under `settings:` in stack.yaml"))
            return ""
        }
        visiting.removeLast()
        resolved[name] = text
        return text
    }
}
