/// Replaces `${name}` in string values with resolved settings, reporting an undefined name at the
/// exact column of its `${` when the scalar is written verbatim on one line (else at the scalar).
struct Interpolator {
    /// Resolved settings as text, built-ins included.
    var values: [String: String]
    /// Plain Compose files read `${VAR}` from the process environment too, as Compose does.
    var isCompose: Bool
    var processEnvironment: [String: String]

    init(values: [String: String], isCompose: Bool = false, processEnvironment: [String: String] = [:]) {
        self.values = values
        self.isCompose = isCompose
        self.processEnvironment = processEnvironment
    }

    func interpolate(_ scalar: YAMLScalar, at location: SourceLocation, diagnostics: SpecDiagnosticCollector) -> String {
        Self.substitute(scalar, at: location, compose: isCompose, diagnostics: diagnostics) { reference, at in
            resolve(reference, at: at, diagnostics: diagnostics)
        }
    }

    /// Replaces each reference in `scalar` with `resolve(reference, itsLocation)`; malformed references
    /// are reported. Shared by value interpolation and the settings resolver.
    static func substitute(
        _ scalar: YAMLScalar, at location: SourceLocation, compose: Bool, diagnostics: SpecDiagnosticCollector,
        resolve: (InterpolationScanner.Reference, SourceLocation) -> String
    ) -> String {
        guard scalar.text.contains("$") else { return scalar.text }
        var result = ""
        for piece in InterpolationScanner.scan(scalar.text, compose: compose) {
            switch piece {
            case .literal(let text):
                result += text
            case .malformed(let offset, let problem):
                diagnostics.error(Self.location(ofOffset: offset, in: scalar, at: location), problem.message, hint: problem.hint)
            case .reference(let reference):
                result += resolve(reference, Self.location(ofOffset: reference.offset, in: scalar, at: location))
            }
        }
        return result
    }

    private func resolve(_ reference: InterpolationScanner.Reference, at location: SourceLocation, diagnostics: SpecDiagnosticCollector) -> String {
        let value = values[reference.name] ?? (isCompose ? processEnvironment[reference.name] : nil)
        switch reference.fallback {
        case .value(let fallback, let whenEmpty):
            if let value, !(whenEmpty && value.isEmpty) { return value }
            return fallback
        case .required(let message, let whenEmpty):
            if let value, !(whenEmpty && value.isEmpty) { return value }
            diagnostics.error(location, "variable `\(reference.name)` is required\(message.isEmpty ? "" : ": \(message)")",
                              hint: "set `\(reference.name)` in the environment")
            return ""
        case nil:
            if let value { return value }
        }
        if isCompose {
            diagnostics.error(location, "undefined variable `\(reference.name)`",
                              hint: SpecSuggestions.didYouMean(reference.name, in: values.keys.sorted())
                                ?? "set `\(reference.name)` in the environment, or write `${\(reference.name):-default}`")
        } else {
            diagnostics.error(location, "undefined setting `\(reference.name)`",
                              hint: SpecSuggestions.didYouMean(reference.name, in: values.keys.sorted())
                                ?? "declare it under `settings:` in stack.yaml, or write `$${` for a literal `${`")
        }
        return ""
    }

    /// The column of a character inside a scalar, when it can be known.
    static func location(ofOffset offset: Int, in scalar: YAMLScalar, at start: SourceLocation) -> SourceLocation {
        guard let verbatim = scalar.verbatimOffset else { return start }
        return SourceLocation(file: start.file, line: start.line, column: start.column + verbatim + offset)
    }
}
