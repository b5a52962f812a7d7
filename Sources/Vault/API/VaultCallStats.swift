/// Counts of the calls sent to Vault's HTTP API, for `up`'s summary, tests and benchmarks.
public struct VaultCallStats: Sendable, Equatable {
    /// Every request sent (answered or not: a write whose answer was lost may still have been applied).
    public var total: Int
    /// Requests that can change Vault, by what the endpoint does (a token lookup sent by `POST` is a read).
    public var mutating: Int
    /// Requests per `"METHOD path"`, e.g. `"PUT sys/policies/acl/platform-read"` (no query). Paths name mounts,
    /// secrets, policies and endpoints, never a value: tokens and accessors travel in bodies and headers.
    public var byRoute: [String: Int]

    /// Creates stats; the default is all zeros.
    public init(total: Int = 0, mutating: Int = 0, byRoute: [String: Int] = [:]) {
        self.total = total
        self.mutating = mutating
        self.byRoute = byRoute
    }

    /// The routes of the mutating calls, sorted: what a no-op run should not have sent.
    public var mutatingRoutes: [String] {
        byRoute.keys.filter { route in
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            return parts.count == 2 && VaultRequest.isMutating(method: parts[0], path: parts[1])
        }.sorted()
    }

    /// Adds one call to the counts.
    mutating func record(method: String, path: String) {
        total += 1
        if VaultRequest.isMutating(method: method, path: path) { mutating += 1 }
        byRoute["\(method) \(path)", default: 0] += 1
    }
}
