import Foundation
import SprocketTestSupport
import Testing
import Vault

/// `https` addresses with `VAULT_CACERT`, against `openssl s_server` (openssl is part of Debian's base system;
/// when it is missing the test fails and says so). s_server answers any GET with 200 and an HTML page, which is
/// all a TLS check needs: the handshake either trusts the certificate or it does not.
@Suite("Vault client over TLS with VAULT_CACERT")
struct VaultClientTLSTests {
    @Test("with the CA file the handshake succeeds; without it the error names the address and VAULT_CACERT")
    func caCertificate() async throws {
        let folder = try TemporaryDirectory(prefix: "vault-tls")
        defer { folder.remove() }
        let server = try OpenSSLServer(folder: folder.path)
        defer { server.stop() }
        let address = "https://127.0.0.1:\(try await server.port())"

        let trusting = try VaultClient(
            configuration: VaultClientConfiguration(address: address, caCertificatePath: server.certificatePath),
            logger: testLogger)
        let health = await outcome { try await trusting.health() }
        try await trusting.shutdown()
        #expect(try health.get().status == 200)

        let untrusting = try VaultClient(configuration: VaultClientConfiguration(address: address), logger: testLogger)
        let refused = await outcome { try await untrusting.health() }
        try await untrusting.shutdown()
        guard case .failure(let error) = refused, case .unreachable(let named, let reason) = error as? VaultClientError
        else {
            Issue.record("expected an unreachable error, got \(refused)")
            return
        }
        #expect(named == address && reason.contains("VAULT_CACERT"))
    }

    private func outcome<T: Sendable>(_ call: () async throws -> T) async -> Result<T, any Error> {
        do {
            return .success(try await call())
        } catch {
            return .failure(error)
        }
    }
}

/// `openssl s_server -www` on a free loopback port with a fresh self-signed certificate for 127.0.0.1.
private final class OpenSSLServer: Sendable {
    let certificatePath: String
    private let outputPath: String
    private let process: Process

    init(folder: String) throws {
        guard let openssl = ["/usr/bin/openssl", "/bin/openssl"].first(where: FileManager.default.isExecutableFile)
        else { throw VaultTLSTestError("openssl is not installed (needed for TLS tests): apt-get install -y openssl") }
        certificatePath = folder + "/cert.pem"
        outputPath = folder + "/server.log"
        let keyPath = folder + "/key.pem"
        let make = Process()
        make.executableURL = URL(fileURLWithPath: openssl)
        make.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyPath,
            "-out", certificatePath, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        make.standardOutput = FileHandle.nullDevice
        make.standardError = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        guard make.terminationStatus == 0 else { throw VaultTLSTestError("openssl req failed") }
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        process = Process()
        // stdbuf -oL: s_server prints its port on stdout, which is block-buffered when it is a file.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
        process.arguments = [
            "-oL", openssl, "s_server", "-accept", "127.0.0.1:0", "-cert", certificatePath, "-key", keyPath, "-www",
        ]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits (up to 10 s) for s_server's `ACCEPT 127.0.0.1:PORT` line.
    func port() async throws -> Int {
        for _ in 0..<100 {
            let log = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = log.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                return port
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw VaultTLSTestError("openssl s_server did not report its port")
    }

    /// Kills the server (SIGKILL: a test runner may leave SIGTERM ignored in its children).
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

private struct VaultTLSTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
