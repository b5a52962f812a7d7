import Foundation
import Logging
import SprocketCore
import Vault

/// The Vault hop of the secret manifest: reads and writes each entry's KV v2 field with the root token from the
/// stack's Vault key file. Values stay in ``SensitiveBytes``; only fingerprints and versions leave this type.
public struct ManifestVaultHop: Sendable {
    /// One entry's field as Vault holds it now.
    public struct Current: Sendable {
        public var value: SensitiveBytes?
        /// The secret's current version (0: the secret does not exist).
        public var version: Int
        /// All fields of that version, so writing one field keeps the others.
        public var data: VaultSecretData
    }

    public let client: VaultClient
    public let address: String

    /// Opens a client with the root token of `keyFile` (sealed with `passphrase`), counting its calls in `calls`.
    public static func open(vault: VaultSpec, keyFile: String, passphrase: String?, logger: Logger, calls: VaultCallCounter) throws -> ManifestVaultHop {
        guard let passphrase, !passphrase.isEmpty else {
            throw SprocketError(
                .secretUnavailable, "the Vault-backed manifest secrets need the root token from \(keyFile)", subject: vault.address,
                hint: "set SPROCKET_VAULT_PASSPHRASE; nothing was written")
        }
        let material = try VaultKeyFile(path: keyFile).load(passphrase: passphrase)
        let client = try VaultClient(configuration: try VaultClientConfiguration(address: vault.address), logger: logger, calls: calls)
        client.setToken(VaultSecretString(material.rootToken))
        return ManifestVaultHop(client: client, address: vault.address)
    }

    public func close() async {
        client.setToken(nil)
        try? await client.shutdown()
    }

    public func read(_ location: SecretManifestEntry.VaultLocation) async throws -> Current {
        let path = location.secret
        do {
            guard let secret = try await client.secretIfPresent(at: path) else {
                return Current(value: nil, version: 0, data: VaultSecretData(values: [:]))
            }
            let value = secret.data[location.field].map { SensitiveBytes(Array($0.unredactedValue.utf8)) }
            return Current(value: value, version: secret.metadata.version, data: secret.data)
        } catch let error as SprocketError {
            throw error
        } catch {
            throw SprocketError(.secretUnavailable, "reading \(location) from Vault failed: \(error)", subject: address,
                                hint: "check `sprocketctl vault status` and the path; nothing was written")
        }
    }

    /// Writes `values` (field -> value) into the secret at `location`'s path in one new version, keeping its other
    /// fields, with `cas` = the version read; then reads it back. Several manifest entries may share one secret
    /// (one field each): they are written together, since a second write with the same `cas` would be refused.
    /// Returns the new version.
    public func write(_ values: [String: SensitiveBytes], to location: SecretManifestEntry.VaultLocation, over current: Current) async throws -> Int {
        let path = location.secret
        var data = current.data
        for (field, value) in values { data.values[field] = .string(String(decoding: value.bytes, as: UTF8.self)) }
        let fields = values.keys.sorted().joined(separator: ", ")
        let written: VaultKVVersionMetadata
        do {
            written = try await client.writeSecret(data, at: path, cas: current.version)
        } catch {
            throw SprocketError(
                .conflict, "writing \(location.mount)/\(location.path) (\(fields)) to Vault (cas \(current.version)) failed: \(error)",
                subject: address, hint: "someone may have written it meanwhile; run `sprocketctl secrets diff`, then sync again")
        }
        for (field, value) in values {
            var fieldLocation = location
            fieldLocation.field = field
            let check = try await read(fieldLocation)
            guard check.version == written.version, check.value == value else {
                throw SprocketError(
                    .conflict, "\(fieldLocation) read back from Vault (v\(check.version)) does not hold the value just written (v\(written.version))",
                    subject: address, hint: "another writer changed it; run `sprocketctl secrets diff` and sync again")
            }
        }
        return written.version
    }
}
