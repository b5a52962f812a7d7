import _CryptoExtras
import Crypto
import Foundation
import SprocketCore

/// A small JSON document sealed under a passphrase: scrypt stretches the passphrase into a 256-bit key, AES-GCM
/// encrypts and authenticates the payload (so a wrong passphrase and a tampered file both fail to open).
///
/// The envelope is JSON so that its format and parameters are visible without the passphrase:
/// `{"format":"sprocketctl-sealed","version":1,"purpose":…,"kdf":{"name":"scrypt","n":…,"r":8,"p":1,"salt":…},
/// "cipher":"AES-256-GCM","sealed":<base64 nonce+ciphertext+tag>}`. Files are written atomically with mode 0600.
public struct PassphraseSealedFile: Sendable {
    /// scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MiB and a tenth of a second: slow for guessing, quick once).
    public struct Cost: Sendable, Codable, Equatable {
        public var n: Int
        public var r: Int
        public var p: Int
        public static let standard = Cost(n: 1 << 15, r: 8, p: 1)
        /// For tests only: cheap, never for real keys.
        public static let testing = Cost(n: 1 << 10, r: 8, p: 1)
    }

    static let format = "sprocketctl-sealed"
    static let minimumPassphraseLength = 12

    public var path: String
    /// What the file holds (`vault-keys`, `vault-share`), checked on reading so one kind is never read as another.
    public var purpose: String

    public init(path: String, purpose: String) {
        self.path = path
        self.purpose = purpose
    }

    struct Envelope: Codable {
        struct KDF: Codable {
            var name: String
            var n: Int
            var r: Int
            var p: Int
            var salt: String
        }

        var format: String
        var version: Int
        var purpose: String
        var kdf: KDF
        var cipher: String
        var sealed: String
    }

    /// Seals `payload` and writes the file (0600; its folder is created 0700 when missing).
    public func write(_ payload: Data, passphrase: String, cost: Cost = .standard) throws(VaultCustodyError) {
        let sealed = try seal(payload, passphrase: passphrase, cost: cost)
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            try AtomicFile.write(sealed, to: path, permissions: 0o600)
        } catch {
            throw .io(path: path, reason: "\(error)")
        }
    }

    /// The file's content, sealed in memory: for a file that is handed on (as a Docker secret) rather than written here.
    public func seal(_ payload: Data, passphrase: String, cost: Cost = .standard) throws(VaultCustodyError) -> [UInt8] {
        guard passphrase.count >= Self.minimumPassphraseLength else {
            throw .weakPassphrase(minimumLength: Self.minimumPassphraseLength)
        }
        let salt = Data((0..<16).map { _ in UInt8.random(in: .min ... .max) })
        do {
            let key = try Self.deriveKey(passphrase, salt: salt, cost: cost)
            let box = try AES.GCM.seal(payload, using: key, authenticating: Data(purpose.utf8))
            guard let combined = box.combined else { throw VaultCustodyError.io(path: path, reason: "AES-GCM gave no combined form") }
            let envelope = Envelope(
                format: Self.format, version: 1, purpose: purpose,
                kdf: .init(name: "scrypt", n: cost.n, r: cost.r, p: cost.p, salt: salt.base64EncodedString()),
                cipher: "AES-256-GCM", sealed: combined.base64EncodedString())
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return Array(try encoder.encode(envelope))
        } catch let error as VaultCustodyError {
            throw error
        } catch {
            throw .io(path: path, reason: "\(error)")
        }
    }

    /// Reads and opens the file.
    public func read(passphrase: String) throws(VaultCustodyError) -> Data {
        let bytes: [UInt8]
        do {
            guard let read = try AtomicFile.read(path) else { throw VaultCustodyError.missing(path: path) }
            bytes = read
        } catch let error as VaultCustodyError {
            throw error
        } catch {
            throw .io(path: path, reason: "\(error)")
        }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(bytes)), envelope.format == Self.format else {
            throw .unreadable(path: path, reason: "not a \(Self.format) envelope")
        }
        guard envelope.version == 1, envelope.kdf.name == "scrypt", envelope.cipher == "AES-256-GCM" else {
            throw .unreadable(path: path, reason: "version \(envelope.version) with \(envelope.kdf.name)/\(envelope.cipher) is not supported by this build")
        }
        guard envelope.purpose == purpose else {
            throw .unreadable(path: path, reason: "it holds \(envelope.purpose), not \(purpose)")
        }
        guard let salt = Data(base64Encoded: envelope.kdf.salt), let sealed = Data(base64Encoded: envelope.sealed) else {
            throw .unreadable(path: path, reason: "its salt or sealed data is not base64")
        }
        let cost = Cost(n: envelope.kdf.n, r: envelope.kdf.r, p: envelope.kdf.p)
        guard cost.n >= 2, cost.n.nonzeroBitCount == 1, cost.n <= 1 << 22, (1...32).contains(cost.r), (1...16).contains(cost.p) else {
            throw .unreadable(path: path, reason: "implausible scrypt parameters")
        }
        do {
            let key = try Self.deriveKey(passphrase, salt: salt, cost: cost)
            let box = try AES.GCM.SealedBox(combined: sealed)
            return try AES.GCM.open(box, using: key, authenticating: Data(purpose.utf8))
        } catch {
            throw .wrongPassphrase(path: path)
        }
    }

    static func deriveKey(_ passphrase: String, salt: Data, cost: Cost) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(
            from: Data(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: cost.n, blockSize: cost.r,
            parallelism: cost.p)
    }
}
