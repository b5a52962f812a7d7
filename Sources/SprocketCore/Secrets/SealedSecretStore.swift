import Crypto
import Foundation
import Synchronization

/// Generated secret values of one stack environment, each sealed with AES-GCM under the local ``SecretKey``.
///
/// The file holds only ciphertext; the additional authenticated data binds each entry to its stack,
/// environment and name, so an entry copied under another name does not decrypt.
public final class SealedSecretStore: Sendable {
    private struct FileContents: Codable {
        var schemaVersion: Int
        var entries: [String: String]
        /// When each entry was last written (ISO 8601); absent in stores written before it was recorded.
        var updatedAt: [String: String]?
    }

    public let path: String
    private let key: SecretKey
    private let identity: StackIdentity
    private let contents: Mutex<FileContents>

    public init(path: String, key: SecretKey, identity: StackIdentity) throws {
        self.path = path
        self.key = key
        self.identity = identity
        var loaded = FileContents(schemaVersion: 1, entries: [:])
        if let bytes = try AtomicFile.read(path) {
            do {
                loaded = try JSONDecoder().decode(FileContents.self, from: Data(bytes))
            } catch {
                throw SprocketError(
                    .secretStore, "the sealed secret store cannot be read: \(error)", subject: path,
                    hint: "restore it from a backup, or delete it to generate new values (services will be rolled)")
            }
        }
        self.contents = Mutex(loaded)
    }

    /// The stored value of a generated secret, if there is one.
    public func value(named name: String) throws -> [UInt8]? {
        guard let sealed = contents.withLock({ $0.entries[name] }) else { return nil }
        guard let combined = Data(base64Encoded: sealed) else { throw corrupt(name) }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return Array(try AES.GCM.open(box, using: key.derived("sprocket-seal-v1"), authenticating: aad(name)))
        } catch {
            throw SprocketError(
                .secretStore, "generated secret '\(name)' cannot be decrypted with the key \(key.path)", subject: path,
                hint: "the key file does not belong to this store: restore the right key, or remove the entry to regenerate it")
        }
    }

    /// Returns the stored value, or generates, seals and saves one.
    public func valueOrGenerate(named name: String, generate: () -> [UInt8]) throws -> [UInt8] {
        if let existing = try value(named: name) { return existing }
        let fresh = generate()
        let box = try AES.GCM.seal(fresh, using: key.derived("sprocket-seal-v1"), authenticating: aad(name))
        guard let combined = box.combined else { throw corrupt(name) }
        // Merge with what is on disk now, so that an entry written through another instance since this one
        // was opened is kept rather than overwritten with this instance's older view.
        let onDisk = try AtomicFile.read(path).flatMap { try? JSONDecoder().decode(FileContents.self, from: Data($0)) }
        let snapshot = contents.withLock { contents in
            for (key, value) in onDisk?.entries ?? [:] where contents.entries[key] == nil {
                contents.entries[key] = value
            }
            if let existing = onDisk?.entries[name] {
                contents.entries[name] = existing
            } else {
                contents.entries[name] = combined.base64EncodedString()
                contents.updatedAt = (contents.updatedAt ?? [:]).merging([name: ISO8601DateFormatter().string(from: Date())]) { $1 }
            }
            return contents
        }
        if onDisk?.entries[name] != nil, let stored = try value(named: name) {
            return stored  // another instance generated it first: keep one value for everyone
        }
        try save(snapshot)
        return fresh
    }

    /// Seals `value` under `name`, replacing what was there (a Vault token minted anew, a value set by hand).
    public func replace(named name: String, with value: [UInt8]) throws {
        try replace([(name, value)])
    }

    /// Seals several values and saves them in one write: either all of them are stored or none is.
    public func replace(_ values: [(name: String, value: [UInt8])], now: Date = Date()) throws {
        var sealed: [(String, String)] = []
        for (name, value) in values {
            let box = try AES.GCM.seal(value, using: key.derived("sprocket-seal-v1"), authenticating: aad(name))
            guard let combined = box.combined else { throw corrupt(name) }
            sealed.append((name, combined.base64EncodedString()))
        }
        let stamp = ISO8601DateFormatter().string(from: now)
        let onDisk = try AtomicFile.read(path).flatMap { try? JSONDecoder().decode(FileContents.self, from: Data($0)) }
        let snapshot = contents.withLock { contents in
            for (key, value) in onDisk?.entries ?? [:] where contents.entries[key] == nil {
                contents.entries[key] = value
            }
            for (key, value) in onDisk?.updatedAt ?? [:] where contents.updatedAt?[key] == nil {
                contents.updatedAt = (contents.updatedAt ?? [:]).merging([key: value]) { $1 }
            }
            for (name, box) in sealed {
                contents.entries[name] = box
                contents.updatedAt = (contents.updatedAt ?? [:]).merging([name: stamp]) { $1 }
            }
            return contents
        }
        try save(snapshot)
    }

    /// The names of every entry (generated values, Vault tokens, local secrets under their prefixed keys).
    public var entryNames: [String] {
        contents.withLock { Array($0.entries.keys) }.sorted()
    }

    /// When the entry was last written, if the store recorded it.
    public func updatedAt(named name: String) -> Date? {
        contents.withLock { $0.updatedAt?[name] }.flatMap { ISO8601DateFormatter().date(from: $0) }
    }

    /// The HMAC fingerprint of a stored value under the store's key (never the value), or nil when absent.
    public func fingerprint(named name: String) throws -> String? {
        try value(named: name).map { key.fingerprint($0) }
    }

    private func save(_ snapshot: FileContents) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(Array(try encoder.encode(snapshot)), to: path, permissions: 0o600)
    }

    private func aad(_ name: String) -> [UInt8] {
        Array("\(identity.stack)\u{0}\(identity.environment)\u{0}\(name)".utf8)
    }

    private func corrupt(_ name: String) -> SprocketError {
        SprocketError(.secretStore, "entry '\(name)' is damaged", subject: path, hint: "remove the entry to regenerate it")
    }
}
