/// A router Traefik should report once the stack is deployed (what `verify routes` compares with
/// `/api/http/routers`; the Traefik module's `ExpectedRouter` takes the same fields). Names are qualified
/// with their provider, as the API shows them.
public struct CompiledRouter: Sendable, Hashable, Codable {
    /// `<name>@swarm` (v3) or `<name>@docker` (v2).
    public var name: String
    public var rule: String
    /// Sorted, like the API's `using`.
    public var entryPoints: [String]
    /// Whether the router serves TLS (`tls` present in the API object).
    public var tls: Bool
    /// The ACME resolver (`tls.certResolver`), nil for Traefik's default certificate or plain HTTP.
    public var certResolver: String?
    /// Qualified middleware names, in the order Traefik applies them.
    public var middlewares: [String]
    /// The qualified service (`<name>@swarm`, `api@internal`).
    public var service: String
    /// The explicit priority, nil for Traefik's default (the rule's length).
    public var priority: Int?
    /// The spec service whose labels define the router.
    public var specService: String

    public init(
        name: String, rule: String, entryPoints: [String], tls: Bool, certResolver: String?, middlewares: [String],
        service: String, priority: Int?, specService: String
    ) {
        self.name = name
        self.rule = rule
        self.entryPoints = entryPoints
        self.tls = tls
        self.certResolver = certResolver
        self.middlewares = middlewares
        self.service = service
        self.priority = priority
        self.specService = specService
    }
}
