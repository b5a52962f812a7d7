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
