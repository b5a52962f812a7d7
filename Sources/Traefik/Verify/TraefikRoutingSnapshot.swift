/// The routers and services Traefik reported in one read: what ``RouteVerifier`` judges.
public struct TraefikRoutingSnapshot: Sendable, Equatable {
    /// Every HTTP router.
    public var routers: [TraefikRouter]
    /// Every HTTP service.
    public var services: [TraefikService]

    /// What a request through Traefik's `web` entry point got, per router name (`name@swarm`), when the source
    /// also probes.
    public var probes: [String: RouteRequestAnswer]

    /// Creates a snapshot.
    public init(routers: [TraefikRouter], services: [TraefikService], probes: [String: RouteRequestAnswer] = [:]) {
        self.routers = routers
        self.services = services
        self.probes = probes
    }
}

/// The answer to one request through Traefik's `web` entry point with a router's Host and path.
public struct RouteRequestAnswer: Sendable, Equatable {
    /// The status line's code; nil when nothing answered.
    public var status: Int?
    /// Whether a 404 is Traefik's own (`404 page not found`: no router matched) rather than the backend's.
    public var isTraefikNotFound: Bool

    public init(status: Int?, isTraefikNotFound: Bool = false) {
        self.status = status
        self.isTraefikNotFound = isTraefikNotFound
    }
}

/// Traefik's log, for the routers its API does not list (``TraefikLogExplainer``).
public protocol TraefikLogSource: Sendable {
    /// The recent log lines of the Traefik service, oldest first.
    func recentLogLines() async throws -> [String]
}

/// Where ``RouteVerifier`` reads routers and services from: the API client, or a fake in tests of callers.
public protocol TraefikRoutingSource: Sendable {
    /// Reads every HTTP router and service.
    func routingSnapshot() async throws -> TraefikRoutingSnapshot
}

extension TraefikAPIClient: TraefikRoutingSource {
    /// Reads `/api/http/routers` and `/api/http/services` (all pages of each), concurrently.
    public func routingSnapshot() async throws -> TraefikRoutingSnapshot {
        async let routers = routers()
        async let services = services()
        return try await TraefikRoutingSnapshot(routers: routers, services: services)
    }
}
