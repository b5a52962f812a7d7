/// Names that must be unique across the whole stack (resources per kind, services) and host ports
/// that two services cannot both publish.
struct UniquenessCheck {
    let stack: StackSpec

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
        for (declaration, first) in SpecRepeats.find(in: declarations, key: \.name) {
            let earlierLayer = first.layer
            let layers = earlierLayer == declaration.layer
                ? "twice in layer `\(declaration.layer)`"
                : "in layers `\(earlierLayer)` and `\(declaration.layer)`"
            diagnostics.append(SpecDiagnostic(
                declaration.location, "\(kind) `\(declaration.name)` is declared \(layers)",
                hint: "\(kind) names are unique across the stack; rename one (the other is at \(first.location))"))
        }
    }

    private func checkPorts(into diagnostics: inout [SpecDiagnostic]) {
        let published = stack.layers.flatMap(\.services).flatMap { service in
            service.ports.compactMap { port in
                port.published.map { (service: service.name, key: "\($0)/\(port.transportProtocol.rawValue)", location: port.location) }
            }
        }
        for (port, first) in SpecRepeats.find(in: published, key: \.key) {
            let earlier = first.service
            let who = earlier == port.service ? "twice by service `\(port.service)`" : "by services `\(earlier)` and `\(port.service)`"
            diagnostics.append(SpecDiagnostic(
                port.location, "host port \(port.key) is published \(who)",
                hint: "a host port can be published once per swarm; choose another port (the other is at \(first.location))"))
        }
    }
}
