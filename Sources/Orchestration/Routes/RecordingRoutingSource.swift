import Synchronization
import Traefik

/// A routing source that keeps the last snapshot it read, so the caller can look at what Traefik's API said after
/// ``RouteVerifier`` finished (the resolver each router really carries, for the HTTPS probes and the ledger).
public final class RecordingRoutingSource: TraefikRoutingSource {
    private let source: any TraefikRoutingSource
    private let snapshot = Mutex<TraefikRoutingSnapshot?>(nil)

    public init(_ source: any TraefikRoutingSource) {
        self.source = source
    }

    /// The last snapshot read, nil before the first successful read.
    public var last: TraefikRoutingSnapshot? { snapshot.withLock { $0 } }

    public func routingSnapshot() async throws -> TraefikRoutingSnapshot {
        let read = try await source.routingSnapshot()
        snapshot.withLock { $0 = read }
        return read
    }
}
