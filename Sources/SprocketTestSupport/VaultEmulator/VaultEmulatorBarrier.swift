import Foundation

/// Everything the emulated Vault keeps behind its barrier: encrypted with the root key while sealed (in memory
/// and on disk), readable only after an unseal with the right shares.
struct VaultEmulatorBarrier: Codable, Sendable {
    var mounts: [String: EmulatedMount] = [:]
    /// Policy name → HCL text (`default` is built in; `root` is implicit and never stored).
    var policies: [String: String] = ["default": VaultEmulatorBarrier.defaultPolicy]
    /// Token id → token.
    var tokens: [String: EmulatedToken] = [:]

    /// The rules Vault's built-in `default` policy has that matter here: a token may look itself up, renew and
    /// revoke itself.
    static let defaultPolicy = """
        # Allow tokens to look up their own properties
        path "auth/token/lookup-self" {
            capabilities = ["read"]
        }

        # Allow tokens to renew themselves
        path "auth/token/renew-self" {
            capabilities = ["update"]
        }

        # Allow tokens to revoke themselves
        path "auth/token/revoke-self" {
            capabilities = ["update"]
        }

        # Allow a token to look up its own capabilities on a path
        path "sys/capabilities-self" {
            capabilities = ["update"]
        }
        """
}

/// A secrets engine mount (only KV version 2 is emulated).
struct EmulatedMount: Codable, Sendable {
    var type: String
    var description: String
    var accessor: String
    var uuid: String
    var options: [String: String]
    var maxVersions = 0
    var casRequired = false
    /// Logical path → secret.
    var secrets: [String: EmulatedSecret] = [:]
}

/// One KV v2 secret: its versions and settings.
struct EmulatedSecret: Codable, Sendable {
    struct Version: Codable, Sendable {
        var data: EmulatorJSON?
        var createdTime: Date
        var deletionTime: Date?
        var destroyed = false
    }

    var createdTime: Date
    var updatedTime: Date
    var currentVersion = 0
    var oldestVersion = 0
    var maxVersions = 0
    var casRequired = false
    var customMetadata: [String: String]?
    var versions: [Int: Version] = [:]
}

/// A service token.
struct EmulatedToken: Codable, Sendable {
    var id: String
    var accessor: String
    var policies: [String]
    var meta: [String: String]?
    var displayName: String
    var path: String
    var creationTime: Date
    /// The TTL it was created with, in seconds (0: never expires).
    var creationTTL: Int
    var expireTime: Date?
    var explicitMaxTTL: Int
    var period: Int?
    var renewable: Bool
    var orphan: Bool
    var parentID: String?
    var numUses: Int
    var lastRenewal: Date?

    var isRoot: Bool { policies.contains("root") }
}
