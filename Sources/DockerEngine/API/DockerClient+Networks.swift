extension DockerClient {
    /// Lists networks.
    ///
    /// Maps to `GET /networks?filters=…`.
    ///
    /// - Parameter filters: e.g. `.label("io.sprocket.stack", "web")`, `["driver": ["overlay"]]`.
    public func listNetworks(filters: DockerFilters = DockerFilters()) async throws -> [NetworkResource] {
        try await sendDecoding(
            [NetworkResource].self, DockerRequest(.GET, "/networks", query: filters.queryItems)
        )
    }

    /// Reads one network.
    ///
    /// Maps to `GET /networks/{id}`.
    ///
    /// - Parameter id: The network's ID or name.
    /// - Throws: ``DockerClientError/http(status:method:path:message:)`` with ``DockerClientError/isNotFound``
    ///   when it does not exist.
    public func inspectNetwork(_ id: String) async throws -> NetworkResource {
        try await sendDecoding(
            NetworkResource.self,
            DockerRequest(.GET, "/networks/\(DockerRequest.segment(id))", route: "/networks/{id}")
        )
    }

    /// Creates a network.
    ///
    /// Maps to `POST /networks/create`.
    ///
    /// - Returns: The new network's ID and any warning.
    /// - Throws: ``DockerClientError/isConflict`` when a network of that name exists and `checkDuplicate` is set.
    public func createNetwork(_ request: NetworkCreateRequest) async throws -> NetworkCreateResponse {
        try await sendDecoding(
            NetworkCreateResponse.self, try DockerRequest(.POST, "/networks/create").withJSONBody(request)
        )
    }

    /// Removes a network.
    ///
    /// Maps to `DELETE /networks/{id}`.
    ///
    /// - Parameter id: The network's ID or name.
    public func removeNetwork(_ id: String) async throws {
        try await sendIgnoringBody(
            DockerRequest(.DELETE, "/networks/\(DockerRequest.segment(id))", route: "/networks/{id}")
        )
    }
}
