import Foundation

/// Where Vault's keys are kept: one passphrase-sealed file with every unseal key share and the root token, or,
/// for separate custodians, one sealed file per share plus a file with the root token only.
public struct VaultKeyFile: Sendable {
    public var path: String
    var location: GitWorkTreeGuard
    var cost: PassphraseSealedFile.Cost

    public init(path: String, location: GitWorkTreeGuard = GitWorkTreeGuard(), cost: PassphraseSealedFile.Cost = .standard) {
        self.path = path
        self.location = location
        self.cost = cost
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Refuses a path git would track. Call before `sys/init`: keys that cannot be stored must not be created.
    public func checkLocation() throws(VaultCustodyError) {
        try location.check(path)
    }

    public func save(_ material: VaultKeyMaterial, passphrase: String) throws(VaultCustodyError) {
        material.registerForRedaction()
        try checkLocation()
        let payload: Data
        do {
            payload = try Self.encoder.encode(material)
        } catch {
            throw .io(path: path, reason: "cannot encode the keys: \(error)")
        }
        try PassphraseSealedFile(path: path, purpose: "vault-keys").write(payload, passphrase: passphrase, cost: cost)
    }

    public func load(passphrase: String) throws(VaultCustodyError) -> VaultKeyMaterial {
        let payload = try PassphraseSealedFile(path: path, purpose: "vault-keys").read(passphrase: passphrase)
        do {
            let material = try Self.decoder.decode(VaultKeyMaterial.self, from: payload)
            material.registerForRedaction()
            return material
        } catch {
            throw .unreadable(path: path, reason: "its content is not Vault key material")
        }
    }

    /// One sealed file per unseal key share (`<path>.share-<i>-of-<n>`), each under its custodian's passphrase;
    /// the main file keeps only the root token. Returns the share files' paths.
    public func saveSeparately(_ material: VaultKeyMaterial, sharePassphrases: [String]) throws(VaultCustodyError) -> [String] {
        guard sharePassphrases.count == material.unsealKeys.count else {
            throw .io(path: path, reason: "\(material.unsealKeys.count) shares need \(material.unsealKeys.count) passphrases, got \(sharePassphrases.count)")
        }
        var written: [String] = []
        for (index, key) in material.unsealKeys.enumerated() {
            let sharePath = "\(path).share-\(index + 1)-of-\(material.unsealKeys.count)"
            try location.check(sharePath)
            var share = material
            share.unsealKeys = [key]
            share.rootToken = ""
            let payload: Data
            do {
                payload = try Self.encoder.encode(share)
            } catch {
                throw .io(path: sharePath, reason: "cannot encode the share: \(error)")
            }
            try PassphraseSealedFile(path: sharePath, purpose: "vault-share").write(payload, passphrase: sharePassphrases[index], cost: cost)
            written.append(sharePath)
        }
        return written
    }

    /// Reads one share file written by ``saveSeparately(_:sharePassphrases:)``.
    public static func loadShare(at path: String, passphrase: String) throws(VaultCustodyError) -> String {
        let payload = try PassphraseSealedFile(path: path, purpose: "vault-share").read(passphrase: passphrase)
        guard let share = try? decoder.decode(VaultKeyMaterial.self, from: payload), let key = share.unsealKeys.first else {
            throw .unreadable(path: path, reason: "its content is not a Vault key share")
        }
        return key
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
