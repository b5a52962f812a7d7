extension DockerClient {
    /// Lists volumes.
    ///
    /// Maps to `GET /volumes?filters=…`.
    ///
    /// - Parameter filters: e.g. `.label("io.sprocket.stack", "web")`, `["dangling": ["true"]]`.
    /// - Returns: The volumes and any driver warnings.
    public func listVolumes(filters: DockerFilters = DockerFilters()) async throws -> VolumeListResponse {
        try await sendDecoding(VolumeListResponse.self, DockerRequest(.GET, "/volumes", query: filters.queryItems))
    }

    /// Reads one volume.
    ///
    /// Maps to `GET /volumes/{name}`.
    public func inspectVolume(_ name: String) async throws -> Volume {
        try await sendDecoding(
            Volume.self, DockerRequest(.GET, "/volumes/\(DockerRequest.segment(name))", route: "/volumes/{name}")
        )
    }

    /// Creates a volume. Creating a volume that already exists with the same driver returns it unchanged.
    ///
    /// Maps to `POST /volumes/create`.
    public func createVolume(_ request: VolumeCreateRequest) async throws -> Volume {
        try await sendDecoding(Volume.self, try DockerRequest(.POST, "/volumes/create").withJSONBody(request))
    }

    /// Removes a volume.
    ///
    /// Maps to `DELETE /volumes/{name}?force=…`.
    ///
    /// - Parameters:
    ///   - name: The volume's name.
    ///   - force: Remove even if it is in use.
    public func removeVolume(_ name: String, force: Bool = false) async throws {
        try await sendIgnoringBody(
            DockerRequest(
                .DELETE, "/volumes/\(DockerRequest.segment(name))", route: "/volumes/{name}",
                query: force ? [("force", "true")] : []
            )
        )
    }
}
