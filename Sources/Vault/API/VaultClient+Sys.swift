import Foundation

extension VaultClient {
    /// Whether Vault has been initialised. `GET /v1/sys/init` (unauthenticated).
    public func isInitialized() async throws -> Bool {
        struct Body: Decodable, Sendable { var initialized: Bool }
        return try await sendDecoding(
            Body.self, VaultRequest(method: "GET", path: "sys/init", authenticated: false)
        ).initialized
    }

    /// Initialises Vault with a Shamir seal. `PUT /v1/sys/init` (unauthenticated).
    ///
    /// The HTTP API has no defaults; `vault operator init` uses 5 shares and a threshold of 3.
    ///
    /// - Returns: The key shares and the root token: keep them safe, they are shown only once.
    /// - Throws: ``VaultClientError/badRequest(method:path:messages:)`` with `Vault is already initialized` on a
    ///   second call, or with Vault's seal-configuration message for bad numbers.
    public func initialize(shares: Int, threshold: Int) async throws -> VaultInitResult {
        struct Body: Encodable { var secret_shares: Int, secret_threshold: Int }
        let request = try VaultRequest.json(
            "PUT", "sys/init", body: Body(secret_shares: shares, secret_threshold: threshold), authenticated: false)
        return try await sendDecoding(VaultInitResult.self, request)
    }

    /// The seal state and unseal progress. `GET /v1/sys/seal-status` (unauthenticated; 200 even before init).
    public func sealStatus() async throws -> VaultSealStatus {
        try await sendDecoding(
            VaultSealStatus.self, VaultRequest(method: "GET", path: "sys/seal-status", authenticated: false))
    }

    /// Submits one unseal key share (hex or base64). `PUT /v1/sys/unseal` (unauthenticated).
    ///
    /// A share already submitted in this attempt is ignored by Vault (progress unchanged).
    ///
    /// - Returns: The seal status after this share: `sealed == false` once the threshold is reached.
    /// - Throws: ``VaultClientError/badRequest(method:path:messages:)`` with `Unseal failed, invalid key` when
    ///   the combined shares are wrong (Vault then forgets the shares of this attempt).
    public func unseal(key: VaultSecretString) async throws -> VaultSealStatus {
        struct Body: Encodable { var key: String }
        let request = try VaultRequest.json(
            "PUT", "sys/unseal", body: Body(key: key.unredactedValue), authenticated: false)
        return try await sendDecoding(VaultSealStatus.self, request)
    }

    /// Forgets the shares submitted so far. `PUT /v1/sys/unseal` with `reset: true`.
    ///
    /// - Throws: ``VaultClientError/badRequest(method:path:messages:)`` (`vault is unsealed`) when not sealed.
    @discardableResult
    public func resetUnseal() async throws -> VaultSealStatus {
        struct Body: Encodable { var reset = true }
        let request = try VaultRequest.json("PUT", "sys/unseal", body: Body(), authenticated: false)
        return try await sendDecoding(VaultSealStatus.self, request)
    }

    /// Seals Vault. `PUT /v1/sys/seal`; needs a root token (or `update` + `sudo` on `sys/seal`). 204.
    public func seal() async throws {
        try await send(VaultRequest(method: "PUT", path: "sys/seal"))
    }

    /// Checks health. `GET /v1/sys/health` (unauthenticated). Never throws for Vault's documented health codes:
    /// a sealed or uninitialised Vault is a state, not an error.
    ///
    /// - Parameter query: Overrides of the status codes; the state is read back through the same codes.
    /// - Throws: ``VaultClientError/unreachable(address:reason:)`` when nothing answers, or
    ///   ``VaultClientError/badRequest(method:path:messages:)`` for a malformed query.
    public func health(_ query: VaultHealthQuery = VaultHealthQuery()) async throws -> VaultHealth {
        let request = VaultRequest(method: "GET", path: "sys/health", query: query.queryItems, authenticated: false)
        let response = try await sendRaw(request)
        let body = try? JSONDecoder().decode(VaultHealthBody.self, from: response.body)
        if body == nil, response.status == 400 || response.status >= 500 && response.status != query.sealedCode
            && response.status != query.uninitializedCode
        {
            throw Self.error(status: response.status, body: response.body, method: "GET", path: request.path)
        }
        return VaultHealth(state: query.state(status: response.status, body: body), status: response.status, body: body)
    }
}
