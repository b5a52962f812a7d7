import Foundation
import SprocketCore
import Synchronization

/// Wakes a convergence wait when Docker reports something about the watched services: a `service` event
/// (created, updated, update state changed, removed) or a `container` event of one of their tasks (start, die,
/// health status, …).
///
/// If the stream breaks (dockerd stopped, an old daemon, a proxy that cuts long requests), the feed goes quiet and
/// the wait falls back to its timer; the wait's own reads then report the real error.
final class DockerActivityFeed: ClusterActivityFeed {
    /// The container label Swarm puts on every task container: the service's name.
    static let serviceNameLabel = "com.docker.swarm.service.name"

    private let signal = ActivitySignal()
    private let reader = Mutex<Task<Void, Never>?>(nil)

    init(client: DockerClient, serviceNames: [String]) {
        let watched = Set(serviceNames)
        let signal = self.signal
        let stream = client.eventStream(filters: DockerFilters(["type": ["service", "container"]]))
        let task = Task {
            do {
                for try await event in stream where Self.concerns(event, watched) {
                    signal.signal()
                }
            } catch {
                // Quiet on purpose: see the type's documentation.
            }
        }
        reader.withLock { $0 = task }
    }

    deinit {
        close()
    }

    /// Whether an event is about one of the watched services.
    static func concerns(_ event: SystemEvent, _ watched: Set<String>) -> Bool {
        let attributes = event.actor?.attributes ?? [:]
        switch event.type {
        case "service": return attributes["name"].map(watched.contains) ?? false
        case "container": return attributes[serviceNameLabel].map(watched.contains) ?? false
        default: return false
        }
    }

    func next(upTo limit: Duration) async -> Bool {
        await signal.wait(upTo: limit)
    }

    func close() {
        reader.withLock { task in
            task?.cancel()
            task = nil
        }
    }
}
