/// The routers and services Traefik reported in one read: what ``RouteVerifier`` judges.
public struct TraefikRoutingSnapshot: Sendable, Equatable {
    /// Every HTTP router.
    public var routers: [TraefikRouter]
    /// Every HTTP service.
    public var services: [TraefikService]

    /// Creates a snapshot.
    public init(routers: [TraefikRouter], services: [TraefikService]) {
        self.routers = routers
        self.services = services
    }
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
