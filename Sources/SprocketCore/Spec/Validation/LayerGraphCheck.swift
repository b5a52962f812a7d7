/// Checks the layer graph: unique layer names, `needs` that name existing layers, no cycles; and
/// answers which layers a layer can see (itself and everything it needs, transitively).
struct LayerGraphCheck {
    let stack: StackSpec
    private let names: Set<String>

    init(_ stack: StackSpec) {
        self.stack = stack
        self.names = Set(stack.layers.map(\.name))
    }

    func run(into diagnostics: inout [SpecDiagnostic]) {
        for (layer, first) in SpecRepeats.find(in: stack.layers, key: \.name) {
            diagnostics.append(SpecDiagnostic(layer.location, "layer `\(layer.name)` is listed twice",
                                              hint: "remove one of the entries (the first is at \(first.location))"))
        }
        for layer in stack.layers {
            for reference in layer.needs where !names.contains(reference.name) {
                diagnostics.append(SpecDiagnostic(reference.location, "layer `\(layer.name)` needs the undefined layer `\(reference.name)`",
                                                  hint: SpecSuggestions.hint(for: reference.name, in: names.sorted(),
                                                                             otherwise: "add it to `layers:` in stack.yaml, or remove it from `needs`")))
            }
        }
        reportCycles(into: &diagnostics)
    }

    /// Depth-first search in file order; each cycle is reported once, at the `needs` entry that closes it.
    private func reportCycles(into diagnostics: inout [SpecDiagnostic]) {
        var finished: Set<String> = []
        var path: [String] = []
        func visit(_ name: String) {
            guard let layer = stack.layer(named: name) else { return }
            path.append(name)
            for reference in layer.needs where names.contains(reference.name) && !finished.contains(reference.name) {
                if let start = path.firstIndex(of: reference.name) {
                    let cycle = (path[start...] + [reference.name]).joined(separator: " -> ")
                    diagnostics.append(SpecDiagnostic(reference.location, "`needs` forms a cycle: \(cycle)",
                                                      hint: "remove one of these `needs` entries; layers deploy in order, so none can wait for itself"))
                } else {
                    visit(reference.name)
                }
            }
            path.removeLast()
            finished.insert(name)
        }
        for layer in stack.layers where !finished.contains(layer.name) {
            visit(layer.name)
        }
    }

    /// The layer itself and every layer it needs, directly or transitively (cycles tolerated).
    func visibleLayers(from name: String) -> Set<String> {
        var seen: Set<String> = [name]
        var queue = [name]
        while let next = queue.popLast() {
            for reference in stack.layer(named: next)?.needs ?? [] where names.contains(reference.name) && !seen.contains(reference.name) {
                seen.insert(reference.name)
                queue.append(reference.name)
            }
        }
        return seen
    }
}
