import Foundation

extension VaultClient {
    /// Every secrets engine mount, keyed by path with its trailing slash (`platform/`). `GET /v1/sys/mounts`.
    public func listMounts() async throws -> [String: VaultMount] {
        let request = VaultRequest(method: "GET", path: "sys/mounts")
        let response = try await send(request)
        // Newer servers put the mounts under `data`; older ones only at the top level (next to request_id, …).
        struct Wrapped: Decodable { var data: [String: VaultMount]? }
        if let wrapped = try? JSONDecoder().decode(Wrapped.self, from: response.body), let mounts = wrapped.data {
            return mounts
        }
        let top = try Self.decode([String: VaultJSONValue].self, from: response.body, path: request.path)
        var mounts: [String: VaultMount] = [:]
        for (key, value) in top where key.hasSuffix("/") {
            let data = try JSONEncoder().encode(value)
            mounts[key] = try Self.decode(VaultMount.self, from: data, path: request.path)
        }
        return mounts
    }

    /// Enables a secrets engine at `path`. `POST /v1/sys/mounts/:path`, 204. A kv-v2 engine is waited for until
    /// it serves (see ``waitUntilKVServes(mount:timeout:)``).
    ///
    /// - Throws: ``VaultClientError/badRequest(method:path:messages:)`` (`path is already in use at …`) when
    ///   something is mounted there already.
    public func enableSecretsEngine(
        at path: String, type: String, options: [String: String] = [:], description: String? = nil
    ) async throws {
        struct Body: Encodable {
            var type: String
            var options: [String: String]?
            var description: String?
        }
        let mountPath = path.trimmingSlashes
        let body = Body(type: type, options: options.isEmpty ? nil : options, description: description)
        try await send(try VaultRequest.json("POST", "sys/mounts/\(mountPath)", body: body))
        if type == "kv-v2" || (type == "kv" && options["version"] == "2") {
            try await waitUntilKVServes(mount: mountPath, timeout: .seconds(30))
        }
    }

    /// Enables a KV version 2 engine at `mount` (`type: kv`, `options.version: "2"`) and returns once it serves.
    public func enableKVVersion2(at mount: String, description: String? = nil) async throws {
        try await enableSecretsEngine(at: mount, type: "kv", options: ["version": "2"], description: description)
    }

    /// A fresh kv-v2 mount first "upgrades" itself: for a moment (about 0.1 s on OpenBao 2.7) every request to it
    /// is 400 `Upgrading from non-versioned to versioned data…`, so a write sent right after the mount would fail.
    /// This waits while `<mount>/config` answers that message; any other outcome returns (or throws).
    func waitUntilKVServes(mount: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                _ = try await readKVConfig(mount: mount)
                return
            } catch let error as VaultClientError where Self.isKVUpgrading(error) {
                guard ContinuousClock.now < deadline else {
                    throw VaultClientError.timeout(method: "GET", path: "\(mount.trimmingSlashes)/config", after: timeout)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// The 400 a kv-v2 mount answers while it upgrades itself, right after it was enabled.
    static func isKVUpgrading(_ error: VaultClientError) -> Bool {
        guard case .badRequest(_, _, let messages) = error else { return false }
        return messages.contains { $0.contains("Upgrading from non-versioned to versioned data") }
    }

    /// Disables (unmounts) a secrets engine and deletes its data. `DELETE /v1/sys/mounts/:path`, 204.
    public func disableSecretsEngine(at path: String) async throws {
        try await send(VaultRequest(method: "DELETE", path: "sys/mounts/\(path.trimmingSlashes)"))
    }

    /// A mount's tunable settings. `GET /v1/sys/mounts/:path/tune`.
    public func readMountTune(at path: String) async throws -> VaultMountTune {
        let request = VaultRequest(method: "GET", path: "sys/mounts/\(path.trimmingSlashes)/tune")
        let response = try await send(request)
        struct Wrapped: Decodable { var data: VaultMountTune? }
        if let wrapped = try? JSONDecoder().decode(Wrapped.self, from: response.body), let tune = wrapped.data {
            return tune
        }
        return try Self.decode(VaultMountTune.self, from: response.body, path: request.path)
    }
}

extension String {
    /// The text without leading and trailing slashes.
    var trimmingSlashes: String {
        var text = Substring(self)
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
