/// Semantic checks of a ``StackSpec``, whether loaded by ``SpecLoader`` (which calls this) or built in code.
///
/// The loader reports what is wrong with the text (syntax, types, formats); the validator reports what
/// is wrong with the meaning: names, references between layers and resources, uniqueness across the
/// stack, and values out of range. Every diagnostic points at the element it is about.
public enum SpecValidator {
    /// Checks `stack` and returns every problem found (empty when the spec is valid).
    ///
    /// - Parameter stack: the spec to check.
    /// - Returns: the diagnostics, grouped by check (names, layer graph, uniqueness, references, services).
    public static func validate(_ stack: StackSpec) -> [SpecDiagnostic] {
        var diagnostics: [SpecDiagnostic] = []
        NameCheck(stack: stack).run(into: &diagnostics)
        let graph = LayerGraphCheck(stack)
        graph.run(into: &diagnostics)
        UniquenessCheck(stack: stack).run(into: &diagnostics)
        ReferenceCheck(stack: stack, graph: graph).run(into: &diagnostics)
        CheckRules(stack: stack, graph: graph).run(into: &diagnostics)
        RouteCheck(stack: stack).run(into: &diagnostics)
        SecretLiteralCheck(stack: stack).run(into: &diagnostics)
        SocketProxyCheck(stack: stack).run(into: &diagnostics)
        for service in stack.layers.flatMap(\.services) {
            var serviceCheck = ServiceCheck(service)
            diagnostics += serviceCheck.run()
            var deployCheck = DeployCheck(service)
            diagnostics += deployCheck.run()
        }
        return diagnostics
    }
}
