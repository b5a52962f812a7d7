import Crypto
import Foundation

/// The local 256-bit key that seals generated secrets and keys their fingerprints.
///
/// It lives outside the state folder (default `~/.config/sprocketctl/secrets.key`, mode 0600) so that copying or
/// committing a state folder by mistake leaks nothing readable.
public struct SecretKey: Sendable {
    /// Raw key bytes (`SymmetricKey` is not `Sendable`; one is built per use).
    private let rawKey: [UInt8]
    public let path: String

    /// Loads the key file, creating it with a fresh random key when it does not exist.
    public static func loadOrCreate(at path: String) throws -> SecretKey {
        if let bytes = try AtomicFile.read(path) {
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let raw = Data(base64Encoded: text), raw.count == 32 else {
                throw SprocketError(
                    .secretStore, "the key file is not a base64-encoded 32-byte key", subject: path,
                    hint: "restore the key file from your backup; without it the sealed secrets cannot be read")
            }
            return SecretKey(rawKey: Array(raw), path: path)
        }
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        try AtomicFile.write(Array(text.utf8), to: path, permissions: 0o600)
        return SecretKey(rawKey: key.withUnsafeBytes { Array($0) }, path: path)
    }

    /// The default key path for a home folder: `<home>/.config/sprocketctl/secrets.key`.
    public static func defaultPath(home: String) -> String {
        "\(home)/.config/sprocketctl/secrets.key"
    }

    /// A key derived for one purpose, so the sealing key and the fingerprint key are never the same bytes.
    func derived(_ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: rawKey), info: Array(purpose.utf8), outputByteCount: 32)
    }

    /// HMAC-SHA256 fingerprint of a value: comparable across runs, useless to anyone without the key.
    public func fingerprint(_ bytes: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: derived("sprocket-fingerprint-v1"))
        return "hmac-sha256:" + ContentHash.hex(Array(mac))
    }
}
