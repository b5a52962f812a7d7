/// Checks the typed health checks: services and networks they name exist and are visible from the layer,
/// a probe has a port and a way in (a network or a published port), and values are in range.
struct CheckRules {
    let stack: StackSpec
    let graph: LayerGraphCheck

    private struct Subject {
        var check: CheckSpec
        var service: ServiceSpec?
        var layer: String
        /// How messages name the check: "the `http` check of service `api`" / "the `http` gate check of layer `app`".
        var described: String
    }

    func run(into diagnostics: inout [SpecDiagnostic]) {
        let services = Dictionary(stack.layers.flatMap { layer in layer.services.map { ($0.name, (layer.name, $0)) } }) { first, _ in first }
        let networks = Dictionary(stack.layers.flatMap { layer in layer.networks.map { ($0.name, layer.name) } }) { first, _ in first }
        for layer in stack.layers {
            let visible = graph.visibleLayers(from: layer.name)
            var subjects: [Subject] = []
            for service in layer.services {
                subjects += service.checks.map {
                    Subject(check: $0, service: service, layer: layer.name, described: "the `\($0.kind.rawValue)` check of service `\(service.name)`")
                }
            }
            for check in layer.gate {
                let described = "the `\(check.kind.rawValue)` gate check of layer `\(layer.name)`"
                guard let name = check.service else {
                    if check.kind != .command {
                        diagnostics.append(SpecDiagnostic(check.location, "\(described) names no `service`",
                                                          hint: "add `service: <name>` inside the check, e.g. `- \(check.kind.rawValue): {service: api}`"))
                    }
                    subjects.append(Subject(check: check, service: nil, layer: layer.name, described: described))
                    continue
                }
                guard let (owner, service) = services[name] else {
                    diagnostics.append(SpecDiagnostic(check.location(of: "service"), "\(described) names the undefined service `\(name)`",
                                                      hint: SpecSuggestions.hint(for: name, in: services.keys.sorted(), otherwise: "name a service of this layer or of a layer it needs")))
                    continue
                }
                guard visible.contains(owner) else {
                    diagnostics.append(SpecDiagnostic(check.location(of: "service"), "\(described) checks service `\(name)` of layer `\(owner)`, which `\(layer.name)` does not need",
                                                      hint: "add `\(owner)` to `needs` of layer `\(layer.name)`, or move the check to layer `\(owner)`"))
                    continue
                }
                subjects.append(Subject(check: check, service: service, layer: layer.name, described: described))
            }
            for subject in subjects {
                diagnostics += problems(subject, networks: networks, visible: visible)
            }
        }
    }

    private func problems(_ subject: Subject, networks: [String: String], visible: Set<String>) -> [SpecDiagnostic] {
        var found: [SpecDiagnostic] = []
        let check = subject.check
        func error(_ key: String?, _ message: String, hint: String) {
            found.append(SpecDiagnostic(key.map(check.location(of:)) ?? check.location, "\(subject.described) \(message)", hint: hint))
        }
        for (value, key) in [(check.timeout, "timeout"), (check.interval, "interval")] {
            if let value, value <= .zero { error(key, "has a `\(key)` of zero", hint: "write a positive duration, e.g. `5s`, or omit it for the default") }
        }
        if let retries = check.retries, retries < 1 { error("retries", "has `retries: \(retries)`", hint: "write 1 or more: the number of attempts before the check fails") }
        if let service = subject.service, service.deploy.mode.isJob, check.kind == .replicas || check.kind == .noRestartLoop {
            error(nil, "applies to the job `\(service.name)`", hint: "jobs run to completion: their convergence already waits for it; remove this check")
        }
        switch check.probe {
        case .replicas:
            break
        case .noRestartLoop(let restarts, let window):
            if let restarts, restarts < 1 { error("restarts", "allows `restarts: \(restarts)`", hint: "write 1 or more: the check fails at this many restarts in the window") }
            if let window, window <= .zero { error("window", "has a `window` of zero", hint: "write a positive duration, e.g. `2m`") }
        case .http(let http):
            if !(100...599).contains(http.status) { error("status", "expects the status \(http.status)", hint: "HTTP status codes are 100 to 599") }
            found += endpointProblems(http.endpoint, subject: subject, networks: networks, visible: visible)
        case .tcp(let endpoint):
            found += endpointProblems(endpoint, subject: subject, networks: networks, visible: visible)
        case .command(let command):
            if let network = command.network, let problem = networkProblem(network, subject: subject, networks: networks, visible: visible) {
                found.append(problem)
            }
        }
        return found
    }

    private func endpointProblems(_ endpoint: CheckEndpointSpec, subject: Subject, networks: [String: String], visible: Set<String>) -> [SpecDiagnostic] {
        guard let service = subject.service else { return [] }
        let check = subject.check
        var found: [SpecDiagnostic] = []
        func error(_ key: String?, _ message: String, hint: String) {
            found.append(SpecDiagnostic(key.map(check.location(of:)) ?? check.location, "\(subject.described) \(message)", hint: hint))
        }
        if let port = endpoint.port, !(1...65535).contains(port) { error("port", "has the port \(port), out of range", hint: "ports are 1 to 65535") }
        guard let port = endpoint.resolvedPort(in: service) else {
            let targets = Set(service.ports.map(\.target)).sorted().map(String.init)
            error(nil, "has no `port`", hint: targets.isEmpty
                ? "set `port:` to the port service `\(service.name)` listens on"
                : "service `\(service.name)` declares several ports: set `port:` to one of \(targets.joined(separator: ", "))")
            return found
        }
        switch endpoint.published {
        case .port(let hostPort):
            if !(1...65535).contains(hostPort) { error("published", "has the host port \(hostPort), out of range", hint: "ports are 1 to 65535") }
        case .matching:
            if endpoint.resolvedHostPort(in: service) == nil {
                error("published", "uses `published: true`, but service `\(service.name)` publishes no host port for \(port)",
                      hint: "publish it under `ports:` (e.g. `- target: \(port)\n  published: 18080\n  mode: host`), or name the host port: `published: 18080`")
            }
        case nil:
            guard let network = endpoint.resolvedNetwork(in: service) else {
                error(nil, "cannot reach service `\(service.name)`: it joins no network",
                      hint: "add `networks:` to the service (the probe joins its first one), or set `published:` to probe a host port")
                return found
            }
            if let problem = networkProblem(network, subject: subject, networks: networks, visible: visible) {
                found.append(problem)
            } else if !service.networks.contains(where: { $0.name == network }) {
                error("network", "probes over the network `\(network)`, which service `\(service.name)` does not join",
                      hint: "name one of the service's networks: \(SpecSuggestions.list(service.networks.map(\.name)))")
            }
        }
        return found
    }

    private func networkProblem(_ network: String, subject: Subject, networks: [String: String], visible: Set<String>) -> SpecDiagnostic? {
        let location = subject.check.location(of: "network")
        guard let owner = networks[network] else {
            return SpecDiagnostic(location, "\(subject.described) uses the undefined network `\(network)`",
                                  hint: SpecSuggestions.hint(for: network, in: networks.keys.sorted(), otherwise: "declare it under `networks:`"))
        }
        guard visible.contains(owner) else {
            return SpecDiagnostic(location, "\(subject.described) uses network `\(network)` of layer `\(owner)`, which `\(subject.layer)` does not need",
                                  hint: "add `\(owner)` to `needs` of layer `\(subject.layer)`")
        }
        return nil
    }
}
