import Foundation

/// Secrets set by hand (`sprocketctl secrets set|import-env`) for one stack environment: entries of its
/// ``SealedSecretStore`` under the prefix `local/`, so that they can never collide with generated values or Vault
/// tokens (which use bare names and `vault-token/…`).
public struct LocalSecretStore: Sendable {
    /// One stored local secret, as `secrets list` shows it: never the value.
    public struct Entry: Sendable, Equatable, Codable {
        public var name: String
        /// The first 12 hex digits of the HMAC-SHA256 of the value under the local key.
        public var fingerprint: String
        public var updatedAt: Date?
    }

    public let sealed: SealedSecretStore

    public init(sealed: SealedSecretStore) {
        self.sealed = sealed
    }

    /// What every local secret's entry in the sealed store starts with (``SealedStoreKey/local(_:)``).
    static let prefix = SealedStoreKey.local("").rawValue

    /// Letters, digits, `_`, `-` and `.`, starting with a letter or `_`, at most 128 characters: a Docker secret
    /// name and an environment variable name both fit.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, (1...128).contains(name.count) else { return false }
        let isLetter = { (scalar: Unicode.Scalar) in ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        guard isLetter(first) || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0) }
    }

    public static let nameHint = "a local secret name has letters, digits, `_`, `-` and `.`, starts with a letter or `_`, "
        + "and is at most 128 characters"

    /// The stored value, or nil when it was never set.
    public func value(named name: String) throws -> [UInt8]? {
        try sealed.value(named: SealedStoreKey.local(name).rawValue)
    }

    /// Stores one value, replacing any previous one.
    public func set(_ name: String, value: [UInt8]) throws {
        try set([(name, value)])
    }

    /// Stores several values in one write (all or nothing). Refuses invalid names and empty values before
    /// writing anything.
    public func set(_ values: [(name: String, value: [UInt8])]) throws {
        for (name, value) in values {
            guard Self.isValidName(name) else {
                throw SprocketError(.secretStore, "`\(name)` is not a valid local secret name", subject: sealed.path, hint: Self.nameHint)
            }
            guard !value.isEmpty else {
                throw SprocketError(.secretStore, "local secret '\(name)': the value is empty", subject: sealed.path,
                                    hint: "an empty secret is almost always a mistake: provide the value on stdin or with --from-file")
            }
        }
        try sealed.replace(values.map { (SealedStoreKey.local($0.name).rawValue, $0.value) })
    }

    /// Every stored local secret with its fingerprint and time of the last change, sorted by name.
    public func entries() throws -> [Entry] {
        try sealed.entryNames.filter { $0.hasPrefix(Self.prefix) }.compactMap { key in
            guard let fingerprint = try sealed.fingerprint(named: key) else { return nil }
            return Entry(name: String(key.dropFirst(Self.prefix.count)), fingerprint: Self.shortFingerprint(fingerprint),
                         updatedAt: sealed.updatedAt(named: key))
        }
    }

    /// `hmac-sha256:<64 hex>` shortened to its first 12 hex digits.
    static func shortFingerprint(_ full: String) -> String {
        String(full.split(separator: ":").last?.prefix(12) ?? "")
    }
}
