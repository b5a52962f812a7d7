import Foundation
import SprocketCore

/// `doctor` checks of how a stack uses Vault: KV paths written in the wrong form (docs/pain-points.md #7), and the root
/// credentials (docs/pain-points.md #1, #2, #5): the key file that holds the unseal keys and root token must exist, be private
/// and stay out of every git work tree, and no service may be handed it. Pure: the file system is read through
/// the closures the command passes in.
struct DoctorVaultChecks {
    var stack: StackSpec
    /// The resolved key file path (`vault.key_file`, else `SPROCKET_VAULT_KEY_FILE`, else the default).
    var keyFile: String
    /// The permission bits of a file, nil when it does not exist.
    var permissions: (String) -> UInt16?
    /// The top of the git work tree containing a folder, nil when none.
    var workTree: (String) -> String?

    func all() -> [DoctorCheckResult] {
        guard stack.vault != nil else {
            return [DoctorCheckResult(name: "vault-kv-paths", status: .ok, message: "no `vault:` declared"),
                    DoctorCheckResult(name: "vault-root-credentials", status: .ok, message: "no `vault:` declared")]
        }
        return [kvPaths(), rootCredentials()]
    }

    /// #7: every mount is KV version 2, whose API paths are `<mount>/data/<path>`; sprocketctl adds `data/` itself,
    /// so a policy path that already has it points at `<mount>/data/data/…` (a secret's `vault:` path with it does
    /// not even load), and a mount not declared under `vault.mounts` may be KV version 1 (paths without `data/`):
    /// the original's writes and reads missed each other and 404ed.
    func kvPaths() -> DoctorCheckResult {
        let mounts = Set(stack.vault?.mounts ?? [])
        var findings: [String] = []
        for entry in stack.secretManifest.entries {
            guard let vault = entry.vault else { continue }
            if !mounts.contains(vault.mount) {
                findings.append("secret \(entry.name): `\(vault)` is on mount `\(vault.mount)`, which `vault.mounts` does not declare as KV v2 "
                    + "(\(entry.location)); add it to `vault.mounts`, or use one of \(mounts.sorted().joined(separator: ", "))")
            }
        }
        for policy in stack.vault?.policies ?? [] {
            for rule in policy.rules {
                let parts = rule.path.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, let logical = Self.withoutAPIPrefix(parts[1]) else { continue }
                findings.append("policy \(policy.name): `\(rule.path)` includes the KV v2 API prefix (\(rule.location)); write "
                    + "`\(parts[0])/\(logical)`: sprocketctl expands it to the data/ and metadata/ paths")
            }
        }
        return .judging(
            "vault-kv-paths", findings, passed: "every Vault path is a logical KV v2 path on a declared mount", status: .fail,
            message: { "\($0) Vault paths mix up KV v1 and v2 (docs/pain-points.md #7: writes without `data/`, reads with it, 404s blocked layer 2)" },
            hint: "write `<mount>/<path>#<field>` with the mount listed under `vault.mounts`, never `data/` or `metadata/`")
    }

    /// The path without a leading `data/` or `metadata/`, or nil when it has neither.
    static func withoutAPIPrefix(_ path: String) -> String? {
        for prefix in ["data/", "metadata/"] where path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        return nil
    }

    /// #1, #2, #5: the unseal keys and root token are in the key file. Missing after an init, Vault cannot be
    /// unsealed (never init again: that is the original's crash loop); readable by others or committed, they leak;
    /// bind-mounted or used as a secret's file, a service holds the root token.
    func rootCredentials() -> DoctorCheckResult {
        var failures: [String] = []
        var warnings: [String] = []
        if let mode = permissions(keyFile) {
            if mode & 0o077 != 0 {
                failures.append("\(keyFile) has mode \(String(mode & 0o777, radix: 8)): others can read the unseal keys; run `chmod 600 \(keyFile)`")
            }
        } else {
            warnings.append("\(keyFile) does not exist: fine before `sprocketctl vault init`; after it, Vault cannot be unsealed from "
                + "here (restore the file from its backup; never init again)")
        }
        let folder = (keyFile as NSString).deletingLastPathComponent
        if let tree = workTree(folder) {
            failures.append("\(keyFile) is inside the git work tree \(tree) (docs/pain-points.md #2: the keys were committed); move it out and set `vault.key_file`")
        }
        for service in stack.layers.flatMap(\.services) {
            for mount in service.mounts where mount.kind == .bind {
                guard let source = mount.source else { continue }
                if source == keyFile || source == folder {
                    failures.append("\(service.name) bind-mounts \(source), which holds the root token and unseal keys (\(mount.location))")
                }
            }
        }
        for layer in stack.layers {
            for secret in layer.secrets {
                if case .file(let path) = secret.source, path == keyFile {
                    failures.append("secret \(secret.name) is made from the key file, which holds the root token (\(secret.location))")
                }
            }
        }
        for token in stack.vault?.tokens ?? [] where token.policies.contains("root") {
            failures.append("token \(token.name) carries the root policy (\(token.location))")
        }
        if !failures.isEmpty {
            return DoctorCheckResult(
                name: "vault-root-credentials", status: .fail,
                message: "the Vault root credentials are exposed (docs/pain-points.md #1, #2, #5: keys in the repo, the root token handed to services)",
                hint: "keep the key file at mode 0600 outside any repository; give services scoped tokens (`vault.tokens`), never the root token",
                details: failures + warnings)
        }
        if !warnings.isEmpty {
            return DoctorCheckResult(name: "vault-root-credentials", status: .warn, message: "the Vault key file is not here (docs/pain-points.md #1)",
                                     hint: "run `sprocketctl vault status`: an uninitialised Vault needs `vault init`; an initialised one needs this file",
                                     details: warnings)
        }
        return DoctorCheckResult(name: "vault-root-credentials", status: .ok,
                                 message: "the key file \(keyFile) is private, outside git, and no service is given the root token")
    }
}
