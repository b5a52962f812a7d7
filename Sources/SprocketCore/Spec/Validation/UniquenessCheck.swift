/// Names that must be unique across the whole stack (resources per kind, services) and host ports
/// that two services cannot both publish.
struct UniquenessCheck {
    let stack: StackSpec

    /// A declaration seen first, to point back at when it is repeated.
    private struct First {
        var layer: String
        var location: SourceLocation
    }

    func run(into diagnostics: inout [SpecDiagnostic]) {
        let layers = stack.layers
        check("network", layers.flatMap { layer in layer.networks.map { (layer.name, $0.name, $0.location) } }, into: &diagnostics)
        check("volume", layers.flatMap { layer in layer.volumes.map { (layer.name, $0.name, $0.location) } }, into: &diagnostics)
        check("config", layers.flatMap { layer in layer.configs.map { (layer.name, $0.name, $0.location) } }, into: &diagnostics)
        check("secret", layers.flatMap { layer in layer.secrets.map { (layer.name, $0.name, $0.location) } }, into: &diagnostics)
        check("service", layers.flatMap { layer in layer.services.map { (layer.name, $0.name, $0.location) } }, into: &diagnostics)
        checkPorts(into: &diagnostics)
    }

    private func check(_ kind: String, _ declarations: [(layer: String, name: String, location: SourceLocation)], into diagnostics: inout [SpecDiagnostic]) {
        var first: [String: First] = [:]
        for declaration in declarations {
            guard let earlier = first[declaration.name] else {
                first[declaration.name] = First(layer: declaration.layer, location: declaration.location)
                continue
            }
            let layers = earlier.layer == declaration.layer
                ? "twice in layer `\(declaration.layer)`"
                : "in layers `\(earlier.layer)` and `\(declaration.layer)`"
            diagnostics.append(SpecDiagnostic(
                declaration.location, "\(kind) `\(declaration.name)` is declared \(layers)",
                hint: "\(kind) names are unique across the stack; rename one (the other is at \(earlier.location))"))
        }
    }

    private func checkPorts(into diagnostics: inout [SpecDiagnostic]) {
        var first: [String: (service: String, location: SourceLocation)] = [:]
        for service in stack.layers.flatMap(\.services) {
            for port in service.ports {
                guard let published = port.published else { continue }
                let key = "\(published)/\(port.transportProtocol.rawValue)"
                guard let earlier = first[key] else {
                    first[key] = (service.name, port.location)
                    continue
                }
                let who = earlier.service == service.name ? "twice by service `\(service.name)`" : "by services `\(earlier.service)` and `\(service.name)`"
                diagnostics.append(SpecDiagnostic(
                    port.location, "host port \(key) is published \(who)",
                    hint: "a host port can be published once per swarm; choose another port (the other is at \(earlier.location))"))
            }
        }
    }
}
