extension DockerClient {
    /// Lists swarm tasks.
    ///
    /// Maps to `GET /tasks?filters=…`.
    ///
    /// - Parameter filters: e.g. `["service": ["web"], "desired-state": ["running"]]`.
    public func listTasks(filters: DockerFilters = DockerFilters()) async throws -> [SwarmTask] {
        try await sendDecoding([SwarmTask].self, DockerRequest(.GET, "/tasks", query: filters.queryItems))
    }

    /// Lists swarm nodes.
    ///
    /// Maps to `GET /nodes?filters=…`.
    public func listNodes(filters: DockerFilters = DockerFilters()) async throws -> [SwarmNode] {
        try await sendDecoding([SwarmNode].self, DockerRequest(.GET, "/nodes", query: filters.queryItems))
    }

    /// Reads one node.
    ///
    /// Maps to `GET /nodes/{id}`.
    ///
    /// - Parameter id: The node's ID or hostname.
    public func inspectNode(_ id: String) async throws -> SwarmNode {
        try await sendDecoding(
            SwarmNode.self, DockerRequest(.GET, "/nodes/\(DockerRequest.segment(id))", route: "/nodes/{id}")
        )
    }

    /// Replaces a node's spec (labels, role, availability).
    ///
    /// Maps to `POST /nodes/{id}/update?version=…`.
    ///
    /// - Parameters:
    ///   - id: The node's ID.
    ///   - version: ``SwarmNode/version`` as last read; Swarm rejects stale versions.
    ///   - spec: The new spec; start from the inspected one.
    public func updateNode(_ id: String, version: UInt64, spec: SwarmNode.Spec) async throws {
        try await sendIgnoringBody(
            try DockerRequest(
                .POST, "/nodes/\(DockerRequest.segment(id))/update", route: "/nodes/{id}/update",
                query: [("version", String(version))]
            ).withJSONBody(spec)
        )
    }
}
