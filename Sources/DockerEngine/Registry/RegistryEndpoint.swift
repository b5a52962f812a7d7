import Foundation
import NIOSSL
import SprocketCore

/// How to speak to one registry host, decided as Docker decides it: a CA in `<certs.d>/<host>/ca.crt` (Docker's
/// `/etc/docker/certs.d`) means HTTPS trusting that CA; a loopback host without one is plain HTTP (Docker treats
/// 127.0.0.0/8 as an insecure registry); every other host is HTTPS with the system's trust store.
struct RegistryEndpoint: Sendable {
    var host: String
    var scheme: String
    /// The TLS settings of every request to this host (nil: the HTTP client's default).
    var tlsConfiguration: TLSConfiguration?
    /// Where the CA came from, for messages.
    var caPath: String?

    var isTLS: Bool { scheme == "https" }

    init(host: String, certificatesDirectory: String?) throws {
        self.host = host
        let caPath = certificatesDirectory.map { "\($0)/\(host)/ca.crt" }
        if let caPath, FileManager.default.fileExists(atPath: caPath) {
            var tls = TLSConfiguration.makeClientConfiguration()
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caPath))
            } catch {
                throw SprocketError(.registry, "the registry's CA certificate cannot be read: \(error)", subject: caPath,
                                    hint: "put the PEM certificate of the CA that signed \(host)'s certificate there")
            }
            scheme = "https"
            tlsConfiguration = tls
            self.caPath = caPath
        } else {
            scheme = Self.isLoopback(host) ? "http" : "https"
            tlsConfiguration = nil
            self.caPath = nil
        }
    }

    func url(_ path: String) -> String { "\(scheme)://\(host)\(path)" }

    /// `localhost`, `127.x.y.z` or `[::1]`, with or without a port.
    static func isLoopback(_ host: String) -> Bool {
        let name: Substring
        if host.hasPrefix("[") {
            name = host.dropFirst().prefix { $0 != "]" }
        } else {
            name = host.prefix { $0 != ":" }
        }
        if name == "localhost" || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
