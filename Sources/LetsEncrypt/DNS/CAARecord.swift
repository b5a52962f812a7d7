import Foundation

/// A CAA record's RDATA (RFC 8659 §4.1): flags, a property tag and its value.
///
/// `0 issue "letsencrypt.org"` is `CAARecord(flags: 0, tag: "issue", value: "letsencrypt.org")`.
public struct CAARecord: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The flags octet; bit 7 (value 128) is the Issuer Critical flag.
    public var flags: UInt8
    /// The property tag (`issue`, `issuewild`, `iodef`, …); compared case-insensitively.
    public var tag: String
    /// The property value, as raw text.
    public var value: String

    public init(flags: UInt8, tag: String, value: String) {
        self.flags = flags
        self.tag = tag
        self.value = value
    }

    /// True when the Issuer Critical flag is set: a CA that does not understand the tag must not issue.
    public var isCritical: Bool { flags & 0x80 != 0 }

    /// For `issue` / `issuewild`: the issuer domain name before any `;` parameters, lowercased; nil when the
    /// value names no issuer (`;` alone, which forbids every CA).
    public var issuerDomain: String? {
        let domain = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = domain.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Zone-file presentation form: `0 issue "letsencrypt.org"`.
    public var description: String { "\(flags) \(tag) \"\(value)\"" }
}
