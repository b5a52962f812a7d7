import Foundation
import SprocketCore

/// Keeps one scoped token per entry of `vault.tokens` alive: mints it when there is none (or Vault no longer
/// knows it), renews it when less than its threshold remains, and replaces it when it can no longer be renewed
/// or its policies changed. Tokens live in the stack's sealed store (never in state, logs or labels); what is
/// known about them (accessor, policies, lifetime) sits next to them as a record.
///
/// Tokens are orphans (revoking the root token or another parent does not take them down) created with the root
/// token from the key file; no consumer ever gets the root token itself.
public struct VaultTokenKeeper: Sendable {
    /// What happened to one token in this run.
    public enum Action: String, Sendable, Codable {
        case created, renewed, kept, replaced
        /// `vault status`: looked at, nothing changed.
        case inspected
        /// `vault status`: no token minted yet, or Vault no longer knows it.
        case missing
    }

    /// One token after the keeper ran: what was done and when it expires. Holds no token value.
    public struct Report: Sendable, Codable, Equatable {
        public var name: String
        public var secret: String
        public var consumers: [String]
        public var policies: [String]
        public var action: Action
        public var accessor: String?
        /// When Vault will expire it unless renewed; nil when unknown.
        public var expiresAt: Date?
        public var periodic: Bool
        /// Why it was replaced or is missing.
        public var note: String?
    }

    /// The non-secret facts about a minted token, sealed next to it.
    struct Record: Codable {
        var accessor: String
        var policies: [String]
        var lifetimeSeconds: Int
        var periodic: Bool
        var createdAt: Date
        /// When Vault said it expires, as of the last `up` that looked (renewals by the consumer itself move it later).
        var expiresAt: Date?
    }

    let client: VaultClient
    let tokens: [VaultTokenSpec]
    let store: SealedSecretStore
    let identity: StackIdentity
    /// The run's lease: checked before each write to the sealed store (Vault's writes are checked by the client's
    /// call counter, ``VaultCallCounter/fenceWrites(_:)``).
    let lease: any StateLease
    let now: @Sendable () -> Date

    /// - Parameter client: a client already carrying the root token (the caller sets and clears it).
    public init(
        client: VaultClient, tokens: [VaultTokenSpec], store: SealedSecretStore, identity: StackIdentity, lease: any StateLease,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.client = client
        self.tokens = tokens
        self.store = store
        self.identity = identity
        self.lease = lease
        self.now = now
    }

    /// Brings every token to the spec; returns one report per token, in spec order.
    public func reconcile() async throws -> [Report] {
        var reports: [Report] = []
        for token in tokens { reports.append(try await reconcile(token)) }
        return reports
    }

    /// Looks at every token without changing anything (for `vault status`).
    public func inspect() async throws -> [Report] {
        var reports: [Report] = []
        for token in tokens {
            guard let record = try record(of: token) else {
                reports.append(report(token, .missing, accessor: nil, expiresAt: nil, note: "not minted yet: `up` mints it"))
                continue
            }
            guard let info = try await lookup(record.accessor) else {
                reports.append(report(token, .missing, accessor: record.accessor, expiresAt: nil,
                                      note: "Vault no longer knows it (expired or revoked): the next `up` mints a new one"))
                continue
            }
            reports.append(report(token, .inspected, accessor: record.accessor, expiresAt: expiry(of: info)))
        }
        return reports
    }

    private func reconcile(_ token: VaultTokenSpec) async throws -> Report {
        guard let record = try record(of: token), try store.value(named: SealedStoreKey.vaultToken(token.name).rawValue) != nil else {
            return try await mint(token, action: .created, note: nil)
        }
        guard let info = try await lookup(record.accessor) else {
            return try await mint(token, action: .replaced, note: "Vault no longer knew the previous token (expired or revoked)")
        }
        let held = Set(info.policies).subtracting(["default"])
        if held != Set(token.policies) || record.periodic != (token.period != nil) || record.lifetimeSeconds != token.lifetime.wholeSeconds {
            return try await mint(
                token, action: .replaced, note: "its policies or lifetime changed in the spec; the old token is revoked once its consumers run with the new one",
                retiring: record.accessor)
        }
        guard Duration.seconds(info.ttl) < token.renewalThreshold else {
            let expiresAt = expiry(of: info)
            try await remember(expiresAt, in: record, of: token)
            return report(token, .kept, accessor: record.accessor, expiresAt: expiresAt)
        }
        guard info.renewable, let value = try store.value(named: SealedStoreKey.vaultToken(token.name).rawValue) else {
            return try await mint(token, action: .replaced, note: "it was about to expire and cannot be renewed", retiring: record.accessor)
        }
        let renewed = try await client.renew(token: VaultSecretString(String(decoding: value, as: UTF8.self)), increment: token.lifetime)
        guard renewed.leaseDuration >= token.renewalThreshold else {
            return try await mint(token, action: .replaced, note: "renewal reached the token's max TTL", retiring: record.accessor)
        }
        let expiresAt = now().addingTimeInterval(renewed.leaseDuration.secondsValue)
        try await remember(expiresAt, in: record, of: token)
        return report(token, .renewed, accessor: record.accessor, expiresAt: expiresAt)
    }

    /// - Parameter retiring: the accessor of the token this one replaces, still valid in Vault: kept in the store
    ///   until ``revokeRetired()`` runs, once the consumers run with the new token.
    private func mint(_ token: VaultTokenSpec, action: Action, note: String?, retiring: String? = nil) async throws -> Report {
        let request = VaultTokenRequest(
            policies: token.policies, ttl: token.period == nil ? token.lifetime : nil, period: token.period, renewable: true,
            orphan: true, displayName: "sprocket-\(identity.stack)-\(identity.environment)-\(token.name)",
            metadata: ["stack": identity.stack, "environment": identity.environment, "token": token.name,
                       "consumers": token.consumers.joined(separator: ",")])
        let auth = try await client.createToken(request)
        SecretRedactor.shared.register(auth.clientToken.unredactedValue, name: token.secretName)
        let expiresAt = now().addingTimeInterval(auth.leaseDuration.secondsValue)
        let record = Record(
            accessor: auth.accessor, policies: token.policies.sorted(), lifetimeSeconds: token.lifetime.wholeSeconds,
            periodic: token.period != nil, createdAt: now(), expiresAt: expiresAt)
        var entries: [(name: String, value: [UInt8])] = [
            (SealedStoreKey.vaultToken(token.name).rawValue, Array(auth.clientToken.unredactedValue.utf8)),
            (SealedStoreKey.vaultTokenRecord(token.name).rawValue, Array(try JSONEncoder().encode(record))),
        ]
        if let retiring {
            entries.append((SealedStoreKey.vaultTokenRetired(token.name).rawValue, Array(try JSONEncoder().encode(try retired(token.name) + [retiring]))))
        }
        // One write: the new token, its record and the old one's accessor to revoke change together. A run killed
        // or taken over right before it leaves a token no store holds: the next `up` revokes it (``revokeStrays()``).
        try await lease.check(before: "sealed store: keeping Vault token \(token.name)")
        try store.replace(entries)
        return report(token, action, accessor: auth.accessor, expiresAt: expiresAt, note: note)
    }

    private func retired(_ name: String) throws -> [String] {
        guard let bytes = try store.value(named: SealedStoreKey.vaultTokenRetired(name).rawValue) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(bytes))) ?? []
    }

    /// Whether a replaced token awaits revocation: tells `up` whether it needs the root token after deploying.
    public func hasRetired() throws -> Bool {
        try tokens.contains { try !retired($0.name).isEmpty }
    }

    /// Revokes the tokens this keeper replaced (by accessor), once their consumers run with the new ones: a token
    /// Vault no longer knows counts as revoked. Returns the accessors revoked. Call with the root token set.
    public func revokeRetired() async throws -> [String] {
        var revoked: [String] = []
        for token in tokens {
            let accessors = try retired(token.name)
            guard !accessors.isEmpty else { continue }
            for accessor in accessors {
                do {
                    try await client.revoke(accessor: accessor)
                } catch VaultClientError.badRequest, VaultClientError.notFound {
                    // Already expired or revoked.
                }
                revoked.append(accessor)
            }
            try await lease.check(before: "sealed store: forgetting the revoked tokens of \(token.name)")
            try store.replace(named: SealedStoreKey.vaultTokenRetired(token.name).rawValue, with: Array("[]".utf8))
        }
        return revoked
    }

    /// Revokes the tokens minted for this stack environment (by the `stack` and `environment` of their metadata)
    /// that the store neither holds nor waits to revoke: minted by a run that was killed, or lost its lease to
    /// another run, before its store was kept or shared. Call with the root token set, once the consumers run with
    /// the tokens the store holds. Costs a `LIST` of the accessors and a lookup of each (reads); returns the
    /// accessors revoked.
    public func revokeStrays() async throws -> [String] {
        var held = Set<String>()
        for token in tokens {
            if let record = try record(of: token) { held.insert(record.accessor) }
            held.formUnion(try retired(token.name))
        }
        var revoked: [String] = []
        for accessor in try await client.listTokenAccessors() where !held.contains(accessor) {
            guard let info = try await lookup(accessor), let meta = info.meta,
                meta["stack"] == identity.stack, meta["environment"] == identity.environment, meta["token"] != nil
            else { continue }
            do {
                try await client.revoke(accessor: accessor)
            } catch VaultClientError.badRequest, VaultClientError.notFound {
                // Expired or revoked in between.
            }
            revoked.append(accessor)
        }
        return revoked
    }

    /// Records a new expiry, writing only when it moved by more than a minute (a no-op `up` writes nothing).
    private func remember(_ expiresAt: Date, in record: Record, of token: VaultTokenSpec) async throws {
        if let known = record.expiresAt, abs(known.timeIntervalSince(expiresAt)) < 60 { return }
        var record = record
        record.expiresAt = expiresAt
        try await lease.check(before: "sealed store: recording the expiry of Vault token \(token.name)")
        try store.replace(named: SealedStoreKey.vaultTokenRecord(token.name).rawValue, with: Array(try JSONEncoder().encode(record)))
    }

    /// The tokens as the sealed store last recorded them, without asking Vault (for `status`).
    public static func recorded(_ tokens: [VaultTokenSpec], in store: SealedSecretStore?) throws -> [Report] {
        try tokens.map { token in
            let record = try store?.value(named: SealedStoreKey.vaultTokenRecord(token.name).rawValue).flatMap { try? JSONDecoder().decode(Record.self, from: Data($0)) }
            return Report(
                name: token.name, secret: token.secretName, consumers: token.consumers, policies: token.policies,
                action: record == nil ? .missing : .inspected, accessor: record?.accessor, expiresAt: record?.expiresAt,
                periodic: token.period != nil, note: record == nil ? "not minted yet: `up` mints it" : nil)
        }
    }

    private func record(of token: VaultTokenSpec) throws -> Record? {
        guard let bytes = try store.value(named: SealedStoreKey.vaultTokenRecord(token.name).rawValue) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: Data(bytes))
    }

    /// The token behind an accessor; nil when Vault does not know it (any more).
    private func lookup(_ accessor: String) async throws -> VaultTokenInfo? {
        do {
            return try await client.lookup(accessor: accessor)
        } catch VaultClientError.badRequest, VaultClientError.notFound {
            return nil
        }
    }

    private func expiry(of info: VaultTokenInfo) -> Date {
        if let text = info.expireTime, let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) {
            return date
        }
        return now().addingTimeInterval(TimeInterval(info.ttl))
    }

    private func report(_ token: VaultTokenSpec, _ action: Action, accessor: String?, expiresAt: Date?, note: String? = nil) -> Report {
        Report(
            name: token.name, secret: token.secretName, consumers: token.consumers, policies: token.policies, action: action,
            accessor: accessor, expiresAt: expiresAt, periodic: token.period != nil, note: note)
    }
}

extension Duration {
    /// Whole seconds, rounded down.
    var wholeSeconds: Int { Int(components.seconds) }
}
