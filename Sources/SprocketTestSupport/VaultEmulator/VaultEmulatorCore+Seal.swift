import Crypto
import Foundation

extension VaultEmulatorCore {
    // MARK: sys/init

    mutating func handleInit(_ call: Call) -> StubHTTPServer.Response {
        switch call.method {
        case "GET": return Self.json(200, ["initialized": .bool(sealConfig != nil)])
        case "PUT", "POST": break
        default: return Self.errors(405, [])
        }
        guard sealConfig == nil else { return Self.errors(400, ["Vault is already initialized"]) }
        let shares = call.body["secret_shares"]?.int ?? 0
        let threshold = call.body["secret_threshold"]?.int ?? 0
        if let problem = Self.sealConfigProblem(shares: shares, threshold: threshold) {
            return Self.errors(400, ["invalid seal configuration: \(problem)"])
        }
        let keyBytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let parts: [[UInt8]]
        do {
            parts = shares == 1 ? [keyBytes] : try ShamirSecretSharing.split(keyBytes, parts: shares, threshold: threshold)
        } catch {
            return Self.errors(500, ["failed to generate unseal keys: \(error)"])
        }
        let rootToken = EmulatedToken(
            id: Self.tokenPrefix + Self.randomID(24), accessor: Self.randomID(24), policies: ["root"], meta: nil,
            displayName: "root", path: "auth/token/root", creationTime: call.now, creationTTL: 0, expireTime: nil,
            explicitMaxTTL: 0, period: nil, renewable: false, orphan: true, parentID: nil, numUses: 0)
        var fresh = VaultEmulatorBarrier()
        fresh.tokens[rootToken.id] = rootToken
        guard let sealed = Self.encrypt(fresh, with: keyBytes) else { return Self.errors(500, ["cannot seal the barrier"]) }
        sealConfig = SealConfig(shares: shares, threshold: threshold)
        sealedBarrier = sealed
        barrier = nil
        rootKey = nil
        unsealParts = []
        unsealNonce = ""
        barrierChanged = true
        return Self.json(200, [
            "keys": .array(parts.map { .string(Self.hex($0)) }),
            "keys_base64": .array(parts.map { .string(Data($0).base64EncodedString()) }),
            "root_token": .string(rootToken.id),
        ])
    }

    /// `SealConfig.Validate`'s checks, in its order.
    static func sealConfigProblem(shares: Int, threshold: Int) -> String? {
        if shares < 1 { return "shares must be at least one" }
        if threshold < 1 { return "threshold must be at least one" }
        if shares > 1 && threshold == 1 { return "threshold must be greater than one for multiple shares" }
        if shares > 255 { return "shares must be less than 256" }
        if threshold > 255 { return "threshold must be less than 256" }
        if threshold > shares { return "threshold cannot be larger than shares" }
        return nil
    }

    // MARK: sys/seal-status, sys/unseal, sys/seal

    func sealStatusBody() -> [String: EmulatorJSON] {
        var body: [String: EmulatorJSON] = [
            "type": "shamir", "initialized": .bool(sealConfig != nil), "sealed": .bool(isSealed),
            "t": .int(sealConfig?.threshold ?? 0), "n": .int(sealConfig?.shares ?? 0),
            "progress": .int(unsealParts.count), "nonce": .string(unsealNonce), "version": .string(Self.version),
            "commit_date": .string(Self.commitDate), "migration": false, "recovery_seal": false,
            "storage_type": "raft",
        ]
        if !isSealed {
            body["cluster_name"] = .string(clusterName)
            body["cluster_id"] = .string(clusterID)
        }
        return body
    }

    func sealStatusResponse() -> StubHTTPServer.Response { Self.json(200, .object(sealStatusBody())) }

    mutating func handleUnseal(_ call: Call) -> StubHTTPServer.Response {
        guard call.method == "PUT" || call.method == "POST" else { return Self.errors(405, []) }
        // The server's struct has no JSON tags: keys match case-insensitively.
        let fields = Dictionary(
            (call.body.object ?? [:]).map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        if fields["reset"]?.bool == true {
            guard isSealed else { return Self.errors(400, ["vault is unsealed"]) }
            unsealParts = []
            unsealNonce = ""
            return sealStatusResponse()
        }
        guard let keyText = fields["key"]?.string, !keyText.isEmpty else {
            return Self.errors(400, ["'key' must be specified in request body as JSON, or 'reset' set to true"])
        }
        guard let sealConfig, let sealedBarrier else { return Self.errors(400, ["Vault is not initialized"]) }
        guard isSealed else { return sealStatusResponse() }
        guard let share = Self.decodeKey(keyText) else {
            return Self.errors(400, ["'key' must be a valid hex or base64 string"])
        }
        if unsealParts.contains(share) { return sealStatusResponse() }
        unsealParts.append(share)
        if unsealParts.count < sealConfig.threshold {
            if unsealNonce.isEmpty { unsealNonce = UUID().uuidString.lowercased() }
            return sealStatusResponse()
        }
        let parts = unsealParts
        unsealParts = []
        unsealNonce = ""
        let candidate: [UInt8]
        do {
            candidate = sealConfig.threshold == 1 ? parts[0] : try ShamirSecretSharing.combine(parts)
        } catch {
            return Self.errors(500, ["failed to compute combined key: \(error)"])
        }
        guard candidate.count == 32, let opened = Self.decrypt(sealedBarrier, with: candidate) else {
            return Self.errors(400, [Self.invalidKeyMessage])
        }
        barrier = opened
        rootKey = candidate
        return sealStatusResponse()
    }

    mutating func handleSeal(_ call: Call) -> StubHTTPServer.Response {
        guard call.method == "PUT" || call.method == "POST" else { return Self.errors(405, []) }
        if let denied = authorize(call, capability: "update", "sudo") { return denied }
        sealNow()
        return Self.noContent()
    }

    /// Encrypts the barrier with the root key and forgets both the plaintext and the key.
    mutating func sealNow() {
        if let barrier, let rootKey, let sealed = Self.encrypt(barrier, with: rootKey) {
            sealedBarrier = sealed
        }
        barrier = nil
        rootKey = nil
        unsealParts = []
        unsealNonce = ""
    }

    // MARK: sys/health

    func handleHealth(_ call: Call, head: Bool) -> StubHTTPServer.Response {
        guard call.method == "GET" || call.method == "HEAD" else { return Self.errors(405, []) }
        var codes: [String: Int] = [
            "activecode": 200, "standbycode": 429, "drsecondarycode": 472, "performancestandbycode": 473,
            "sealedcode": 503, "uninitcode": 501,
        ]
        for name in codes.keys {
            guard let text = call.query[name] else { continue }
            guard let value = Int(text) else { return Self.errors(400, []) }
            codes[name] = value
        }
        let standbyOK = call.query["standbyok"].map { $0.isEmpty || $0 == "true" } ?? false
        let perfStandbyOK = call.query["perfstandbyok"].map { $0.isEmpty || $0 == "true" } ?? false
        let status: Int
        if sealConfig == nil {
            status = codes["uninitcode"] ?? 501
        } else if isSealed {
            status = codes["sealedcode"] ?? 503
        } else {
            switch healthRole {
            case .active: status = codes["activecode"] ?? 200
            case .standby: status = standbyOK ? codes["activecode"] ?? 200 : codes["standbycode"] ?? 429
            case .performanceStandby:
                status = perfStandbyOK ? codes["activecode"] ?? 200 : codes["performancestandbycode"] ?? 473
            case .drSecondary: status = codes["drsecondarycode"] ?? 472
            }
        }
        var body: [String: EmulatorJSON] = [
            "initialized": .bool(sealConfig != nil), "sealed": .bool(isSealed),
            "standby": .bool(isSealed || healthRole == .standby || healthRole == .performanceStandby),
            "replication_performance_mode": isSealed ? "unknown" : "primary",
            "replication_dr_mode": isSealed ? "unknown" : (healthRole == .drSecondary ? "secondary" : "disabled"),
            "server_time_utc": .int(Int(call.now.timeIntervalSince1970)), "version": .string(Self.version),
        ]
        if !isSealed {
            body["cluster_name"] = .string(clusterName)
            body["cluster_id"] = .string(clusterID)
        }
        if head {
            return StubHTTPServer.Response(
                status: status, headers: [StubHTTPServer.Header(name: "Content-Type", value: "application/json")],
                parts: [[]])
        }
        return Self.json(status, .object(body))
    }

    // MARK: keys and barrier encryption

    /// Hex first (if the length is a plausible key length, 16…33 bytes), then standard base64.
    static func decodeKey(_ text: String) -> [UInt8]? {
        if let bytes = hexBytes(text), (16...33).contains(bytes.count) { return bytes }
        if let data = Data(base64Encoded: text), !data.isEmpty { return Array(data) }
        return nil
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < characters.count {
            guard let byte = UInt8(String(decoding: characters[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }

    static func encrypt(_ barrier: VaultEmulatorBarrier, with key: [UInt8]) -> Data? {
        guard let plain = try? JSONEncoder().encode(barrier) else { return nil }
        return try? AES.GCM.seal(plain, using: SymmetricKey(data: key)).combined
    }

    /// nil when the key is wrong (the GCM tag does not verify).
    static func decrypt(_ sealed: Data, with key: [UInt8]) -> VaultEmulatorBarrier? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed), let plain = try? AES.GCM.open(box, using: SymmetricKey(data: key)) else {
            return nil
        }
        return try? JSONDecoder().decode(VaultEmulatorBarrier.self, from: plain)
    }
}
