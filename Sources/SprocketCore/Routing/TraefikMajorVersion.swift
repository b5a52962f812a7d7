/// The Traefik major version a stack's labels and static configuration are written for.
///
/// The two differ in the provider that reads Swarm (`docker` with `swarmMode` vs `swarm`), the
/// label that selects the ingress network, and the rule grammar (docs/wire-formats.md §3.1–3.3).
public enum TraefikMajorVersion: String, Sendable, Hashable, Codable, CaseIterable {
    /// Traefik v2.11.
    case v2
    /// Traefik v3 (the default).
    case v3

    /// The provider that reads Swarm services, which is also the `@provider` suffix of their resources.
    public var swarmProvider: String {
        switch self {
        case .v2: "docker"
        case .v3: "swarm"
        }
    }

    /// The service label that names the network Traefik reaches the service's tasks on.
    public var networkLabel: String {
        switch self {
        case .v2: "traefik.docker.network"
        case .v3: "traefik.swarm.network"
        }
    }

    /// `name@provider`: a resource of the Swarm provider named from another provider's point of view.
    public func qualified(_ name: String) -> String {
        name.contains("@") ? name : "\(name)@\(swarmProvider)"
    }
}
