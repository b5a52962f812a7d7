import Foundation
import SprocketCore

/// Brings a Vault's KV v2 mounts and ACL policies to the spec, writing only what differs (a second `up` writes
/// nothing). Uses the root token from the key file, never printing it; a mount that exists as anything but KV
/// version 2 is an error (the original system mixed v1 and v2 paths and read nothing).
struct VaultConfigurator {
    struct Check {
        var name: String
        var expected: String
        var seen: String
    }

    var client: VaultClient
    var vault: VaultSpec
    var keyFile: String
    var passphrase: String?

    func apply() async throws -> [Check] {
        guard let passphrase, !passphrase.isEmpty else {
            throw VaultUnsealGateFailure(
                description: "mounts and policies need the root token from \(keyFile): set SPROCKET_VAULT_PASSPHRASE")
        }
        let material = try VaultKeyFile(path: keyFile).load(passphrase: passphrase)
        client.setToken(VaultSecretString(material.rootToken))
        defer { client.setToken(nil) }
        var checks: [Check] = []
        if !vault.mounts.isEmpty { checks.append(try await applyMounts()) }
        if !vault.policies.isEmpty { checks.append(try await applyPolicies()) }
        return checks
    }

    private func applyMounts() async throws -> Check {
        let existing = try await client.listMounts()
        var created: [String] = []
        for mount in vault.mounts {
            if let current = existing["\(mount)/"] {
                let version = current.options?["version"] ?? "1"
                guard current.type == "kv", version == "2" else {
                    throw VaultUnsealGateFailure(
                        description: "\(mount)/ is mounted as \(current.type) version \(version), not KV version 2: "
                            + "move its secrets and re-mount it as kv-v2 (`vault secrets enable -path=\(mount) kv-v2`), or rename the mount in the spec")
                }
                continue
            }
            try await client.enableKVVersion2(at: mount)
            created.append("\(mount)/")
        }
        return Check(
            name: "vault: mounts", expected: "KV v2 at \(vault.mounts.map { "\($0)/" }.joined(separator: ", "))",
            seen: created.isEmpty ? "all present" : "enabled \(created.joined(separator: ", "))")
    }

    private func applyPolicies() async throws -> Check {
        var written: [String] = []
        for policy in vault.policies {
            let rules = try policy.rules.map { rule in
                try VaultKVPolicyRule(logicalPattern: rule.path, access: Set(rule.access.compactMap(VaultKVAccess.init(rawValue:))))
            }
            let hcl = VaultPolicyDocument(kvRules: rules).hcl
            if try await client.readPolicy(named: policy.name) == hcl { continue }
            try await client.writePolicy(named: policy.name, hcl: hcl)
            written.append(policy.name)
        }
        return Check(
            name: "vault: policies", expected: "policies \(vault.policies.map(\.name).joined(separator: ", ")) as the spec says",
            seen: written.isEmpty ? "all unchanged" : "wrote \(written.joined(separator: ", "))")
    }
}
