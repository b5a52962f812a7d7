import Foundation

/// Reads Traefik API bodies fetched some other way than ``TraefikAPIClient`` (a job inside the swarm prints them),
/// with the client's error shapes.
public enum TraefikAPIDocuments {
    /// Decodes `GET /api/http/routers` and `GET /api/http/services` bodies into a snapshot.
    ///
    /// - Parameter endpoint: how the bodies were fetched, for messages (`http://traefik:8080 from a job on …`).
    public static func snapshot(
        routers: String, services: String, probes: [String: RouteRequestAnswer] = [:], endpoint: String
    ) throws(TraefikAPIError) -> TraefikRoutingSnapshot {
        TraefikRoutingSnapshot(
            routers: try decode([TraefikRouter].self, routers, endpoint: endpoint + "/api/http/routers"),
            services: try decode([TraefikService].self, services, endpoint: endpoint + "/api/http/services"),
            probes: probes)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, endpoint: String) throws(TraefikAPIError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw TraefikAPIClient.undecodable(error, endpoint: endpoint)
        } catch {
            throw .undecodable(endpoint: endpoint, field: "", detail: "\(error)")
        }
    }
}
