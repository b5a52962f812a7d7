import Foundation

/// One call to Vault's HTTP API, before it is sent.
struct VaultRequest: Sendable {
    /// `GET`, `PUT`, `POST`, `DELETE`, `HEAD`.
    var method: String
    /// The API path without `/v1/`, e.g. `sys/seal-status` or `platform/data/prod/db`. Named in every error.
    var path: String
    /// Query parameters, in order.
    var query: [(String, String)] = []
    /// A JSON body.
    var body: Data?
    /// Whether to send `X-Vault-Token`. The sys endpoints for init, seal status, unseal and health do not need it.
    var authenticated = true
    /// A token to use instead of the client's own (for calls that act as another token).
    var tokenOverride: VaultSecretString?
    /// The body's media type.
    var contentType = "application/json"
    /// The largest answer accepted; nil: ``VaultClient/maxBodyBytes`` (a raft snapshot can be larger).
    var maxResponseBytes: Int?

    /// A request with a JSON-encoded body.
    static func json<Body: Encodable>(_ method: String, _ path: String, body: Body, authenticated: Bool = true) throws
        -> VaultRequest
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return VaultRequest(method: method, path: path, body: try encoder.encode(body), authenticated: authenticated)
        } catch {
            throw VaultClientError.invalidConfiguration("cannot encode the request body for \(path): \(error)")
        }
    }

    /// Whether the call can change Vault; counted as mutating in ``APICallStats``.
    var isMutating: Bool { Self.isMutating(method: method, path: path) }

    /// Classifies a call by what it does, not only by its method: reads are `GET` and `HEAD` (a `LIST` is a `GET`
    /// with `list=true` here), plus the few endpoints Vault serves by `POST`/`PUT` that only look something up
    /// (``readingWrites``). Everything else sent with `POST`, `PUT` or `DELETE` counts as mutating: `sys/init`,
    /// `sys/unseal` (it moves the unseal progress), KV writes, policy writes, mount enables, token create and renew.
    static func isMutating(method: String, path: String) -> Bool {
        switch method.uppercased() {
        case "GET", "HEAD", "LIST": return false
        default: return !readingWrites.contains(path)
        }
    }

    /// Endpoints sent by `POST` that change nothing: token lookups (the token or accessor travels in the body so
    /// that it stays out of URLs and logs) and capability checks.
    static let readingWrites: Set<String> = [
        "auth/token/lookup", "auth/token/lookup-self", "auth/token/lookup-accessor",
        "sys/capabilities", "sys/capabilities-self", "sys/capabilities-accessor",
    ]

    /// `/v1/<path>?<query>`, with the path's segments and the query percent-encoded.
    var uri: String {
        let encodedPath = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? String($0) }
            .joined(separator: "/")
        guard !query.isEmpty else { return "/v1/" + encodedPath }
        let queryText = query.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? value)"
        }.joined(separator: "&")
        return "/v1/\(encodedPath)?\(queryText)"
    }

    private static let segmentCharacters: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()
}
