import Foundation

extension VaultClient {
    /// Creates a token. `POST /v1/auth/token/create`, or `create-orphan` when ``VaultTokenRequest/orphan`` is set
    /// (which needs no root token).
    ///
    /// - Returns: The token (secret), its accessor, policies and TTL, and Vault's warnings.
    /// - Throws: ``VaultClientError/badRequest(method:path:messages:)`` when a policy is not the creator's to give.
    public func createToken(_ request: VaultTokenRequest) async throws -> VaultTokenAuth {
        struct Body: Encodable {
            var policies: [String]
            var ttl: String?
            var period: String?
            var explicit_max_ttl: String?
            var renewable: Bool
            var display_name: String?
            var meta: [String: String]?
            var no_default_policy: Bool
            var num_uses: Int
        }
        let body = Body(
            policies: request.policies, ttl: request.ttl?.vaultSeconds, period: request.period?.vaultSeconds,
            explicit_max_ttl: request.explicitMaxTTL?.vaultSeconds, renewable: request.renewable,
            display_name: request.displayName, meta: request.metadata.isEmpty ? nil : request.metadata,
            no_default_policy: request.noDefaultPolicy, num_uses: request.numUses)
        let path = request.orphan ? "auth/token/create-orphan" : "auth/token/create"
        return try await authAnswer(try VaultRequest.json("POST", path, body: body))
    }

    /// The token in use. `GET /v1/auth/token/lookup-self`.
    public func lookupSelf() async throws -> VaultTokenInfo {
        try await tokenInfo(VaultRequest(method: "GET", path: "auth/token/lookup-self"))
    }

    /// Another token, by value. `POST /v1/auth/token/lookup`.
    public func lookup(token: VaultSecretString) async throws -> VaultTokenInfo {
        try await tokenInfo(try VaultRequest.json("POST", "auth/token/lookup", body: ["token": token.unredactedValue]))
    }

    /// The accessors of every token Vault holds. `GET /v1/auth/token/accessors?list=true` (a `LIST`; needs `sudo`,
    /// which the root token has).
    public func listTokenAccessors() async throws -> [String] {
        struct Keys: Decodable, Sendable { var keys: [String]? }
        let request = VaultRequest(method: "GET", path: "auth/token/accessors", query: [("list", "true")])
        return try await sendEnvelope(Keys.self, request).data?.keys ?? []
    }

    /// A token, by accessor (the answer's `id` is empty). `POST /v1/auth/token/lookup-accessor`.
    public func lookup(accessor: String) async throws -> VaultTokenInfo {
        try await tokenInfo(try VaultRequest.json("POST", "auth/token/lookup-accessor", body: ["accessor": accessor]))
    }

    /// Renews the token in use. `POST /v1/auth/token/renew-self`.
    ///
    /// - Parameter increment: The TTL asked for, from now; nil for the token's own TTL (or period). Vault caps it
    ///   at the token's max TTL and says so in ``VaultTokenAuth/warnings``.
    /// - Throws: ``VaultClientError/badRequest(method:path:messages:)`` for a token that is not renewable.
    public func renewSelf(increment: Duration? = nil) async throws -> VaultTokenAuth {
        struct Body: Encodable { var increment: String? }
        return try await authAnswer(
            try VaultRequest.json("POST", "auth/token/renew-self", body: Body(increment: increment?.vaultSeconds)))
    }

    /// Renews another token. `POST /v1/auth/token/renew`.
    public func renew(token: VaultSecretString, increment: Duration? = nil) async throws -> VaultTokenAuth {
        struct Body: Encodable {
            var token: String
            var increment: String?
        }
        let body = Body(token: token.unredactedValue, increment: increment?.vaultSeconds)
        return try await authAnswer(try VaultRequest.json("POST", "auth/token/renew", body: body))
    }

    /// Revokes the token in use (and its children). `POST /v1/auth/token/revoke-self`, 204.
    public func revokeSelf() async throws {
        try await send(VaultRequest(method: "POST", path: "auth/token/revoke-self"))
    }

    /// Revokes another token (and its children). `POST /v1/auth/token/revoke`, 204.
    public func revoke(token: VaultSecretString) async throws {
        try await send(try VaultRequest.json("POST", "auth/token/revoke", body: ["token": token.unredactedValue]))
    }

    /// Revokes a token by accessor. `POST /v1/auth/token/revoke-accessor`, 204.
    public func revoke(accessor: String) async throws {
        try await send(try VaultRequest.json("POST", "auth/token/revoke-accessor", body: ["accessor": accessor]))
    }

    private func tokenInfo(_ request: VaultRequest) async throws -> VaultTokenInfo {
        guard let info = try await sendEnvelope(VaultTokenInfo.self, request).data else {
            throw VaultClientError.decoding(path: request.path, detail: "the answer has no token data")
        }
        return info
    }

    private func authAnswer(_ request: VaultRequest) async throws -> VaultTokenAuth {
        let envelope = try await sendEnvelope(VaultNoData.self, request)
        guard let auth = envelope.auth else {
            throw VaultClientError.decoding(path: request.path, detail: "the answer has no auth block")
        }
        return VaultTokenAuth(auth, warnings: envelope.warnings)
    }
}
