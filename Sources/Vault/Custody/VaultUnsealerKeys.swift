import Foundation
import SprocketCore

/// What the unattended unsealer (`vault.unsealer`) gets to hold: the unseal key shares Vault needs (its threshold,
/// no more) and no root token, in the key file format, sealed under a passphrase generated for it alone. Both go to
/// the unsealer as Docker secrets; the operator's own key file and passphrase never leave the operator.
///
/// Kept in the stack's sealed store and derived again only when the operator's keys change (Vault initialised
/// anew), so a settled stack's secrets, and the service mounting them, stay as they are.
public struct VaultUnsealerKeys: Sendable {
    public enum Outcome: String, Sendable {
        case derived, kept, replaced
    }

    let store: SealedSecretStore
    let cost: PassphraseSealedFile.Cost

    public init(store: SealedSecretStore, cost: PassphraseSealedFile.Cost = .standard) {
        self.store = store
        self.cost = cost
    }

    /// Derives the unsealer's key file and passphrase from `material` (read from `keyFile`) into the store, unless
    /// the store already holds them for these very shares.
    public func keep(from material: VaultKeyMaterial, keyFile: String) throws -> Outcome {
        let needed = max(material.threshold, 1)
        guard material.unsealKeys.count >= needed else {
            throw VaultBootstrapError.notEnoughKeys(
                address: material.vaultAddress, keyFile: keyFile, have: material.unsealKeys.count, need: material.threshold)
        }
        let shares = Array(material.unsealKeys.prefix(needed))
        let fingerprint = Self.fingerprint(of: shares)
        let recorded = try store.value(named: SealedStoreKey.vaultUnsealerRecord.rawValue).map { String(decoding: $0, as: UTF8.self) }
        let complete = try VaultUnsealerSecret.allCases.allSatisfy { try store.value(named: $0.storeKey) != nil }
        if recorded == fingerprint && complete { return .kept }

        var derived = material
        derived.unsealKeys = shares
        derived.rootToken = ""
        let passphrase = RandomSecret.generate(length: 48, alphabet: .base64url)
        let payload: Data
        do {
            payload = try VaultKeyFile.encoder.encode(derived)
        } catch {
            throw VaultCustodyError.io(path: VaultUnsealerSecret.keyFile.secretName, reason: "cannot encode the keys: \(error)")
        }
        let sealed = try PassphraseSealedFile(path: VaultUnsealerSecret.keyFile.secretName, purpose: "vault-keys")
            .seal(payload, passphrase: String(decoding: passphrase, as: UTF8.self), cost: cost)
        // One write: the key file, its passphrase and the record of which shares they hold change together.
        try store.replace([
            (VaultUnsealerSecret.keyFile.storeKey, sealed), (VaultUnsealerSecret.passphrase.storeKey, passphrase),
            (SealedStoreKey.vaultUnsealerRecord.rawValue, Array(fingerprint.utf8)),
        ])
        return recorded == nil ? .derived : .replaced
    }

    /// A digest naming which shares a derived file holds, so a re-initialised Vault's new keys are noticed.
    static func fingerprint(of shares: [String]) -> String {
        ContentHash.sha256Hex(Array((["sprocketctl-vault-unsealer"] + shares).joined(separator: "\n").utf8))
    }
}
