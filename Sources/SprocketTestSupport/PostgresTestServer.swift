import Foundation
import Subprocess
import SystemPackage

/// A throwaway PostgreSQL server for tests: `initdb` in a temporary folder, TCP on 127.0.0.1 with password
/// authentication (scram-sha-256), TLS with a certificate signed by a CA of its own (so sslmode `require` and
/// `verify-full` are both exercised), every data-changing statement in its log (`log_statement = mod`), and a
/// non-superuser admin role with CREATEROLE and CREATEDB like a managed provider's.
///
/// The binaries come from `SPROCKET_TEST_PG_BIN` (else the newest `/usr/lib/postgresql/*/bin`); when the tests run
/// as root they run as `SPROCKET_TEST_PG_USER` (default `postgres`), since initdb refuses root. Starting fails
/// with ``PostgresTestServerError`` when the binaries are missing or the server does not come up: never a skip.
public final class PostgresTestServer: Sendable {
    public let host = "127.0.0.1"
    public let port: Int
    /// The admin role: LOGIN CREATEROLE CREATEDB, not a superuser.
    public let adminUser = "sprocket_admin"
    public let adminPassword: String
    /// The PEM of the CA that signed the server's certificate (for `localhost` and 127.0.0.1).
    public let caCertificatePEM: String
    /// The folder holding data, socket, certificates and log; removed by ``stop()``.
    public let directory: String
    private let binaries: String
    private let osUser: String?

    private init(port: Int, adminPassword: String, caCertificatePEM: String, directory: String, binaries: String, osUser: String?) {
        self.port = port
        self.adminPassword = adminPassword
        self.caCertificatePEM = caCertificatePEM
        self.directory = directory
        self.binaries = binaries
        self.osUser = osUser
    }

    private var dataDirectory: String { "\(directory)/data" }
    private var logFile: String { "\(directory)/server.log" }

    /// Creates, configures and starts a server on a free port, and creates the admin role.
    ///
    /// - Parameters:
    ///   - alsoListeningOn: addresses besides 127.0.0.1 to accept connections on, e.g. the docker_gwbridge gateway
    ///     so that containers reach the server (as a database only the cluster reaches).
    ///   - clients: networks (CIDR) allowed to log in with a password besides 127.0.0.1.
    public static func start(alsoListeningOn extraAddresses: [String] = [], clients: [String] = []) async throws -> PostgresTestServer {
        let binaries = try binaryFolder()
        let environment = ProcessInfo.processInfo.environment
        var osUser = environment["SPROCKET_TEST_PG_USER"].flatMap { $0.isEmpty ? nil : $0 }
        if osUser == nil, geteuid() == 0 { osUser = "postgres" }
        let folder = try TemporaryDirectory(prefix: "sprocket-pg")
        do {
            let ca = try await makeCertificates(in: folder.path)
            if let osUser { try await run("/bin/chown", ["-R", osUser, folder.path]) }
            let server = PostgresTestServer(
                port: 0, adminPassword: "", caCertificatePEM: ca, directory: folder.path, binaries: binaries, osUser: osUser)
            try await server.runAsServerUser("\(binaries)/initdb", [
                "-D", server.dataDirectory, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
                "--encoding=UTF8", "--locale=C",
            ])
            let hba = (["local all all trust", "host all all 127.0.0.1/32 scram-sha-256"] + clients.map { "host all all \($0) scram-sha-256" })
                .joined(separator: "\n") + "\n"
            try Data(hba.utf8)
                .write(to: URL(fileURLWithPath: "\(server.dataDirectory)/pg_hba.conf"))
            return try await server.startOnFreePort(attempts: 3, listenAddresses: ["127.0.0.1"] + extraAddresses)
        } catch {
            folder.remove()
            throw error
        }
    }

    /// Tries ports the kernel reports free until one works (another process may take it in between).
    private func startOnFreePort(attempts: Int, listenAddresses: [String]) async throws -> PostgresTestServer {
        var lastError: (any Error)?
        for _ in 0..<attempts {
            let port = try Self.freePort()
            let configuration = """
                listen_addresses = '\(listenAddresses.joined(separator: ","))'
                port = \(port)
                unix_socket_directories = '\(directory)'
                ssl = on
                ssl_cert_file = '\(directory)/server.crt'
                ssl_key_file = '\(directory)/server.key'
                password_encryption = 'scram-sha-256'
                log_statement = 'mod'
                log_line_prefix = '%m [%p] db=%d '
                fsync = off
                max_connections = 200

                """
            try Data(configuration.utf8).write(to: URL(fileURLWithPath: "\(dataDirectory)/postgresql.auto.conf"))
            do {
                try await runAsServerUser("\(binaries)/pg_ctl", ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "start"])
                let server = PostgresTestServer(
                    port: port, adminPassword: "admin-\(UUID().uuidString)", caCertificatePEM: caCertificatePEM,
                    directory: directory, binaries: binaries, osUser: osUser)
                try await server.superuser(
                    "CREATE ROLE \(server.adminUser) LOGIN CREATEROLE CREATEDB PASSWORD '\(server.adminPassword)'")
                return server
            } catch {
                lastError = error
            }
        }
        throw PostgresTestServerError("PostgreSQL did not start: \(lastError.map { "\($0)" } ?? "unknown"); log:\n\(logTail())")
    }

    /// Runs SQL as the superuser over the unix socket (statement logging off for it) and returns psql's
    /// unaligned, tuples-only output.
    @discardableResult
    public func superuser(_ sql: String, database: String = "postgres") async throws -> String {
        try await Self.run("\(binaries)/psql", [
            "-h", directory, "-p", "\(port)", "-U", "postgres", "-d", database, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-c", "SET log_statement = 'none'", "-c", sql,
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The server's log so far: every data-changing statement clients sent (`log_statement = mod`).
    public func log() -> String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    /// The statements the log shows after `offset` characters: `LOG:  statement: …` (simple protocol) and
    /// `LOG:  execute <name>: …` (extended protocol, which PostgresNIO uses) lines.
    public func loggedStatements(after offset: Int) -> [String] {
        let text = log()
        guard offset <= text.count else { return [] }
        return text.dropFirst(offset).split(separator: "\n")
            .filter { $0.contains("LOG:  statement: ") || $0.contains("LOG:  execute ") }.map(String.init)
    }

    /// Stops the server and removes its folder. Safe to call more than once.
    public func stop() async {
        if FileManager.default.fileExists(atPath: "\(dataDirectory)/postmaster.pid") {
            _ = try? await runAsServerUser("\(binaries)/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"])
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func logTail(_ lines: Int = 20) -> String {
        log().split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    // MARK: - Helpers

    private static func binaryFolder() throws -> String {
        if let folder = ProcessInfo.processInfo.environment["SPROCKET_TEST_PG_BIN"], !folder.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: "\(folder)/initdb") else {
                throw PostgresTestServerError("SPROCKET_TEST_PG_BIN=\(folder) has no initdb; run the tests through scripts/test")
            }
            return folder
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let found = versions.compactMap(Int.init).sorted().last.map { "/usr/lib/postgresql/\($0)/bin" }
        guard let found, FileManager.default.isExecutableFile(atPath: "\(found)/initdb") else {
            throw PostgresTestServerError(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); install it with: apt-get install -y postgresql, "
                    + "or run the tests through scripts/test")
        }
        return found
    }

    /// A CA and a server certificate it signs for `localhost` and 127.0.0.1; returns the CA's PEM.
    private static func makeCertificates(in folder: String) async throws -> String {
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await run("/usr/bin/openssl", ["req", "-x509"] + curve + [
            "-keyout", "\(folder)/ca.key", "-out", "\(folder)/ca.crt", "-days", "2", "-subj", "/CN=sprocket-test-ca",
        ])
        try await run("/usr/bin/openssl", ["req"] + curve + [
            "-keyout", "\(folder)/server.key", "-out", "\(folder)/server.csr", "-subj", "/CN=localhost",
        ])
        try Data("subjectAltName=DNS:localhost,IP:127.0.0.1\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/san.cnf"))
        try await run("/usr/bin/openssl", [
            "x509", "-req", "-in", "\(folder)/server.csr", "-CA", "\(folder)/ca.crt", "-CAkey", "\(folder)/ca.key",
            "-CAcreateserial", "-out", "\(folder)/server.crt", "-days", "2", "-extfile", "\(folder)/san.cnf",
        ])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: "\(folder)/server.key")
        return try String(contentsOfFile: "\(folder)/ca.crt", encoding: .utf8)
    }

    private func runAsServerUser(_ executable: String, _ arguments: [String]) async throws {
        if let osUser {
            try await Self.run("/sbin/runuser", ["-u", osUser, "--", executable] + arguments)
        } else {
            try await Self.run(executable, arguments)
        }
    }

    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), workingDirectory: FilePath("/"), input: .none,
            output: .string(limit: 4 << 20), error: .combinedWithOutput)
        guard result.terminationStatus.isSuccess else {
            throw PostgresTestServerError(
                "`\(([executable] + arguments).joined(separator: " "))` failed (\(result.terminationStatus)): \(result.standardOutput)")
        }
        return result.standardOutput
    }

    private static func freePort() throws -> Int {
        try FreePort.loopbackTCP()
    }
}

/// The test server could not be provided; the message says why and what to install.
public struct PostgresTestServerError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
