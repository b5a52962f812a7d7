import Foundation

extension VaultEmulatorCore {
    /// What OpenBao answers to every request to a kv-v2 mount in the moment after it was enabled.
    static let kvUpgradingMessage =
        "Upgrading from non-versioned to versioned data. This backend will be unavailable for a brief period and will resume service shortly."

    /// KV v2: `config`, `data/`, `metadata/`, `delete/`, `undelete/`, `destroy/` under a mount.
    mutating func handleKV(_ call: Call, mount mountKey: String) -> StubHTTPServer.Response {
        if let left = upgradingMounts[mountKey], left > 0 {
            upgradingMounts[mountKey] = left - 1
            return Self.errors(400, [Self.kvUpgradingMessage])
        }
        let rest = String((call.path + "/").dropFirst(mountKey.count).dropLast())
        let operation = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        var key = String(rest.dropFirst(operation.count))
        if key.hasPrefix("/") { key.removeFirst() }
        let exists = barrier?.mounts[mountKey]?.secrets[key.trimmingCharacters(in: ["/"])] != nil
        if let denied = authorize(call, capability: capability(for: call, exists: exists || operation != "data")) {
            return denied
        }
        switch (operation, call.method) {
        case ("config", "GET"):
            let mount = barrier?.mounts[mountKey]
            return Self.envelope(
                data: ["max_versions": .int(mount?.maxVersions ?? 0), "cas_required": .bool(mount?.casRequired ?? false),
                       "delete_version_after": "0s", "metadata_cas_required": false])
        case ("config", "POST"), ("config", "PUT"):
            if let max = call.body["max_versions"]?.int { barrier?.mounts[mountKey]?.maxVersions = max }
            if let cas = call.body["cas_required"]?.bool { barrier?.mounts[mountKey]?.casRequired = cas }
            barrierChanged = true
            return Self.noContent()
        case ("data", "GET"): return readSecret(key, mount: mountKey, call: call)
        case ("data", "POST"), ("data", "PUT"): return writeSecret(key, mount: mountKey, call: call)
        case ("data", "DELETE"):
            if let secret = barrier?.mounts[mountKey]?.secrets[key] {
                markVersions([secret.currentVersion], of: key, mount: mountKey, now: call.now) { version, now in
                    if !version.destroyed && version.deletionTime == nil { version.deletionTime = now }
                }
            }
            return Self.noContent()
        case ("delete", "POST"), ("delete", "PUT"), ("undelete", "POST"), ("undelete", "PUT"),
            ("destroy", "POST"), ("destroy", "PUT"):
            guard let versions = call.body["versions"].flatMap(Self.versionList), !versions.isEmpty else {
                return Self.errors(400, ["no version number provided"])
            }
            markVersions(versions, of: key, mount: mountKey, now: call.now) { version, now in
                switch operation {
                case "delete": if !version.destroyed && version.deletionTime == nil { version.deletionTime = now }
                case "undelete": if !version.destroyed { version.deletionTime = nil }
                default:
                    version.destroyed = true
                    version.data = nil
                }
            }
            return Self.noContent()
        case ("metadata", "LIST"): return listKeys(under: key, mount: mountKey)
        case ("metadata", "GET"):
            guard let secret = barrier?.mounts[mountKey]?.secrets[key] else { return Self.errors(404, []) }
            return Self.envelope(data: Self.metadataJSON(secret))
        case ("metadata", "POST"), ("metadata", "PUT"):
            var secret = barrier?.mounts[mountKey]?.secrets[key]
                ?? EmulatedSecret(createdTime: call.now, updatedTime: call.now)
            if let max = call.body["max_versions"]?.int { secret.maxVersions = max }
            if let cas = call.body["cas_required"]?.bool { secret.casRequired = cas }
            if let custom = call.body["custom_metadata"]?.object { secret.customMetadata = custom.compactMapValues(\.string) }
            secret.updatedTime = call.now
            barrier?.mounts[mountKey]?.secrets[key] = secret
            barrierChanged = true
            return Self.noContent()
        case ("metadata", "DELETE"):
            barrier?.mounts[mountKey]?.secrets[key] = nil
            barrierChanged = true
            return Self.noContent()
        default:
            return Self.errors(405, ["unsupported operation"])
        }
    }

    private func readSecret(_ key: String, mount: String, call: Call) -> StubHTTPServer.Response {
        guard let secret = barrier?.mounts[mount]?.secrets[key] else { return Self.errors(404, []) }
        let requested = Int(call.query["version"] ?? "") ?? 0
        let number = requested == 0 ? secret.currentVersion : requested
        guard let version = secret.versions[number] else { return Self.errors(404, []) }
        let metadata = Self.versionMetadataJSON(version, number: number, secret: secret)
        let deleted = version.destroyed || (version.deletionTime.map { $0 <= call.now } ?? false)
        if deleted {
            return Self.envelope(data: ["data": nil, "metadata": metadata], status: 404)
        }
        return Self.envelope(data: ["data": version.data ?? nil, "metadata": metadata])
    }

    private mutating func writeSecret(_ key: String, mount mountKey: String, call: Call) -> StubHTTPServer.Response {
        guard let data = call.body["data"], data.object != nil else { return Self.errors(400, ["no data provided"]) }
        guard let mount = barrier?.mounts[mountKey] else { return Self.errors(404, []) }
        var secret = mount.secrets[key] ?? EmulatedSecret(createdTime: call.now, updatedTime: call.now)
        let cas = call.body["options"]?["cas"]
        if cas == nil, mount.casRequired || secret.casRequired {
            return Self.errors(400, ["check-and-set parameter required for this call"])
        }
        if let cas {
            guard let expected = cas.int else { return Self.errors(400, ["error parsing check-and-set parameter"]) }
            guard expected == secret.currentVersion else {
                return Self.errors(400, ["check-and-set parameter did not match the current version"])
            }
        }
        secret.currentVersion += 1
        secret.updatedTime = call.now
        secret.versions[secret.currentVersion] = EmulatedSecret.Version(data: data, createdTime: call.now)
        let limit = Self.effectiveMaxVersions(mount: mount.maxVersions, key: secret.maxVersions)
        while secret.versions.count > limit, let oldest = secret.versions.keys.min() {
            secret.versions[oldest] = nil
            secret.oldestVersion = secret.versions.keys.min() ?? 0
        }
        barrier?.mounts[mountKey]?.secrets[key] = secret
        barrierChanged = true
        let current = secret.versions[secret.currentVersion]
        return Self.envelope(
            data: current.map { Self.versionMetadataJSON($0, number: secret.currentVersion, secret: secret) } ?? nil)
    }

    /// The key's own limit when it is set and tighter than the mount's; 0 everywhere means 10.
    static func effectiveMaxVersions(mount: Int, key: Int) -> Int {
        if key > 0 && (mount == 0 || key < mount) { return key }
        return mount > 0 ? mount : 10
    }

    private mutating func markVersions(
        _ numbers: [Int], of key: String, mount: String, now: Date,
        _ change: (inout EmulatedSecret.Version, Date) -> Void
    ) {
        guard var secret = barrier?.mounts[mount]?.secrets[key] else { return }
        for number in numbers {
            guard var version = secret.versions[number] else { continue }
            change(&version, now)
            secret.versions[number] = version
        }
        barrier?.mounts[mount]?.secrets[key] = secret
        barrierChanged = true
    }

    private func listKeys(under folder: String, mount: String) -> StubHTTPServer.Response {
        let prefix = folder.isEmpty || folder.hasSuffix("/") ? folder : folder + "/"
        var keys = Set<String>()
        for path in barrier?.mounts[mount]?.secrets.keys ?? [:].keys where path.hasPrefix(prefix) {
            let remainder = path.dropFirst(prefix.count)
            if let slash = remainder.firstIndex(of: "/") {
                keys.insert(String(remainder[..<slash]) + "/")
            } else {
                keys.insert(String(remainder))
            }
        }
        guard !keys.isEmpty else { return Self.errors(404, []) }
        return Self.envelope(data: ["keys": .array(keys.sorted().map(EmulatorJSON.string))])
    }

    static func versionList(_ value: EmulatorJSON) -> [Int]? {
        if case .array(let items) = value { return items.compactMap(\.int) }
        return value.stringList?.compactMap { Int($0) }
    }

    static func versionMetadataJSON(_ version: EmulatedSecret.Version, number: Int, secret: EmulatedSecret)
        -> EmulatorJSON
    {
        [
            "version": .int(number), "created_time": .string(timestamp(version.createdTime)),
            "deletion_time": .string(version.deletionTime.map(timestamp) ?? ""), "destroyed": .bool(version.destroyed),
            "custom_metadata": secret.customMetadata.map { .object($0.mapValues(EmulatorJSON.string)) } ?? nil,
        ]
    }

    static func metadataJSON(_ secret: EmulatedSecret) -> EmulatorJSON {
        var versions: [String: EmulatorJSON] = [:]
        for (number, version) in secret.versions {
            versions[String(number)] = [
                "created_time": .string(timestamp(version.createdTime)),
                "deletion_time": .string(version.deletionTime.map(timestamp) ?? ""),
                "destroyed": .bool(version.destroyed),
            ]
        }
        return [
            "cas_required": .bool(secret.casRequired), "created_time": .string(timestamp(secret.createdTime)),
            "current_version": .int(secret.currentVersion), "delete_version_after": "0s",
            "current_metadata_version": 0, "metadata_cas_required": false,
            "max_versions": .int(secret.maxVersions), "oldest_version": .int(secret.oldestVersion),
            "updated_time": .string(timestamp(secret.updatedTime)),
            "custom_metadata": secret.customMetadata.map { .object($0.mapValues(EmulatorJSON.string)) } ?? nil,
            "versions": .object(versions),
        ]
    }
}
