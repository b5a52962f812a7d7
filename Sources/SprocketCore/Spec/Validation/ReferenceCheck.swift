/// Checks that every network, volume, secret and config a service uses is declared, and declared in
/// its own layer or in one its layer needs (directly or transitively), since that is what is up
/// before the service starts.
struct ReferenceCheck {
    let stack: StackSpec
    let graph: LayerGraphCheck

    /// Where each name of one kind is declared: name -> layer.
    private struct Declarations {
        var kind: String
        var layers: [String: String]

        var names: [String] { layers.keys.sorted() }
    }

    func run(into diagnostics: inout [SpecDiagnostic]) {
        let networks = declarations("network") { $0.networks.map(\.name) }
        let volumes = declarations("volume") { $0.volumes.map(\.name) }
        let secrets = declarations("secret") { $0.secrets.map(\.name) }
        let configs = declarations("config") { $0.configs.map(\.name) }
        for layer in stack.layers {
            let visible = graph.visibleLayers(from: layer.name)
            for service in layer.services {
                var uses: [(name: String, location: SourceLocation, declared: Declarations)] = []
                uses += service.networks.map { ($0.name, $0.location, networks) }
                uses += service.mounts.compactMap { mount in
                    guard mount.kind == .volume, let source = mount.source else { return nil }
                    return (source, mount.location, volumes)
                }
                uses += service.secrets.map { ($0.source, $0.location, secrets) }
                uses += service.configs.map { ($0.source, $0.location, configs) }
                for use in uses {
                    if let problem = check(use.name, at: use.location, declared: use.declared, service: service.name, layer: layer.name,
                                           visible: visible) {
                        diagnostics.append(problem)
                    }
                }
            }
        }
    }

    private func declarations(_ kind: String, _ names: (LayerSpec) -> [String]) -> Declarations {
        var layers: [String: String] = [:]
        for layer in stack.layers {
            for name in names(layer) where layers[name] == nil { layers[name] = layer.name }
        }
        return Declarations(kind: kind, layers: layers)
    }

    private func check(
        _ name: String, at location: SourceLocation, declared: Declarations, service: String, layer: String, visible: Set<String>
    ) -> SpecDiagnostic? {
        guard let owner = declared.layers[name] else {
            return SpecDiagnostic(location, "service `\(service)` uses the undefined \(declared.kind) `\(name)`",
                                  hint: SpecSuggestions.hint(for: name, in: declared.names,
                                                             otherwise: "declare it under `\(declared.kind)s:` in layer `\(layer)` or in a layer it needs"))
        }
        guard visible.contains(owner) else {
            return SpecDiagnostic(location, "service `\(service)` of layer `\(layer)` uses \(declared.kind) `\(name)` of layer `\(owner)`, which `\(layer)` does not need",
                                  hint: "add `\(owner)` to `needs` of layer `\(layer)`, so it is deployed first")
        }
        return nil
    }
}
