import Foundation
import SprocketCore

/// `secrets sync`: source -> Vault KV v2 (written only when the value changed, with cas, then read back) -> the
/// sealed store, where the resolver reads the value the content-hashed Docker secret is created from.
///
/// Every source and every Vault field is read before anything is written, so a failure leaves nothing
/// half-applied. Reports carry fingerprints and versions, never values.
public struct SecretManifestSyncer {
    /// What happened to one entry.
    public struct Report: Encodable, Equatable, Sendable {
        public enum Action: String, Encodable, Sendable {
            /// Source, Vault and the stored value already agreed.
            case unchanged
            /// A new Vault version was written (and the stored value updated).
            case vaultWritten = "vault-written"
            /// Vault agreed (or is not used) but the stored value changed: the Docker secret rolls.
            case stored
        }

        public var event = "secret-sync"
        public var name: String
        public var source: String
        public var vault: String?
        public var vaultVersion: Int?
        public var action: Action
        public var fingerprint: String
    }

    var manifest: SecretManifest
    /// nil when the stack has no Vault: entries with a `vault:` path then deploy their source value directly.
    var vault: ManifestVaultHop?
    var store: SealedSecretStore
    var key: SecretKey
    /// The run's lease: checked before each write to the sealed store, as Vault's writes are checked before they are sent.
    var lease: any StateLease

    public func sync(sourceValues: [String: SensitiveBytes]) async throws -> [Report] {
        var currents: [String: ManifestVaultHop.Current] = [:]
        if let vault {
            for entry in manifest.entries {
                guard let location = entry.vault else { continue }
                currents[entry.name] = try await vault.read(location)
            }
        }
        // Every value first; then one Vault write per secret path holding all its changed fields.
        var deployed: [String: SensitiveBytes] = [:]
        var changedFields: [VaultKVPath: (location: SecretManifestEntry.VaultLocation, current: ManifestVaultHop.Current, values: [String: SensitiveBytes])] = [:]
        for entry in manifest.entries {
            if vault != nil, let location = entry.vault, let current = currents[entry.name] {
                let desired = try desiredValue(entry, sourceValues: sourceValues, vaultValue: current.value)
                deployed[entry.name] = desired
                if current.value != desired {
                    let path = location.secret
                    changedFields[path, default: (location, current, [:])].values[location.field] = desired
                }
            } else {
                deployed[entry.name] = try desiredValue(entry, sourceValues: sourceValues, vaultValue: nil)
            }
        }
        var writtenVersions: [VaultKVPath: Int] = [:]
        if let vault {
            for (path, change) in changedFields.sorted(by: { $0.key.description < $1.key.description }) {
                writtenVersions[path] = try await vault.write(change.values, to: change.location, over: change.current)
            }
        }
        var reports: [Report] = []
        for entry in manifest.entries {
            guard let value = deployed[entry.name] else { continue }
            var action = Report.Action.unchanged
            var version = currents[entry.name]?.version
            if let location = entry.vault, let written = writtenVersions[location.secret] {
                version = written
                if changedFields[location.secret]?.values[location.field] != nil { action = .vaultWritten }
            }
            if try store.value(named: entry.storeKey) != value.bytes {
                try await lease.check(before: "sealed store: storing secret \(entry.name)")
                try store.replace(named: entry.storeKey, with: value.bytes)
                if action == .unchanged { action = .stored }
            }
            reports.append(Report(
                name: entry.name, source: entry.source.summary, vault: vault == nil ? nil : entry.vault?.description,
                vaultVersion: vault == nil ? nil : version, action: action, fingerprint: key.fingerprint(value.bytes)))
        }
        return reports
    }

    /// The source's value; for `generate:` the one already kept (Vault first, then the store), else a new one.
    private func desiredValue(_ entry: SecretManifestEntry, sourceValues: [String: SensitiveBytes], vaultValue: SensitiveBytes?) throws -> SensitiveBytes {
        if case .generate(let length, let alphabet) = entry.source {
            if let vaultValue { return vaultValue }
            if let stored = try store.value(named: entry.storeKey) { return SensitiveBytes(stored) }
            return SensitiveBytes(RandomSecret.generate(length: length, alphabet: alphabet))
        }
        guard let value = sourceValues[entry.name] else {
            throw SprocketError(.secretUnavailable, "secret '\(entry.name)' has no value from \(entry.source.summary)",
                                subject: entry.location.description, hint: "this is a bug: every source is read before syncing")
        }
        return value
    }
}
