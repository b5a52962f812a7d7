/// Turns the checks of a spec into ``DesiredCheck`` values: the implicit ones every service gets, the
/// services' `checks:`, the layers' `gate:`, and (for `verify`) published ports and lingering tasks.
///
/// Assumes a validated spec: a check whose port or network cannot be resolved is skipped, not guessed.
public struct CheckResolver: Sendable {
    public var stack: StackSpec
    public var identity: StackIdentity

    /// The label that marks what a probe creates, besides the stack environment's ownership labels.
    public static let probeLabel = "io.sprocket.probe"

    public init(stack: StackSpec) {
        self.stack = stack
        self.identity = StackIdentity(stack: stack.name, environment: stack.environment)
    }

    /// The checks that gate `layer`: per service `replicas` and `no-restart-loop` (unless the service declares
    /// its own of that kind), the service's `checks:`, then the layer's `gate:`.
    public func gateChecks(for layer: LayerSpec) -> [DesiredCheck] {
        var checks: [DesiredCheck] = []
        for service in layer.services {
            let declared = Set(service.checks.map(\.kind))
            if !service.deploy.mode.isJob {
                for kind in [CheckSpec.Kind.replicas, .noRestartLoop] where !declared.contains(kind) {
                    let implicit = CheckSpec(probe: kind == .replicas ? .replicas : .noRestartLoop(restarts: nil, window: nil), location: service.location)
                    checks += resolve(implicit, service: service, layer: layer.name, origin: .implicit)
                }
            }
            checks += service.checks.flatMap { resolve($0, service: service, layer: layer.name, origin: .service) }
        }
        for check in layer.gate {
            let service = check.service.flatMap(service(named:))
            if check.service != nil && service == nil { continue }
            checks += resolve(check, service: service, layer: layer.name, origin: .gate)
        }
        return checks
    }

    /// ``gateChecks(for:)`` plus what `verify` adds: every published TCP port answers from the tool, and no
    /// task of a superseded service version still runs.
    public func verifyChecks(for layer: LayerSpec) -> [DesiredCheck] {
        var checks = gateChecks(for: layer)
        let tcp = CheckDefaults.timing(for: .tcp)
        for service in layer.services {
            let checked = checkedService(service)
            for port in service.ports where port.transportProtocol == .tcp {
                guard let published = port.published else { continue }
                checks.append(DesiredCheck(
                    name: "\(service.name): host port \(published) answers", layer: layer.name, origin: .verify, service: checked,
                    kind: .tcp(.published(port: published)), timing: tcp, labels: labels))
            }
            checks.append(DesiredCheck(
                name: "\(service.name): no lingering tasks", layer: layer.name, origin: .verify, service: checked,
                kind: .noLingeringTasks, timing: CheckTiming(timeout: .seconds(10), interval: .seconds(1), retries: 1), labels: labels))
        }
        return checks
    }

    private var labels: [String: String] {
        [OwnershipLabel.stack: identity.stack, OwnershipLabel.environment: identity.environment, Self.probeLabel: "true"]
    }

    private func service(named name: String) -> ServiceSpec? {
        stack.layers.lazy.flatMap(\.services).first { $0.name == name }
    }

    private func checkedService(_ service: ServiceSpec) -> CheckedService {
        CheckedService(name: service.name, dockerName: identity.objectName(service.name), namePrefix: identity.prefix)
    }

    private func resolve(_ check: CheckSpec, service: ServiceSpec?, layer: String, origin: DesiredCheck.Origin) -> [DesiredCheck] {
        let defaults = CheckDefaults.timing(for: check.kind)
        let timing = CheckTiming(
            timeout: check.timeout ?? defaults.timeout, interval: check.interval ?? defaults.interval,
            retries: check.retries ?? defaults.retries)
        guard let (kind, description) = kind(of: check, service: service) else { return [] }
        let subject = service?.name ?? "layer \(layer)"
        let name = (origin == .gate ? "gate " : "") + "\(subject): \(description)"
        return [DesiredCheck(
            name: name, layer: layer, origin: origin, service: service.map(checkedService), kind: kind, timing: timing, labels: labels)]
    }

    private func kind(of check: CheckSpec, service: ServiceSpec?) -> (DesiredCheck.Kind, String)? {
        switch check.probe {
        case .replicas:
            guard let service else { return nil }
            let expected = service.deploy.mode == .replicated ? service.deploy.replicas ?? 1 : nil
            return (.replicas(expected: expected), "replicas")
        case .noRestartLoop(let restarts, let window):
            let restarts = restarts ?? CheckDefaults.restarts
            let window = window ?? CheckDefaults.restartWindow
            return (.noRestartLoop(restarts: restarts, window: window), "fewer than \(restarts) restarts in \(window.goStyle)")
        case .http(let http):
            guard let service, let target = target(http.endpoint, service: service) else { return nil }
            let request = HTTPProbeRequest(
                method: http.method, path: http.path, expectedStatus: http.status, bodyContains: http.body, target: target)
            return (.http(request), "http \(http.method) \(http.path)" + Self.describe(target))
        case .tcp(let endpoint):
            guard let service, let target = target(endpoint, service: service) else { return nil }
            return (.tcp(target), "tcp" + Self.describe(target))
        case .command(let command):
            let network = command.network ?? service?.networks.first?.name
            let probe = CommandProbe(
                run: command.run, image: command.image ?? service?.image ?? probeImage, network: network.map(dockerNetworkName))
            let text = command.run.joined(separator: " ")
            return (.command(probe), "command `\(text.count > 40 ? String(text.prefix(37)) + "..." : text)`")
        }
    }

    private static func describe(_ target: ProbeTarget) -> String {
        switch target {
        case .network(_, _, let port, _): " on port \(port)"
        case .published(let port): " on host port \(port)"
        }
    }

    private func target(_ endpoint: CheckEndpointSpec, service: ServiceSpec) -> ProbeTarget? {
        if endpoint.published != nil {
            return endpoint.resolvedHostPort(in: service).map { .published(port: $0) }
        }
        guard let port = endpoint.resolvedPort(in: service), let network = endpoint.resolvedNetwork(in: service) else { return nil }
        return .network(network: dockerNetworkName(network), host: service.name, port: port, image: endpoint.image ?? probeImage)
    }

    private var probeImage: String {
        CheckDefaults.probeImage(of: stack)
    }

    private func dockerNetworkName(_ logical: String) -> String {
        let declared = stack.layers.lazy.flatMap(\.networks).first { $0.name == logical }
        return declared?.externalName ?? identity.objectName(logical)
    }
}
