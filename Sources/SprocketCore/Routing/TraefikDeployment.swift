/// Where a stack runs its Traefik, and where each router Traefik should serve is declared: what `up`'s route
/// gate and `verify` need to find Traefik's API, logs and the spec line behind a router.
public struct TraefikDeployment: Sendable, Hashable {
    /// The spec service that runs Traefik: the one mounting the generated static configuration.
    public var service: ServiceSpec
    /// The layer that deploys it.
    public var layer: String
    /// Its Docker service name (`<stack>-<env>_<service>`), whose logs explain dropped routers.
    public var dockerName: String
    /// The Docker name of the network a job joins to reach Traefik (`routing.network`).
    public var network: String
    /// The port of the `traefik` entry point, where the API answers (never published).
    public static let apiPort = 8080
    /// The port of the `web` entry point inside Traefik's container.
    public static let webPort = 80
    /// The port of the `websecure` entry point inside Traefik's container.
    public static let websecurePort = 443

    /// The stack's Traefik, nil when no service mounts the generated static configuration or no
    /// `routing.network` is set (then nothing here can reach it).
    public init?(stack: StackSpec) {
        let generated = Set(stack.layers.flatMap(\.configs).filter { $0.source == .generated(.traefikStatic) }.map(\.name))
        guard !generated.isEmpty, let network = stack.ingressNetworkDockerName else { return nil }
        for layer in stack.layers {
            if let service = layer.services.first(where: { $0.configs.contains { generated.contains($0.source) } }) {
                self.service = service
                self.layer = layer.name
                self.dockerName = StackIdentity(stack: stack.name, environment: stack.environment).objectName(service.name)
                self.network = network
                return
            }
        }
        return nil
    }

    /// Whether the service runs a stand-in image (`--stand-ins`) instead of Traefik: nothing answers Traefik's API.
    public var isStandIn: Bool { service.deploy.labels[StandInMap.label] != nil }

    /// The name Traefik's Swarm provider gives the service of this Docker service, as its log lines show it.
    public var providerServiceName: String { TraefikName.normalize(dockerName) }
}

/// A router the stack declares, compiled from `routes:` or hand-written in `deploy.labels`, with where.
public struct DeclaredRouter: Sendable, Hashable {
    /// The name as Traefik's API lists it (`<name>@swarm`).
    public var name: String
    /// The spec service whose labels define it.
    public var specService: String
    /// Its layer.
    public var layer: String
    /// The route (or the hand-written `rule` label) it comes from.
    public var location: SourceLocation
    /// Whether the label compiler wrote it (false: hand-written labels).
    public var isCompiled: Bool
    /// The Docker service whose labels define it, normalised as Traefik names it in its log.
    public var providerServiceName: String

    /// Every router of `stack` in layer and declaration order: compiled ones first per service, then hand-written.
    public static func all(in stack: StackSpec) -> [DeclaredRouter] {
        let compiler = RouteLabelCompiler(stack: stack)
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        var declared: [DeclaredRouter] = []
        for layer in stack.layers {
            for service in layer.services {
                let compiled = compiler.compile(service)
                let provider = TraefikName.normalize(identity.objectName(service.name))
                for router in compiled.routers {
                    declared.append(DeclaredRouter(
                        name: router.name, specService: service.name, layer: layer.name,
                        location: RouteConflictDetector.routeLocation(router.name.split(separator: "@").first.map(String.init) ?? router.name, of: service, stack: stack),
                        isCompiled: true, providerServiceName: provider))
                }
                let handWritten = TraefikLabelReader(labels: service.deploy.labels)
                for resource in handWritten.routers.values.sorted(by: { $0.name < $1.name })
                where !compiled.routers.contains(where: { $0.name == stack.routing.traefik.qualified(resource.name) }) {
                    let key = resource.labelKeys["rule"] ?? resource.labelKeys.values.sorted().first ?? ""
                    declared.append(DeclaredRouter(
                        name: stack.routing.traefik.qualified(resource.name), specService: service.name, layer: layer.name,
                        location: service.labelPositions[key]?.entry ?? service.location, isCompiled: false, providerServiceName: provider))
                }
            }
        }
        return declared
    }
}
