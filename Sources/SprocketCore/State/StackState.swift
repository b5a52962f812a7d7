import Foundation

/// What the cluster cannot tell: the last runs and the secrets' fingerprints. Never a secret value.
public struct StackState: Sendable, Codable, Hashable {
    public var schemaVersion: Int
    public var stack: String
    public var environment: String
    public var lastRunID: String?
    public var lastSuccessfulRunID: String?
    /// HMAC-SHA256 fingerprints of secret values under the local key, by secret name.
    public var secretFingerprints: [String: String]
    public var updatedAt: Date?
    /// How many times the local state was saved: a save is refused unless the file still holds the revision this
    /// copy was loaded with (``LocalStateStore/save(_:)``). nil in files written before revisions were kept.
    public var revision: Int?

    public init(identity: StackIdentity) {
        schemaVersion = LocalStateStore.schemaVersion
        stack = identity.stack
        environment = identity.environment
        secretFingerprints = [:]
    }
}

/// The portable form of a stack environment's state (`state export` / `state import`).
public struct StateExport: Sendable, Codable, Hashable {
    public var schemaVersion: Int
    public var state: StackState
    public var runs: [RunRecord]
    /// The sealed store as stored (ciphertext only), so generated secrets survive a move.
    public var sealedSecrets: String?

    public init(schemaVersion: Int, state: StackState, runs: [RunRecord], sealedSecrets: String?) {
        self.schemaVersion = schemaVersion
        self.state = state
        self.runs = runs
        self.sealedSecrets = sealedSecrets
    }
}
