extension DockerClient {
    /// Lists swarm configs.
    ///
    /// Maps to `GET /configs?filters=…`.
    public func listConfigs(filters: DockerFilters = DockerFilters()) async throws -> [SwarmConfig] {
        try await listSwarmObjects("configs", filters: filters)
    }

    /// Reads one config, including its data.
    ///
    /// Maps to `GET /configs/{id}`.
    ///
    /// - Parameter id: The config's ID or name.
    /// - Throws: ``DockerClientError/isNotFound`` when it does not exist.
    public func inspectConfig(_ id: String) async throws -> SwarmConfig {
        try await inspectSwarmObject("configs", id: id)
    }

    /// Creates a config. Configs are immutable: to change one, create a new name and re-point services.
    ///
    /// Maps to `POST /configs/create`.
    ///
    /// - Returns: The new config's ID.
    /// - Throws: ``DockerClientError/isConflict`` when the name is taken.
    public func createConfig(_ spec: SwarmConfigSpec) async throws -> String {
        try await createSwarmObject("configs", spec: spec)
    }

    /// Removes a config.
    ///
    /// Maps to `DELETE /configs/{id}`.
    public func removeConfig(_ id: String) async throws {
        try await removeSwarmObject("configs", id: id)
    }

    /// Lists swarm secrets (metadata only; Docker never returns secret data).
    ///
    /// Maps to `GET /secrets?filters=…`.
    public func listSecrets(filters: DockerFilters = DockerFilters()) async throws -> [SwarmSecret] {
        try await listSwarmObjects("secrets", filters: filters)
    }

    /// Reads one secret's metadata.
    ///
    /// Maps to `GET /secrets/{id}`.
    ///
    /// - Parameter id: The secret's ID or name.
    /// - Throws: ``DockerClientError/isNotFound`` when it does not exist.
    public func inspectSecret(_ id: String) async throws -> SwarmSecret {
        try await inspectSwarmObject("secrets", id: id)
    }

    /// Creates a secret. Secrets are immutable: rotate by creating a new name and re-pointing services.
    ///
    /// Maps to `POST /secrets/create`. The body carries the secret; it is never logged.
    ///
    /// - Returns: The new secret's ID.
    /// - Throws: ``DockerClientError/isConflict`` when the name is taken.
    public func createSecret(_ spec: SwarmSecretSpec) async throws -> String {
        try await createSwarmObject("secrets", spec: spec)
    }

    /// Removes a secret.
    ///
    /// Maps to `DELETE /secrets/{id}`.
    public func removeSecret(_ id: String) async throws {
        try await removeSwarmObject("secrets", id: id)
    }

    // Configs and secrets share routes and envelopes; only the collection name and the spec differ.

    private func listSwarmObjects<Spec>(_ collection: String, filters: DockerFilters) async throws -> [SwarmObject<
        Spec
    >] {
        try await sendDecoding(
            [SwarmObject<Spec>].self, DockerRequest(.GET, "/\(collection)", query: filters.queryItems)
        )
    }

    private func inspectSwarmObject<Spec>(_ collection: String, id: String) async throws -> SwarmObject<Spec> {
        try await sendDecoding(
            SwarmObject<Spec>.self,
            DockerRequest(.GET, "/\(collection)/\(DockerRequest.segment(id))", route: "/\(collection)/{id}")
        )
    }

    private func createSwarmObject(_ collection: String, spec: some Encodable) async throws -> String {
        try await sendDecoding(IDResponse.self, try DockerRequest(.POST, "/\(collection)/create").withJSONBody(spec)).id
    }

    private func removeSwarmObject(_ collection: String, id: String) async throws {
        try await sendIgnoringBody(
            DockerRequest(.DELETE, "/\(collection)/\(DockerRequest.segment(id))", route: "/\(collection)/{id}")
        )
    }
}
