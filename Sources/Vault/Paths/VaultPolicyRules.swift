import SprocketCore
/// A capability in a Vault ACL policy rule.
public enum VaultCapability: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    case create, read, update, patch, delete, list, sudo, deny

    /// Orders as Vault's docs list them, so rendered policies are stable.
    public static func < (lhs: VaultCapability, rhs: VaultCapability) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One `path "…" { capabilities = [...] }` block, on a raw API path (for non-KV paths such as
/// `auth/token/renew-self`). For KV v2 secrets use ``VaultKVPolicyRule``, which derives the API paths.
public struct VaultPolicyPathRule: Sendable, Hashable {
    /// The API path pattern (`*` glob at the end, `+` for one segment).
    public var path: String
    /// What the rule grants (or `deny`).
    public var capabilities: Set<VaultCapability>

    /// Creates a rule.
    public init(path: String, capabilities: Set<VaultCapability>) {
        self.path = path
        self.capabilities = capabilities
    }

    /// The HCL block.
    public var hcl: String {
        let list = capabilities.sorted().map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        return "path \"\(path)\" {\n  capabilities = [\(list)]\n}\n"
    }
}

/// What a consumer may do with the KV v2 secrets under a logical path pattern.
public enum VaultKVAccess: String, Sendable, Hashable, CaseIterable, Codable {
    /// Read secret data and metadata.
    case read
    /// List keys.
    case list
    /// Create and update secrets (data `create`, `update`, `patch`).
    case write
    /// Soft-delete and undelete versions.
    case delete
    /// Destroy versions and delete all metadata, for good.
    case destroy
    /// Deny everything under the pattern (wins over any grant).
    case deny
}

/// A policy rule on logical KV v2 paths, e.g. mount `platform`, pattern `prod/*`, access read + list.
///
/// It expands to the rules KV v2 really checks, so nobody has to remember them:
/// `platform/data/prod/*` (read), `platform/metadata/prod/*` (read, list), plus `delete/`, `undelete/` and
/// `destroy/` paths when deletion is granted.
public struct VaultKVPolicyRule: Sendable, Hashable {
    /// The KV v2 mount.
    public let mount: String
    /// The logical pattern inside the mount (`*` for everything, `prod/*`, `+/db`).
    public let pattern: String
    /// What is granted.
    public let access: Set<VaultKVAccess>

    /// Creates a rule.
    ///
    /// - Throws: ``VaultPathError`` for an empty mount, relative segments, a pattern that already contains
    ///   `data/`/`metadata/`, or no access at all.
    public init(mount: String, pattern: String, access: Set<VaultKVAccess>) throws {
        let kvPath = try VaultKVPath(mount: mount, path: pattern)
        guard !access.isEmpty else { throw VaultPathError.noCapabilities(path: kvPath.description) }
        self.mount = kvPath.mount
        self.pattern = kvPath.path.isEmpty ? "*" : kvPath.path
        self.access = access
    }

    /// Parses `platform/*` or `platform/prod/*` (the first segment is the mount).
    public init(logicalPattern: String, access: Set<VaultKVAccess>) throws {
        let kvPath = try VaultKVPath(logical: logicalPattern)
        try self.init(mount: kvPath.mount, pattern: kvPath.path, access: access)
    }

    /// The raw API path rules this expands to, data first, then metadata, delete, undelete, destroy.
    public var pathRules: [VaultPolicyPathRule] {
        var data = Set<VaultCapability>()
        var metadata = Set<VaultCapability>()
        var softDelete = Set<VaultCapability>()
        var destroy = Set<VaultCapability>()
        for grant in access {
            switch grant {
            case .read:
                data.insert(.read)
                metadata.insert(.read)
            case .list: metadata.insert(.list)
            case .write: data.formUnion([.create, .update, .patch])
            case .delete:
                data.insert(.delete)
                softDelete.insert(.update)
            case .destroy:
                destroy.insert(.update)
                metadata.insert(.delete)
            case .deny:
                break  // handled below: deny replaces every grant
            }
        }
        if access.contains(.deny) {
            data = [.deny]
            metadata = [.deny]
            softDelete = [.deny]
            destroy = [.deny]
        }
        var rules = [
            VaultPolicyPathRule(path: "\(mount)/data/\(pattern)", capabilities: data),
            VaultPolicyPathRule(path: "\(mount)/metadata/\(pattern)", capabilities: metadata),
            VaultPolicyPathRule(path: "\(mount)/delete/\(pattern)", capabilities: softDelete),
            VaultPolicyPathRule(path: "\(mount)/undelete/\(pattern)", capabilities: softDelete),
            VaultPolicyPathRule(path: "\(mount)/destroy/\(pattern)", capabilities: destroy),
        ]
        rules.removeAll { $0.capabilities.isEmpty }
        return rules
    }
}

/// A whole ACL policy: KV rules and raw rules rendered to HCL in a stable order.
public struct VaultPolicyDocument: Sendable, Hashable {
    /// Rules on KV v2 secrets.
    public var kvRules: [VaultKVPolicyRule]
    /// Rules on other API paths.
    public var pathRules: [VaultPolicyPathRule]

    /// Creates a policy.
    public init(kvRules: [VaultKVPolicyRule] = [], pathRules: [VaultPolicyPathRule] = []) {
        self.kvRules = kvRules
        self.pathRules = pathRules
    }

    /// Every raw rule, KV expansions first. Two rules on the same path are merged (capabilities united).
    public var allPathRules: [VaultPolicyPathRule] {
        var merged: [String: Set<VaultCapability>] = [:]
        var order: [String] = []
        for rule in kvRules.flatMap(\.pathRules) + pathRules {
            if merged[rule.path] == nil { order.append(rule.path) }
            merged[rule.path, default: []].formUnion(rule.capabilities)
        }
        return order.compactMap { path in
            merged[path].map { VaultPolicyPathRule(path: path, capabilities: $0.contains(.deny) ? [.deny] : $0) }
        }
    }

    /// The policy text to send to `sys/policies/acl/:name`.
    public var hcl: String {
        allPathRules.map(\.hcl).joined(separator: "\n")
    }
}
