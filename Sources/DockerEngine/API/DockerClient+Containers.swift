extension DockerClient {
    /// One container as `GET /containers/json` lists it.
    public struct ContainerSummary: Codable, Sendable {
        public var id: String
        public var state: String?
        public var labels: [String: String]?

        enum CodingKeys: String, CodingKey {
            case id = "Id", state = "State", labels = "Labels"
        }
    }

    /// Lists this daemon's containers, stopped ones included.
    ///
    /// Maps to `GET /containers/json?all=true&filters=…`; e.g. `["label": ["io.sprocket.job=postgres"], "status": ["exited"]]`.
    public func listContainers(filters: DockerFilters = DockerFilters()) async throws -> [ContainerSummary] {
        try await sendDecoding(
            [ContainerSummary].self, DockerRequest(.GET, "/containers/json", query: [("all", "true")] + filters.queryItems))
    }

    /// Removes a container of this daemon with its anonymous volumes, stopping it first when `force`.
    ///
    /// Maps to `DELETE /containers/{id}?force=…&v=true`; 404 when the container is on another node or gone.
    public func removeContainer(_ id: String, force: Bool = true) async throws {
        try await sendIgnoringBody(DockerRequest(
            .DELETE, "/containers/\(DockerRequest.segment(id))", route: "/containers/{id}",
            query: [("force", force ? "true" : "false"), ("v", "true")]))
    }
}
