import Crypto
import Foundation

/// The emulated Vault server's state and request handling, kept in one `Mutex` by ``VaultEmulator``.
///
/// Answers follow `docs/wire-formats.md` §1: the `{"errors":[…]}` envelope, 204 for body-less writes,
/// the logical envelope with nulls, sys answers with `data` hoisted to the top level, and `Content-Type:
/// application/json` plus `Cache-Control: no-store` on every answer.
struct VaultEmulatorCore: Sendable {
    /// The OpenBao release the emulator follows (docs/openbao.md lists what was checked against it).
    static let version = "2.7.2"
    static let commitDate = "2026-10-26T20:32:27Z"
    /// OpenBao's service tokens start `s.` (HashiCorp Vault 1.10+ uses `hvs.`).
    static let tokenPrefix = "s."
    /// OpenBao's 400 when the combined shares do not open the barrier.
    static let invalidKeyMessage =
        "unable to retrieve stored keys: invalid key: failed to decrypt keys from storage: cipher: message authentication failed"
    /// Vault's system default and maximum token TTL: 768 hours.
    static let systemMaxTTL = 768 * 3600

    /// Shares and threshold, present once initialised (kept outside the barrier, like Vault's seal config).
    struct SealConfig: Codable, Sendable {
        var shares: Int
        var threshold: Int
    }

    /// The test-controlled replication role that `sys/health` reports.
    var healthRole: VaultEmulator.HealthRole = .active
    var sealConfig: SealConfig?
    /// The barrier, AES-GCM sealed with the root key; present once initialised.
    var sealedBarrier: Data?
    /// Present only while unsealed.
    var barrier: VaultEmulatorBarrier?
    /// The 32-byte root key, present only while unsealed.
    var rootKey: [UInt8]?
    var unsealParts: [[UInt8]] = []
    var unsealNonce = ""
    var clusterName = "vault-cluster-" + String(UUID().uuidString.lowercased().prefix(8))
    var clusterID = UUID().uuidString.lowercased()
    /// Set by handlers that changed the barrier, so the caller re-encrypts and persists it.
    var barrierChanged = false
    /// How many requests a freshly enabled kv-v2 mount answers with the upgrade 400 (OpenBao does this for ~0.1 s).
    var kvUpgradeRequests = 0
    /// The mounts still "upgrading", with the number of requests left.
    var upgradingMounts: [String: Int] = [:]

    var isSealed: Bool { barrier == nil }

    // MARK: dispatch

    mutating func handle(_ request: StubHTTPServer.Request, now: Date) -> StubHTTPServer.Response {
        let method = request.method.uppercased()
        guard request.path.hasPrefix("/v1/") else { return Self.errors(404, []) }
        let path = String(request.path.dropFirst(4))
        let isList = method == "LIST" || (method == "GET" && request.query["list"] == "true")
        let body: EmulatorJSON
        if request.body.isEmpty {
            body = .object([:])
        } else if let parsed = EmulatorJSON.parse(request.body) {
            body = parsed
        } else {
            return Self.errors(400, ["failed to parse JSON input: invalid character in request body"])
        }
        var call = Call(method: isList ? "LIST" : method, path: path, query: request.query, body: body, now: now)
        switch path {
        case "sys/init": return handleInit(call)
        case "sys/seal-status": return method == "GET" ? sealStatusResponse() : Self.errors(405, [])
        case "sys/unseal": return handleUnseal(call)
        case "sys/health": return handleHealth(call, head: method == "HEAD")
        default: break
        }
        guard barrier != nil else { return Self.errors(503, ["Vault is sealed"]) }
        switch authenticate(request, now: now) {
        case .refused(let response): return response
        case .accepted(let token): call.token = token
        }
        return route(&call)
    }

    /// One request, parsed.
    struct Call {
        var method: String
        var path: String
        var query: [String: String]
        var body: EmulatorJSON
        var now: Date
        var token: EmulatedToken?

        /// The segments after `prefix`, e.g. `sys/mounts/` → `platform`.
        func rest(after prefix: String) -> String? {
            path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
        }
    }

    private mutating func route(_ call: inout Call) -> StubHTTPServer.Response {
        let path = call.path
        if path == "sys/seal" { return handleSeal(call) }
        if path == "sys/mounts" || path.hasPrefix("sys/mounts/") { return handleMounts(call) }
        if path.hasPrefix("sys/policies/acl") || path == "sys/policy" || path.hasPrefix("sys/policy/") {
            return handlePolicies(call)
        }
        if path.hasPrefix("auth/token/") { return handleTokens(&call) }
        if let mount = mountPath(for: path) { return handleKV(call, mount: mount) }
        if let denied = authorize(call, capability: capability(for: call)) { return denied }
        return Self.errors(404, ["no handler for route \"\(path)\". route entry not found."])
    }

    /// The KV mount (`platform/`) a path lives in, the longest match.
    func mountPath(for path: String) -> String? {
        barrier?.mounts.keys.filter { (path + "/").hasPrefix($0) }.max { $0.count < $1.count }
    }

    // MARK: authentication and ACL

    /// The outcome of checking a request's token.
    enum Authentication {
        case accepted(EmulatedToken)
        case refused(StubHTTPServer.Response)
    }

    private mutating func authenticate(_ request: StubHTTPServer.Request, now: Date) -> Authentication {
        var tokenID = request.header("X-Vault-Token") ?? ""
        if tokenID.isEmpty, let bearer = request.header("Authorization"), bearer.hasPrefix("Bearer ") {
            tokenID = String(bearer.dropFirst(7))
        }
        guard !tokenID.isEmpty else { return .refused(Self.invalidToken()) }
        guard var token = barrier?.tokens[tokenID] else { return .refused(Self.invalidToken()) }
        if let expiry = token.expireTime, expiry <= now {
            revokeTree(tokenID)
            return .refused(Self.invalidToken())
        }
        if token.numUses > 0 {
            token.numUses -= 1
            if token.numUses == 0 { revokeTree(tokenID) } else { barrier?.tokens[tokenID] = token }
            barrierChanged = true
        }
        return .accepted(token)
    }

    /// The capability a request needs: read, list, create or update (create when nothing exists yet), delete, patch.
    func capability(for call: Call, exists: Bool = true) -> String {
        switch call.method {
        case "GET", "HEAD": "read"
        case "LIST": "list"
        case "DELETE": "delete"
        case "PATCH": "patch"
        default: exists ? "update" : "create"
        }
    }

    /// nil when the token's policies grant every capability in `needed` on the request path, else a 403.
    func authorize(_ call: Call, capability needed: String...) -> StubHTTPServer.Response? {
        guard let token = call.token, let barrier else { return Self.permissionDenied() }
        let acl = EmulatedACL(policyNames: token.policies, texts: barrier.policies)
        let aclPath = call.method == "LIST" && !call.path.hasSuffix("/") ? call.path + "/" : call.path
        let granted = acl.capabilities(on: aclPath)
        return needed.allSatisfy(granted.contains) ? nil : Self.permissionDenied()
    }

    // MARK: answers

    static let standardHeaders: [(String, String)] = [("Cache-Control", "no-store")]

    static func json(_ status: Int, _ value: EmulatorJSON) -> StubHTTPServer.Response {
        .json(value.text, status: status, headers: standardHeaders)
    }

    static func errors(_ status: Int, _ messages: [String]) -> StubHTTPServer.Response {
        json(status, ["errors": .array(messages.map(EmulatorJSON.string))])
    }

    static func noContent() -> StubHTTPServer.Response {
        StubHTTPServer.Response(
            status: 204, headers: standardHeaders.map { StubHTTPServer.Header(name: $0.0, value: $0.1) }, parts: [[]])
    }

    /// The real servers' go-multierror form (docs/wire-formats.md §1.0).
    static func permissionDenied() -> StubHTTPServer.Response {
        errors(403, ["1 error occurred:\n\t* permission denied\n\n"])
    }

    /// A missing, revoked, expired or unknown token: OpenBao answers a plain `permission denied`, without the
    /// multierror wrapping it uses when a valid token's policies refuse the path.
    static func invalidToken() -> StubHTTPServer.Response {
        errors(403, ["permission denied"])
    }

    /// The logical envelope; every key present, absent ones null. OpenBao sends no `mount_type`.
    static func envelope(
        data: EmulatorJSON = nil, auth: EmulatorJSON = nil, warnings: [String] = [], status: Int = 200
    ) -> StubHTTPServer.Response {
        var object: [String: EmulatorJSON] = [
            "request_id": .string(UUID().uuidString.lowercased()), "lease_id": "", "renewable": false,
            "lease_duration": 0, "data": data, "wrap_info": nil,
            "warnings": warnings.isEmpty ? nil : .array(warnings.map(EmulatorJSON.string)), "auth": auth,
        ]
        return json(status, .object(object))
    }

    /// A sys answer: the envelope with `data`'s keys also at the top level (Vault's HTTPSysInjector). OpenBao does
    /// this for `sys/mounts…` and the legacy `sys/policy…`, not for `sys/policies/acl…`.
    static func sysEnvelope(_ data: [String: EmulatorJSON]) -> StubHTTPServer.Response {
        var object: [String: EmulatorJSON] = [
            "request_id": .string(UUID().uuidString.lowercased()), "lease_id": "", "renewable": false,
            "lease_duration": 0, "data": .object(data), "wrap_info": nil, "warnings": nil, "auth": nil,
        ]
        for (key, value) in data where object[key] == nil { object[key] = value }
        return json(200, .object(object))
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func randomID(_ length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
    }
}
