import Foundation
import NIOSSL

/// The certificate a TLS route served, as far as a deploy check cares: who it is for, who issued it, until when,
/// whether a client would trust it, and whether it is Traefik's self-signed fallback.
public struct PeerCertificate: Sendable, Equatable, Codable {
    /// The subject, e.g. `CN=app.example.com`.
    public var subject: String
    /// The issuer, e.g. `CN=R11, O=Let's Encrypt, C=US`.
    public var issuer: String
    /// The subject's common name, if it has one.
    public var subjectCommonName: String?
    /// DNS names from the subject alternative names.
    public var dnsNames: [String]
    /// Start of validity.
    public var notBefore: Date
    /// End of validity.
    public var notAfter: Date
    /// True for Traefik's default certificate (`CN=TRAEFIK DEFAULT CERT`): Traefik had no certificate for the
    /// name asked for, usually because ACME has not (yet) obtained one.
    public var isTraefikDefault: Bool
    /// Nil when a client with the probe's trust roots would accept it for this name; else why not.
    public var verificationFailure: String?

    /// True when a client would accept the certificate for the name asked for.
    public var verifies: Bool { verificationFailure == nil }

    /// Reads the fields from a certificate NIOSSL handed over.
    init(_ certificate: NIOSSLCertificate, verificationFailure: String?) {
        subject = Self.distinguishedName(certificate.subjectName)
        issuer = Self.distinguishedName(certificate.issuerName)
        subjectCommonName = certificate.subjectName.last { $0.type == .commonName }?.value
        dnsNames = certificate._subjectAlternativeNames().compactMap { name in
            name.nameType == .dnsName ? String(decoding: name.contents, as: UTF8.self) : nil
        }
        notBefore = Date(timeIntervalSince1970: TimeInterval(certificate.notValidBefore))
        notAfter = Date(timeIntervalSince1970: TimeInterval(certificate.notValidAfter))
        isTraefikDefault = subjectCommonName == Traefik.defaultCertificateCommonName
        self.verificationFailure = verificationFailure
    }

    enum CodingKeys: String, CodingKey {
        case subject, issuer, subjectCommonName, dnsNames, notBefore, notAfter, isTraefikDefault, verifies
        case verificationFailure
    }

    /// Dates as RFC 3339 text (`2026-12-29T02:39:42Z`), so `--json` output reads the same in every tool.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subject, forKey: .subject)
        try container.encode(issuer, forKey: .issuer)
        try container.encodeIfPresent(subjectCommonName, forKey: .subjectCommonName)
        try container.encode(dnsNames, forKey: .dnsNames)
        try container.encode(Self.rfc3339(notBefore), forKey: .notBefore)
        try container.encode(Self.rfc3339(notAfter), forKey: .notAfter)
        try container.encode(isTraefikDefault, forKey: .isTraefikDefault)
        try container.encode(verifies, forKey: .verifies)
        try container.encodeIfPresent(verificationFailure, forKey: .verificationFailure)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subject = try container.decode(String.self, forKey: .subject)
        issuer = try container.decode(String.self, forKey: .issuer)
        subjectCommonName = try container.decodeIfPresent(String.self, forKey: .subjectCommonName)
        dnsNames = try container.decode([String].self, forKey: .dnsNames)
        notBefore = try Self.date(container, .notBefore)
        notAfter = try Self.date(container, .notAfter)
        isTraefikDefault = try container.decode(Bool.self, forKey: .isTraefikDefault)
        verificationFailure = try container.decodeIfPresent(String.self, forKey: .verificationFailure)
    }

    private static func rfc3339(_ date: Date) -> String {
        ISO8601DateFormatter.string(
            from: date, timeZone: TimeZone(secondsFromGMT: 0) ?? .current, formatOptions: [.withInternetDateTime])
    }

    private static func date(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date {
        let text = try container.decode(String.self, forKey: key)
        guard let date = ISO8601DateFormatter().date(from: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not RFC 3339: \(text)")
        }
        return date
    }

    /// Days from `now` until ``notAfter`` (negative once expired).
    public func daysLeft(at now: Date = Date()) -> Int {
        Int((notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
    }

    /// `CN=…, O=…, C=…` in the order the name lists them, most specific first (as `openssl -nameopt RFC2253`).
    static func distinguishedName(_ names: [SSLCertificateName]) -> String {
        names.reversed().map { "\(abbreviation($0.type))=\($0.value)" }.joined(separator: ", ")
    }

    private static func abbreviation(_ type: SSLCertificateNameType) -> String {
        switch type {
        case .commonName: "CN"
        case .organization: "O"
        case .organizationalUnit: "OU"
        case .country: "C"
        case .state: "ST"
        case .city: "L"
        case .emailAddress: "emailAddress"
        case .userId: "UID"
        default: "OID"
        }
    }
}
