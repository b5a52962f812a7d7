import Foundation
import NIOSSL
import SprocketTestSupport

/// A key and self-signed certificate made by `openssl req -x509` in a temporary directory.
///
/// openssl is part of Debian's base system here; when it is missing the test fails with a message saying so
/// rather than skipping.
struct SelfSignedCertificate {
    let certificate: NIOSSLCertificate
    let privateKey: NIOSSLPrivateKey

    enum Failure: Error, CustomStringConvertible {
        case opensslMissing
        case opensslFailed(status: Int32, output: String)

        var description: String {
            switch self {
            case .opensslMissing:
                "openssl is not installed (needed to make test certificates): apt-get install -y openssl"
            case .opensslFailed(let status, let output):
                "openssl req exited with \(status): \(output)"
            }
        }
    }

    /// Makes a P-256 key and a certificate for `commonName` with the given DNS names as subject alternative names.
    init(commonName: String, dnsNames: [String], days: Int = 30) throws {
        let directory = try TemporaryDirectory(prefix: "traefik-probe-cert")
        defer { directory.remove() }
        let openssl = ["/usr/bin/openssl", "/bin/openssl", "/usr/local/bin/openssl"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let openssl else { throw Failure.opensslMissing }
        let keyPath = directory.path + "/key.pem"
        let certificatePath = directory.path + "/cert.pem"
        var arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-days", String(days), "-subj", "/CN=\(commonName)",
        ]
        if !dnsNames.isEmpty {
            arguments += ["-addext", "subjectAltName=" + dnsNames.map { "DNS:\($0)" }.joined(separator: ",")]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure.opensslFailed(status: process.terminationStatus, output: text)
        }
        certificate = try NIOSSLCertificate(file: certificatePath, format: .pem)
        privateKey = try NIOSSLPrivateKey(file: keyPath, format: .pem)
    }
}
