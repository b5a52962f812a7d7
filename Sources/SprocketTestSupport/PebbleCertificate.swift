import Foundation

/// Pebble's own HTTPS certificate (its ACME directory and management API are HTTPS only), made at test time by
/// `openssl req -x509` so no key is ever committed. Self-signed for the names Traefik and the test use: `pebble`
/// (its alias on the test network), `localhost` and 127.0.0.1. Traefik's ACME client trusts it through
/// `LEGO_CA_CERTIFICATES`.
public struct PebbleCertificate: Sendable {
    public let certificatePEM: String
    public let privateKeyPEM: String

    /// Makes a P-256 key and a two-day certificate; fails (never skips) when openssl is missing or fails.
    public static func make(names: [String] = ["pebble", "localhost"]) async throws -> PebbleCertificate {
        let folder = try TemporaryDirectory(prefix: "pebble-cert")
        defer { folder.remove() }
        let san = (names.map { "DNS:\($0)" } + ["IP:127.0.0.1"]).joined(separator: ",")
        let command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=pebble "
            + "-addext 'subjectAltName=\(san)' -keyout '\(folder.path)/key.pem' -out '\(folder.path)/cert.pem' 2>&1"
        do {
            try await HostShell.run(command)
        } catch {
            throw PebbleSwarmError.certificate("openssl could not make pebble's certificate (scripts/test installs openssl): \(error)")
        }
        guard let certificate = try? String(contentsOfFile: "\(folder.path)/cert.pem", encoding: .utf8),
            let key = try? String(contentsOfFile: "\(folder.path)/key.pem", encoding: .utf8)
        else { throw PebbleSwarmError.certificate("openssl left no cert.pem/key.pem in \(folder.path)") }
        return PebbleCertificate(certificatePEM: certificate, privateKeyPEM: key)
    }

    /// The subject of a PEM certificate as `CN=…` (RFC 2253 order, the way ``PeerCertificate`` prints names).
    public static func subject(ofPEM pem: String) async throws -> String {
        let folder = try TemporaryDirectory(prefix: "pebble-subject")
        defer { folder.remove() }
        try folder.write("cert.pem", pem)
        let output = try await HostShell.run("openssl x509 -noout -subject -nameopt RFC2253 -in '\(folder.path)/cert.pem'")
        // `subject=CN=Pebble Intermediate CA 69f52b`
        return output.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "subject=", with: "")
    }

    /// openssl's own verdict on the chain Traefik serves for `host` on `127.0.0.1:port`, checked against `rootPEM`
    /// (`Verify return code: …` and the chain's subjects and issuers): a second opinion for a failure message.
    public static func opensslVerdict(host: String, port: Int, rootPEM: String) async -> String {
        guard let folder = try? TemporaryDirectory(prefix: "pebble-verdict") else { return "no temporary folder" }
        defer { folder.remove() }
        guard (try? folder.write("root.pem", rootPEM)) != nil else { return "cannot write root.pem" }
        let command = "openssl s_client -connect 127.0.0.1:\(port) -servername '\(host)' -CAfile '\(folder.path)/root.pem' "
            + "-showcerts </dev/null 2>&1 | grep -E 'Verify return|verify error| s:| i:|NotBefore' | head -20"
        return (try? await HostShell.run(command)) ?? "openssl s_client failed"
    }
}
