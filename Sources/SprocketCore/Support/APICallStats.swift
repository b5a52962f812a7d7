/// Counts of the calls a client sent to one system's HTTP API (Docker's Engine API, Vault's), for `up`'s summary,
/// tests and benchmarks. Which calls can change the system is the client's to say (``record(_:mutating:)``).
public struct APICallStats: Sendable, Equatable {
    /// Every request sent (answered or not: a write whose answer was lost may still have been applied).
    public var total: Int
    /// Requests that can change the system.
    public var mutating: Int
    /// Requests per `"METHOD route"`, e.g. `"POST /services/{id}/update"` or `"PUT sys/policies/acl/platform-read"`
    /// (no version prefix, no query). Routes name objects and endpoints, never a value.
    public var byRoute: [String: Int]
    /// The routes of ``byRoute`` whose calls can change the system.
    public var mutatingRouteNames: Set<String>

    /// Creates stats; the default is all zeros.
    public init(total: Int = 0, mutating: Int = 0, byRoute: [String: Int] = [:], mutatingRouteNames: Set<String> = []) {
        self.total = total
        self.mutating = mutating
        self.byRoute = byRoute
        self.mutatingRouteNames = mutatingRouteNames
    }

    /// The routes of the mutating calls, sorted: what a no-op run should not have sent.
    public var mutatingRoutes: [String] { mutatingRouteNames.sorted() }

    /// Adds one call of `route` (`"METHOD path"`) to the counts.
    public mutating func record(_ route: String, mutating isMutating: Bool) {
        total += 1
        byRoute[route, default: 0] += 1
        if isMutating {
            mutating += 1
            mutatingRouteNames.insert(route)
        }
    }
}
