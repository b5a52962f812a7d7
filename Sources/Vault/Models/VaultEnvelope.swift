/// Vault's logical response envelope: `request_id`, `data`, `auth`, `warnings`, … (unknown keys are ignored).
struct VaultEnvelope<DataBody: Decodable & Sendable>: Decodable, Sendable {
    var requestID: String?
    var data: DataBody?
    var auth: VaultAuthBody?
    var warnings: [String]?

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case data, auth, warnings
    }
}

/// The `auth` block of token create and renew answers.
struct VaultAuthBody: Decodable, Sendable {
    var clientToken: VaultSecretString
    var accessor: String?
    var policies: [String]?
    var tokenPolicies: [String]?
    var metadata: [String: String]?
    var leaseDuration: Int
    var renewable: Bool
    var tokenType: String?
    var orphan: Bool?

    enum CodingKeys: String, CodingKey {
        case clientToken = "client_token"
        case accessor, policies
        case tokenPolicies = "token_policies"
        case metadata
        case leaseDuration = "lease_duration"
        case renewable
        case tokenType = "token_type"
        case orphan
    }
}

/// Stands for "no data expected" in ``VaultEnvelope``.
struct VaultNoData: Decodable, Sendable {}
