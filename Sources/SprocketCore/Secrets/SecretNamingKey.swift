import Crypto
import Foundation

/// The key that fingerprints a Docker secret's value in its name (see ``DockerSecretNaming``).
///
/// 32 random bytes, kept in the stack environment's sealed store, so that it is as private as the values it
/// protects and, with state on S3, shared with the store among every operator: they all derive the same names.
/// It is created the first time a secret needs a keyed name, by a command that mutates (`up`, under its lease);
/// a `plan` only reads it.
public struct SecretNamingKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The sealed store's entry (``SealedStoreKey/dockerSecretNamingKey``).
    public static let storeKey = SealedStoreKey.dockerSecretNamingKey.rawValue
    static let byteCount = 32

    private let bytes: [UInt8]

    /// A key from its raw bytes (tests, and the sealed store's entry); nil unless exactly 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// The key kept in `store`, or nil when none was created yet.
    public static func stored(in store: SealedSecretStore) throws -> SecretNamingKey? {
        guard let bytes = try store.value(named: storeKey) else { return nil }
        guard let key = SecretNamingKey(bytes: bytes) else { throw damaged(store) }
        return key
    }

    /// The key kept in `store`, created at random and saved first when there is none. Only a mutating command
    /// calls this; a concurrent creator's key wins (the store keeps the first one written).
    public static func storedOrCreated(in store: SealedSecretStore) throws -> SecretNamingKey {
        let bytes = try store.valueOrGenerate(named: storeKey) {
            Array(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
        }
        guard let key = SecretNamingKey(bytes: bytes) else { throw damaged(store) }
        return key
    }

    /// HMAC-SHA256 of `message` under this key.
    func authenticationCode(for message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: bytes)))
    }

    public var description: String { "<secret naming key redacted>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    private static func damaged(_ store: SealedSecretStore) -> SprocketError {
        SprocketError(
            .secretStore, "the secret naming key in the sealed store is not 32 bytes", subject: store.path,
            hint: "restore the sealed store from a backup (docs/secrets.md: with a new key every secret is renamed once and its "
                + "consumers roll once)")
    }
}
