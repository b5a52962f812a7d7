import Foundation
import SprocketCore

/// `secrets sync`: source -> Vault KV v2 (written only when the value changed, with cas, then read back) -> the
/// sealed store, where the resolver reads the value the content-hashed Docker secret is created from.
///
/// Every source and every Vault field is read before anything is written, so a failure leaves nothing
/// half-applied. Reports carry fingerprints and versions, never values.
struct SecretManifestSyncer {
    /// What happened to one entry.
    struct Report: Encodable, Equatable {
        enum Action: String, Encodable {
            /// Source, Vault and the stored value already agreed.
            case unchanged
            /// A new Vault version was written (and the stored value updated).
            case vaultWritten = "vault-written"
            /// Vault agreed (or is not used) but the stored value changed: the Docker secret rolls.
            case stored
        }

        var event = "secret-sync"
        var name: String
        var source: String
        var vault: String?
        var vaultVersion: Int?
        var action: Action
        var fingerprint: String
    }

    var manifest: SecretManifest
    /// nil when the stack has no Vault: entries with a `vault:` path then deploy their source value directly.
    var vault: ManifestVaultHop?
    var store: SealedSecretStore
    var key: SecretKey

    func sync(sourceValues: [String: SensitiveBytes]) async throws -> [Report] {
        var currents: [String: ManifestVaultHop.Current] = [:]
        if let vault {
            for entry in manifest.entries {
                guard let location = entry.vault else { continue }
                currents[entry.name] = try await vault.read(location)
            }
        }
        var reports: [Report] = []
        for entry in manifest.entries {
            var action = Report.Action.unchanged
            var version: Int?
            let deployed: SensitiveBytes
            if let vault, let location = entry.vault, let current = currents[entry.name] {
                let desired = try desiredValue(entry, sourceValues: sourceValues, vaultValue: current.value)
                version = current.version
                if current.value != desired {
                    version = try await vault.write(desired, to: location, over: current)
                    action = .vaultWritten
                }
                deployed = desired
            } else {
                deployed = try desiredValue(entry, sourceValues: sourceValues, vaultValue: nil)
            }
            if try store.value(named: entry.storeKey) != deployed.bytes {
                try store.replace(named: entry.storeKey, with: deployed.bytes)
                if action == .unchanged { action = .stored }
            }
            reports.append(Report(
                name: entry.name, source: entry.source.summary, vault: vault == nil ? nil : entry.vault?.description,
                vaultVersion: version, action: action, fingerprint: key.fingerprint(deployed.bytes)))
        }
        return reports
    }

    /// The source's value; for `generate:` the one already kept (Vault first, then the store), else a new one.
    private func desiredValue(_ entry: SecretManifestEntry, sourceValues: [String: SensitiveBytes], vaultValue: SensitiveBytes?) throws -> SensitiveBytes {
        if case .generate(let length) = entry.source {
            if let vaultValue { return vaultValue }
            if let stored = try store.value(named: entry.storeKey) { return SensitiveBytes(stored) }
            return SensitiveBytes(RandomSecret.generate(length: length, alphabet: .alphanumeric))
        }
        guard let value = sourceValues[entry.name] else {
            throw SprocketError(.secretUnavailable, "secret '\(entry.name)' has no value from \(entry.source.summary)",
                                subject: entry.location.description, hint: "this is a bug: every source is read before syncing")
        }
        return value
    }
}

/// One line about a synced secret, for `up` and `secrets sync`. Names the secret and its version, never its value.
enum SecretSyncLine {
    static func describe(_ report: SecretManifestSyncer.Report) -> String {
        var line = "secret \(report.name) (\(report.source)"
        if let vault = report.vault { line += " -> vault \(vault)" + (report.vaultVersion.map { " v\($0)" } ?? "") }
        return line + "): \(report.action.rawValue)"
    }
}
