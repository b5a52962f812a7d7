import Foundation

extension VaultEmulatorCore {
    /// `auth/token/…`: create, create-orphan, lookup(-self, -accessor), renew(-self), revoke(-self, -accessor), and
    /// the `LIST` of accessors.
    mutating func handleTokens(_ call: inout Call) -> StubHTTPServer.Response {
        if let denied = authorize(call, capability: capability(for: call)) { return denied }
        guard let caller = call.token else { return Self.permissionDenied() }
        let operation = call.rest(after: "auth/token/") ?? ""
        switch (operation, call.method) {
        case ("create", "POST"), ("create", "PUT"), ("create-orphan", "POST"), ("create-orphan", "PUT"):
            return createToken(call, parent: caller, orphanEndpoint: operation == "create-orphan")
        case ("lookup-self", "GET"), ("lookup-self", "POST"):
            return Self.envelope(data: tokenInfoJSON(caller, now: call.now, showID: true))
        case ("lookup", "POST"), ("lookup", "PUT"):
            guard let id = call.body["token"]?.string, let token = liveToken(id, now: call.now) else {
                return Self.errors(403, ["bad token"])
            }
            return Self.envelope(data: tokenInfoJSON(token, now: call.now, showID: true))
        case ("lookup-accessor", "POST"), ("lookup-accessor", "PUT"):
            guard let token = tokenByAccessor(call.body["accessor"]?.string, now: call.now) else {
                return Self.errors(400, ["1 error occurred:\n\t* invalid accessor\n\n"])
            }
            return Self.envelope(data: tokenInfoJSON(token, now: call.now, showID: false))
        case ("renew-self", "POST"), ("renew-self", "PUT"):
            return renew(caller, call: call)
        case ("renew", "POST"), ("renew", "PUT"):
            guard let id = call.body["token"]?.string, let token = liveToken(id, now: call.now) else {
                return Self.errors(400, ["invalid token"])
            }
            return renew(token, call: call)
        case ("accessors", "LIST"), ("accessors/", "LIST"):
            // Vault asks for `sudo` on this path too (the root token has it); expired tokens are not listed.
            if let denied = authorize(call, capability: "sudo") { return denied }
            let accessors = (barrier?.tokens.values ?? [:].values).filter { liveToken($0.id, now: call.now) != nil }.map(\.accessor)
            return Self.envelope(data: ["keys": .array(accessors.sorted().map(EmulatorJSON.string))])
        case ("revoke-self", "POST"), ("revoke-self", "PUT"):
            revokeTree(caller.id)
            return Self.noContent()
        case ("revoke", "POST"), ("revoke", "PUT"):
            if let id = call.body["token"]?.string { revokeTree(id) }
            return Self.noContent()
        case ("revoke-accessor", "POST"), ("revoke-accessor", "PUT"):
            // OpenBao answers an unknown accessor with 200 and a warning, not an error.
            guard let token = tokenByAccessor(call.body["accessor"]?.string, now: call.now) else {
                return Self.envelope(warnings: ["No token found with this accessor"])
            }
            revokeTree(token.id)
            return Self.noContent()
        default:
            return Self.errors(405, ["unsupported operation"])
        }
    }

    private mutating func createToken(_ call: Call, parent: EmulatedToken, orphanEndpoint: Bool)
        -> StubHTTPServer.Response
    {
        let body = call.body
        let noParent = body["no_parent"]?.bool ?? false
        if noParent, !orphanEndpoint, authorize(call, capability: "sudo") != nil {
            return Self.errors(400, ["root or sudo privileges required to create orphan token"])
        }
        var requested = (body["policies"]?.stringList ?? []).map { $0.lowercased() }.filter { !$0.isEmpty }
        if requested.isEmpty { requested = parent.policies.filter { $0 != "default" } }
        if !parent.isRoot, !Set(requested).subtracting(["default"]).isSubset(of: Set(parent.policies)) {
            return Self.errors(400, ["child policies must be subset of parent"])
        }
        var policies = Set(requested)
        if !(body["no_default_policy"]?.bool ?? false), !policies.contains("root") { policies.insert("default") }
        var warnings = policies.subtracting(["default", "root"]).sorted().filter { barrier?.policies[$0] == nil }
            .map { "Policy \"\($0)\" does not exist" }
        guard let ttl = Self.seconds(body["ttl"]), let period = Self.seconds(body["period"]),
            let explicitMax = Self.seconds(body["explicit_max_ttl"])
        else { return Self.errors(400, ["invalid duration in ttl, period or explicit_max_ttl"]) }
        var effective: Int
        if period > 0 {
            effective = explicitMax > 0 ? min(period, explicitMax) : period
        } else if ttl > 0 {
            effective = min(ttl, explicitMax > 0 ? min(explicitMax, Self.systemMaxTTL) : Self.systemMaxTTL)
        } else if policies == ["root"] {
            effective = 0
        } else {
            effective = explicitMax > 0 ? min(explicitMax, Self.systemMaxTTL) : Self.systemMaxTTL
        }
        if period == 0, ttl > 0, explicitMax > 0, ttl > explicitMax {
            warnings.append(Self.cappedTTLWarning(wanted: ttl, cap: explicitMax))
        }
        let displayName = body["display_name"]?.string.map { "token-" + $0 } ?? "token"
        let token = EmulatedToken(
            id: Self.tokenPrefix + Self.randomID(24), accessor: Self.randomID(24), policies: policies.sorted(),
            meta: body["meta"]?.object?.compactMapValues(\.string), displayName: displayName,
            path: orphanEndpoint ? "auth/token/create-orphan" : "auth/token/create", creationTime: call.now,
            creationTTL: effective, expireTime: effective > 0 ? call.now.addingTimeInterval(Double(effective)) : nil,
            explicitMaxTTL: explicitMax, period: period > 0 ? period : nil,
            renewable: effective > 0 && (body["renewable"]?.bool ?? true), orphan: orphanEndpoint || noParent,
            parentID: orphanEndpoint || noParent ? nil : parent.id, numUses: body["num_uses"]?.int ?? 0)
        barrier?.tokens[token.id] = token
        barrierChanged = true
        return Self.envelope(auth: authJSON(token, ttl: effective), warnings: warnings)
    }

    private mutating func renew(_ original: EmulatedToken, call: Call) -> StubHTTPServer.Response {
        guard original.renewable, original.expireTime != nil else { return Self.errors(400, ["lease is not renewable"]) }
        guard let increment = Self.seconds(call.body["increment"]) else {
            return Self.errors(400, ["invalid increment"])
        }
        var token = original
        let wanted = token.period ?? (increment > 0 ? increment : token.creationTTL)
        let maxTTL = token.explicitMaxTTL > 0 ? min(token.explicitMaxTTL, Self.systemMaxTTL) : Self.systemMaxTTL
        var warnings: [String] = []
        var expiry = call.now.addingTimeInterval(Double(wanted))
        if token.period == nil || token.explicitMaxTTL > 0 {
            let cap = token.creationTime.addingTimeInterval(Double(maxTTL))
            if expiry > cap {
                expiry = cap
                let capped = max(0, Int(cap.timeIntervalSince(call.now)))
                warnings.append(Self.cappedTTLWarning(wanted: wanted, cap: capped))
            }
        }
        token.expireTime = expiry
        token.lastRenewal = call.now
        barrier?.tokens[token.id] = token
        barrierChanged = true
        let ttl = max(0, Int(expiry.timeIntervalSince(call.now).rounded()))
        return Self.envelope(auth: authJSON(token, ttl: ttl), warnings: warnings)
    }

    /// Removes a token and, recursively, every non-orphan token it created.
    mutating func revokeTree(_ id: String) {
        guard barrier?.tokens[id] != nil else { return }
        barrier?.tokens[id] = nil
        let children = barrier?.tokens.values.filter { $0.parentID == id }.map(\.id) ?? []
        for child in children { revokeTree(child) }
        barrierChanged = true
    }

    private func liveToken(_ id: String, now: Date) -> EmulatedToken? {
        guard let token = barrier?.tokens[id] else { return nil }
        if let expiry = token.expireTime, expiry <= now { return nil }
        return token
    }

    private func tokenByAccessor(_ accessor: String?, now: Date) -> EmulatedToken? {
        guard let accessor, let token = barrier?.tokens.values.first(where: { $0.accessor == accessor }) else {
            return nil
        }
        return liveToken(token.id, now: now)
    }

    func authJSON(_ token: EmulatedToken, ttl: Int) -> EmulatorJSON {
        let policies = EmulatorJSON.array(token.policies.map(EmulatorJSON.string))
        return [
            "client_token": .string(token.id), "accessor": .string(token.accessor), "policies": policies,
            "token_policies": policies, "metadata": token.meta.map { .object($0.mapValues(EmulatorJSON.string)) } ?? nil,
            "lease_duration": .int(ttl), "renewable": .bool(token.renewable), "entity_id": "",
            "token_type": "service", "orphan": .bool(token.orphan), "mfa_requirement": nil, "num_uses": .int(token.numUses),
        ]
    }

    func tokenInfoJSON(_ token: EmulatedToken, now: Date, showID: Bool) -> EmulatorJSON {
        let ttl = token.expireTime.map { max(0, Int($0.timeIntervalSince(now).rounded())) } ?? 0
        var info: [String: EmulatorJSON] = [
            "accessor": .string(token.accessor), "creation_time": .int(Int(token.creationTime.timeIntervalSince1970)),
            "creation_ttl": .int(token.creationTTL), "display_name": .string(token.displayName), "entity_id": "",
            "expire_time": token.expireTime.map { .string(Self.timestamp($0)) } ?? nil,
            "explicit_max_ttl": .int(token.explicitMaxTTL), "id": .string(showID ? token.id : ""),
            "issue_time": .string(Self.timestamp(token.creationTime)),
            "meta": token.meta.map { .object($0.mapValues(EmulatorJSON.string)) } ?? nil,
            "num_uses": .int(token.numUses), "orphan": .bool(token.orphan), "path": .string(token.path),
            "policies": .array(token.policies.map(EmulatorJSON.string)), "renewable": .bool(token.renewable),
            "ttl": .int(ttl), "type": "service",
        ]
        if let period = token.period { info["period"] = .int(period) }
        if let renewal = token.lastRenewal {
            info["last_renewal_time"] = .int(Int(renewal.timeIntervalSince1970))
            info["last_renewal"] = .string(Self.timestamp(renewal))
        }
        return .object(info)
    }

    /// Seconds from a Go duration string (`1h30m`, `90s`, `500ms`), a bare number of seconds, or absent (0);
    /// nil when malformed.
    static func seconds(_ value: EmulatorJSON?) -> Int? {
        guard let value, value != .null else { return 0 }
        if let number = value.int { return number }
        guard let text = value.string else { return nil }
        if text.isEmpty { return 0 }
        var total = 0.0
        var number = ""
        var unit = ""
        func flush() -> Bool {
            guard let amount = Double(number) else { return false }
            let scale: Double? = ["h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6, "ns": 1e-9][unit]
            guard let scale else { return false }
            total += amount * scale
            number = ""
            unit = ""
            return true
        }
        for character in text {
            if character.isNumber || character == "." {
                if !unit.isEmpty, !flush() { return nil }
                number.append(character)
            } else {
                unit.append(character)
            }
        }
        guard flush() else { return nil }
        return Int(total)
    }

    /// OpenBao's warning when a requested TTL is above the token's max TTL, durations as Go prints them.
    static func cappedTTLWarning(wanted: Int, cap: Int) -> String {
        "TTL of \"\(goDuration(wanted))\" exceeded the effective max_ttl of \"\(goDuration(cap))\"; TTL value is capped accordingly"
    }

    /// Go's `time.Duration.String()` for whole seconds: `5s`, `1m30s`, `1h0m0s`.
    static func goDuration(_ seconds: Int) -> String {
        let hours = seconds / 3600, minutes = seconds % 3600 / 60, rest = seconds % 60
        if hours > 0 { return "\(hours)h\(minutes)m\(rest)s" }
        if minutes > 0 { return "\(minutes)m\(rest)s" }
        return "\(rest)s"
    }
}
