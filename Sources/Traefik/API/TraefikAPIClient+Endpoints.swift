import Foundation

extension TraefikAPIClient {
    /// Every HTTP router, all pages. `GET /api/http/routers`
    public func routers() async throws -> [TraefikRouter] {
        try await list("/api/http/routers", of: TraefikRouter.self)
    }

    /// Every HTTP service, all pages. `GET /api/http/services`
    public func services() async throws -> [TraefikService] {
        try await list("/api/http/services", of: TraefikService.self)
    }

    /// Every HTTP middleware, all pages. `GET /api/http/middlewares`
    public func middlewares() async throws -> [TraefikMiddleware] {
        try await list("/api/http/middlewares", of: TraefikMiddleware.self)
    }

    /// One router by its full name (`web@swarm`), nil when Traefik has no such router.
    /// `GET /api/http/routers/{name}`
    public func router(named name: String) async throws -> TraefikRouter? {
        try await single("/api/http/routers/", name: name, of: TraefikRouter.self)
    }

    /// One service by its full name (`web@swarm`), nil when Traefik has no such service.
    /// `GET /api/http/services/{name}`
    public func service(named name: String) async throws -> TraefikService? {
        try await single("/api/http/services/", name: name, of: TraefikService.self)
    }

    /// Resource counts, features and providers. `GET /api/overview`
    public func overview() async throws -> TraefikOverview {
        let reply = try await get("/api/overview")
        return try decode(TraefikOverview.self, from: reply, endpoint: endpoint("/api/overview"))
    }

    /// The running version. `GET /api/version`
    public func version() async throws -> TraefikVersion {
        let reply = try await get("/api/version")
        return try decode(TraefikVersion.self, from: reply, endpoint: endpoint("/api/version"))
    }

    /// Traefik's health endpoint: returns its body (`OK`) on 200; a terminating Traefik answers 503, which throws.
    /// `GET /ping` (served on the `ping` entry point, by default the same `traefik` one as the API).
    @discardableResult
    public func ping() async throws -> String {
        try await get("/ping").text
    }

    /// Reads every page of a list endpoint: `page=1,2,…` while `X-Next-Page` names a later page (Traefik answers 1
    /// on the last page).
    func list<T: Decodable>(_ path: String, of type: T.Type) async throws -> [T] {
        var items: [T] = []
        var page = 1
        for _ in 0..<Self.maxPages {
            let query = [("page", String(page)), ("per_page", String(pageSize))]
            let reply = try await get(path, query: query)
            items += try decode([T].self, from: reply, endpoint: endpoint(path, query: query))
            guard let next = reply.header("X-Next-Page").flatMap({ Int($0) }), next > page else {
                return items
            }
            page = next
        }
        throw TraefikAPIError.tooManyPages(endpoint: endpoint(path), limit: Self.maxPages)
    }

    /// Reads one named resource; 404 means "no such resource" and gives nil.
    private func single<T: Decodable>(_ prefix: String, name: String, of type: T.Type) async throws -> T? {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/@")
        let path = prefix + (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name)
        do {
            let reply = try await get(path)
            return try decode(type, from: reply, endpoint: endpoint(path))
        } catch let error as TraefikAPIError where error.httpStatus == 404 {
            return nil
        }
    }
}
