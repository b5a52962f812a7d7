/// Counts of the API calls a ``DockerClient`` has sent, for tests and benchmarks.
public struct DockerCallStats: Sendable, Equatable {
    /// Every request sent, including `/_ping`.
    public var total: Int
    /// Requests that can change daemon state: POST, PUT and DELETE, except a POST to `/_ping`.
    public var mutating: Int
    /// Requests per route template, e.g. `"POST /services/create"` or `"POST /services/{id}/update"`
    /// (no version prefix, no query).
    public var byRoute: [String: Int]

    /// Creates stats; the default is all zeros.
    public init(total: Int = 0, mutating: Int = 0, byRoute: [String: Int] = [:]) {
        self.total = total
        self.mutating = mutating
        self.byRoute = byRoute
    }

    /// Adds one call to the counts.
    mutating func record(method: String, route: String) {
        total += 1
        let isPing = route == "/_ping"
        if ["POST", "PUT", "DELETE", "PATCH"].contains(method), !isPing {
            mutating += 1
        }
        byRoute["\(method) \(route)", default: 0] += 1
    }
}
