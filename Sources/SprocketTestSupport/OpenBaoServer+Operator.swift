import Foundation

/// The operator calls a test needs to set a server up or disturb it (init, unseal, seal, wait for active), sent
/// straight over HTTP so the code under test (the Vault client) is not what prepares its own fixture.
extension OpenBaoServer {
    /// `PUT sys/init`.
    public func initialize(shares: Int, threshold: Int) async throws -> OpenBaoInitResult {
        let answer = try await call("PUT", "/v1/sys/init", body: #"{"secret_shares":\#(shares),"secret_threshold":\#(threshold)}"#)
        guard answer.status == 200, let json = answer.json, let keys = json["keys"] as? [String],
            let keysBase64 = json["keys_base64"] as? [String], let root = json["root_token"] as? String
        else {
            throw OpenBaoServerError("sys/init on \(address) answered \(answer.status); its log:\n\(logTail())")
        }
        return OpenBaoInitResult(keys: keys, keysBase64: keysBase64, rootToken: root)
    }

    /// Submits shares until the server is unsealed, then waits until it is the active node.
    public func unseal(keys: [String]) async throws {
        for key in keys {
            let answer = try await call("PUT", "/v1/sys/unseal", body: #"{"key":"\#(key)"}"#)
            guard answer.status == 200 else {
                throw OpenBaoServerError("sys/unseal on \(address) answered \(answer.status): \(answer.body)")
            }
            if answer.json?["sealed"] as? Bool == false { break }
        }
        try await waitUntilActive()
    }

    /// `PUT sys/seal` with a root token, as `bao operator seal` does.
    public func seal(rootToken: String) async throws {
        // Right after an unseal the node is not active for about a second, and `sys/seal` answers 500 then.
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? await call("GET", "/v1/sys/health"))?.status != 200, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let answer = try await call("PUT", "/v1/sys/seal", token: rootToken)
        guard answer.status == 204 || answer.status == 200 else {
            throw OpenBaoServerError("sys/seal on \(address) answered \(answer.status): \(answer.body)")
        }
    }

    /// `sys/seal-status`: whether the server is initialised and sealed, and the unseal progress.
    public func sealState() async throws -> (initialized: Bool, sealed: Bool, progress: Int) {
        let answer = try await call("GET", "/v1/sys/seal-status")
        guard answer.status == 200, let json = answer.json else {
            throw OpenBaoServerError("sys/seal-status on \(address) answered \(answer.status): \(answer.body)")
        }
        return (json["initialized"] as? Bool ?? false, json["sealed"] as? Bool ?? true, json["progress"] as? Int ?? 0)
    }

    /// The status code of `GET sys/health`: 200 active, 429 standby, 503 sealed, 501 not initialised.
    public func healthCode() async throws -> Int {
        try await call("GET", "/v1/sys/health").status
    }

    /// Waits until `sys/health` answers 200. Right after an unseal OpenBao answers 429 (standby) for about a second
    /// while raft elects this node: that is "not yet", as is 503 for a moment after the unseal call returned.
    public func waitUntilActive(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = 0
        while ContinuousClock.now < deadline {
            last = try await healthCode()
            if last == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw OpenBaoServerError("OpenBao at \(address) did not become active within \(timeout) (sys/health \(last)); its log:\n\(logTail())")
    }

    /// One request to this server.
    public func request(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> (status: Int, body: String) {
        let answer = try await call(method, path, body: body, token: token)
        return (answer.status, answer.body)
    }

    private func call(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> OpenBaoHTTP.Answer {
        do {
            return try await OpenBaoHTTP.send(method, path, port: port, body: body, token: token)
        } catch let error as OpenBaoServerError {
            throw OpenBaoServerError("\(error.description); the server's log:\n\(logTail())")
        }
    }
}
