import Foundation

extension VaultEmulatorCore {
    // MARK: sys/mounts

    /// The built-in mounts every Vault lists besides the KV engines.
    static let builtInMounts: [String: EmulatorJSON] = [
        "cubbyhole/": ["type": "cubbyhole", "description": "per-token private secret storage", "options": nil],
        "identity/": ["type": "identity", "description": "identity store", "options": nil],
        "sys/": ["type": "system", "description": "system endpoints used for control, policy and debugging",
                 "options": nil],
    ]

    mutating func handleMounts(_ call: Call) -> StubHTTPServer.Response {
        if let denied = authorize(call, capability: capability(for: call)) { return denied }
        if call.path == "sys/mounts" {
            guard call.method == "GET" else { return Self.errors(405, []) }
            var all = Self.builtInMounts.mapValues { Self.mountJSON($0.object ?? [:]) }
            for (path, mount) in barrier?.mounts ?? [:] { all[path] = Self.mountJSON(mount) }
            return Self.sysEnvelope(all)
        }
        var rest = call.rest(after: "sys/mounts/") ?? ""
        let isTune = rest.hasSuffix("/tune")
        if isTune { rest.removeLast(5) }
        let mountKey = rest.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/"
        switch (call.method, isTune) {
        case ("GET", true), ("GET", false):
            guard let mount = barrier?.mounts[mountKey] else {
                if isTune, Self.builtInMounts[mountKey] != nil { return Self.sysEnvelope(Self.tuneJSON(nil)) }
                return Self.errors(400, ["cannot fetch sysview for path \"\(mountKey)\""])
            }
            return Self.sysEnvelope(isTune ? Self.tuneJSON(mount) : (Self.mountJSON(mount).object ?? [:]))
        case ("POST", false), ("PUT", false):
            return enableMount(mountKey, call: call)
        case ("DELETE", false):
            barrier?.mounts[mountKey] = nil
            barrierChanged = true
            return Self.noContent()
        default:
            return Self.errors(405, ["unsupported operation"])
        }
    }

    private mutating func enableMount(_ mountKey: String, call: Call) -> StubHTTPServer.Response {
        guard let type = call.body["type"]?.string, !type.isEmpty else {
            return Self.errors(400, ["backend type must be specified as a string"])
        }
        let inUse = Array(Self.builtInMounts.keys) + Array(barrier?.mounts.keys ?? [:].keys)
        if let existing = inUse.first(where: { mountKey.hasPrefix($0) || $0.hasPrefix(mountKey) }) {
            return Self.errors(400, ["path is already in use at \(existing)"])
        }
        var options = (call.body["options"]?.object ?? [:]).compactMapValues(\.string)
        var logicalType = type
        if type == "kv-v2" {
            logicalType = "kv"
            options["version"] = "2"
        }
        guard logicalType == "kv" else { return Self.errors(400, ["plugin not found in the catalog: \(type)"]) }
        guard options["version"] == "2" else {
            return Self.errors(400, ["the Vault emulator supports only KV version 2 mounts (options.version=2)"])
        }
        barrier?.mounts[mountKey] = EmulatedMount(
            type: "kv", description: call.body["description"]?.string ?? "", accessor: "kv_" + Self.randomID(8),
            uuid: UUID().uuidString.lowercased(), options: options)
        if kvUpgradeRequests > 0 { upgradingMounts[mountKey] = kvUpgradeRequests }
        barrierChanged = true
        return Self.noContent()
    }

    static func mountJSON(_ mount: EmulatedMount) -> EmulatorJSON {
        mountJSON([
            "type": .string(mount.type), "description": .string(mount.description),
            "accessor": .string(mount.accessor), "uuid": .string(mount.uuid),
            "options": .object(mount.options.mapValues(EmulatorJSON.string)),
        ])
    }

    static func mountJSON(_ fields: [String: EmulatorJSON]) -> EmulatorJSON {
        var object: [String: EmulatorJSON] = [
            "config": ["default_lease_ttl": 0, "force_no_cache": false, "max_lease_ttl": 0],
            "external_entropy_access": false, "local": false, "seal_wrap": false, "plugin_version": "",
            "running_plugin_version": "v0.16.1+builtin", "running_sha256": "", "deprecation_status": "supported",
        ]
        for (key, value) in fields { object[key] = value }
        return .object(object)
    }

    static func tuneJSON(_ mount: EmulatedMount?) -> [String: EmulatorJSON] {
        var tune: [String: EmulatorJSON] = [
            "default_lease_ttl": .int(systemMaxTTL), "max_lease_ttl": .int(systemMaxTTL), "force_no_cache": false,
            "description": .string(mount?.description ?? ""),
        ]
        if let mount { tune["options"] = .object(mount.options.mapValues(EmulatorJSON.string)) }
        return tune
    }

    // MARK: sys/policies/acl and the legacy sys/policy

    mutating func handlePolicies(_ call: Call) -> StubHTTPServer.Response {
        if let denied = authorize(call, capability: capability(for: call)) { return denied }
        let legacy = call.path == "sys/policy" || call.path.hasPrefix("sys/policy/")
        let prefix = legacy ? "sys/policy" : "sys/policies/acl"
        let name = (call.rest(after: prefix) ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/")).lowercased()
        let names = (Array(barrier?.policies.keys ?? [:].keys) + ["root"]).sorted()
        if name.isEmpty {
            guard call.method == "LIST" || call.method == "GET" else { return Self.errors(405, []) }
            let keys = EmulatorJSON.array(names.map(EmulatorJSON.string))
            return legacy ? Self.sysEnvelope(["keys": keys, "policies": keys]) : Self.envelope(data: ["keys": keys])
        }
        switch call.method {
        case "GET":
            guard let text = name == "root" ? "" : barrier?.policies[name] else { return Self.errors(404, []) }
            return legacy
                ? Self.sysEnvelope(["name": .string(name), "rules": .string(text)])
                : Self.envelope(data: [
                    "name": .string(name), "policy": .string(text), "version": 1, "cas_required": false,
                    // Not kept by the emulator: the time of the read stands in for the time of the last write.
                    "modified": .string(Self.timestamp(call.now)),
                    "allow_slashes_in_identity_templates": false, "allow_wildcards_in_identity_templates": false,
                ])
        case "PUT", "POST":
            // OpenBao checks for an empty policy before it refuses to change root.
            guard var text = call.body["policy"]?.string ?? call.body["rules"]?.string, !text.isEmpty else {
                return Self.errors(400, ["'policy' parameter not supplied or empty"])
            }
            guard name != "root" else { return Self.errors(400, ["cannot update \"root\" policy"]) }
            if let decoded = Data(base64Encoded: text).flatMap({ String(data: $0, encoding: .utf8) }) { text = decoded }
            if case .failure(let problem) = EmulatedPolicy.parse(text) { return Self.errors(400, [problem.message]) }
            barrier?.policies[name] = text
            barrierChanged = true
            return Self.noContent()
        case "DELETE":
            guard name != "root", name != "default" else {
                return Self.errors(400, ["cannot delete \"\(name)\" policy"])
            }
            barrier?.policies[name] = nil
            barrierChanged = true
            return Self.noContent()
        default:
            return Self.errors(405, ["unsupported operation"])
        }
    }
}
