extension DockerClient {
    /// Lists services.
    ///
    /// Maps to `GET /services?filters=…&status=…`.
    ///
    /// - Parameters:
    ///   - filters: e.g. `.label("io.sprocket.stack", "web")`, `["name": ["web"]]`.
    ///   - status: Ask for ``Service/serviceStatus`` (running and desired task counts; API 1.41+).
    public func listServices(filters: DockerFilters = DockerFilters(), status: Bool = false) async throws -> [Service] {
        let query = filters.queryItems + (status ? [("status", "true")] : [])
        return try await sendDecoding([Service].self, DockerRequest(.GET, "/services", query: query))
    }

    /// Reads one service.
    ///
    /// Maps to `GET /services/{id}?insertDefaults=false`.
    ///
    /// - Parameter id: The service's ID or name.
    /// - Throws: ``DockerClientError/isNotFound`` when it does not exist.
    public func inspectService(_ id: String) async throws -> Service {
        try await sendDecoding(
            Service.self,
            DockerRequest(
                .GET, "/services/\(DockerRequest.segment(id))", route: "/services/{id}",
                query: [("insertDefaults", "false")]
            )
        )
    }

    /// Creates a service.
    ///
    /// Maps to `POST /services/create`.
    ///
    /// - Parameters:
    ///   - spec: The desired state.
    ///   - registryAuth: The `X-Registry-Auth` header value (base64url-encoded JSON credentials), for private images.
    /// - Returns: The new service's ID and any warnings.
    /// - Throws: ``DockerClientError/isConflict`` when the name is taken.
    public func createService(_ spec: ServiceSpec, registryAuth: String? = nil) async throws -> ServiceCreateResponse {
        var request = try DockerRequest(.POST, "/services/create").withJSONBody(spec)
        if let registryAuth { request.headers.append(("X-Registry-Auth", registryAuth)) }
        return try await sendDecoding(ServiceCreateResponse.self, request)
    }

    /// Replaces a service's spec.
    ///
    /// Maps to `POST /services/{id}/update?version=…`. The whole spec is replaced: start from the inspected
    /// ``Service/spec`` and change what you need.
    ///
    /// - Parameters:
    ///   - id: The service's ID or name.
    ///   - version: ``Service/version`` as last read; Swarm rejects stale versions
    ///     (the daemon's "update out of sequence" error, passed through verbatim).
    ///   - spec: The new desired state.
    ///   - registryAuth: The `X-Registry-Auth` header value, for private images.
    /// - Returns: Warnings from the daemon (empty when none).
    @discardableResult
    public func updateService(
        _ id: String, version: UInt64, spec: ServiceSpec, registryAuth: String? = nil
    ) async throws -> [String] {
        var request = try DockerRequest(
            .POST, "/services/\(DockerRequest.segment(id))/update", route: "/services/{id}/update",
            query: [("version", String(version))]
        ).withJSONBody(spec)
        if let registryAuth { request.headers.append(("X-Registry-Auth", registryAuth)) }
        return try await sendDecoding(ServiceUpdateResponse.self, request).warnings ?? []
    }

    /// Removes a service (its tasks are shut down asynchronously).
    ///
    /// Maps to `DELETE /services/{id}`.
    public func removeService(_ id: String) async throws {
        try await sendIgnoringBody(
            DockerRequest(.DELETE, "/services/\(DockerRequest.segment(id))", route: "/services/{id}")
        )
    }
}

/// The answer of `POST /services/{id}/update`.
struct ServiceUpdateResponse: Decodable {
    var warnings: [String]?

    enum CodingKeys: String, CodingKey {
        case warnings = "Warnings"
    }
}
