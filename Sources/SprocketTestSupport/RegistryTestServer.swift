import Foundation
import Synchronization

/// A real container registry for tests: Debian's `docker-registry` (the CNCF distribution registry 2.8) on a free
/// loopback port, storing in a temporary folder. Found through `SPROCKET_TEST_REGISTRY` (set by scripts/test), else
/// `docker-registry` on the PATH; a registry that cannot start throws, so a test that needs one fails.
///
/// It starts open (anonymous, plain HTTP: the local dockerd pushes to loopback registries without TLS). ``secure(user:password:)``
/// restarts it on the same storage and port with TLS (a CA of its own, ``caCertificatePath``) and an htpasswd
/// file (bcrypt, by `htpasswd` from apache2-utils), as a team's private registry runs. ``trustForDocker()`` puts the
/// CA where every dockerd of this machine looks (`/etc/docker/certs.d/<host>/ca.crt`, removed by ``stop()``), for a
/// registry on a test network's address that the nodes of a ``MultiNodeSwarm`` pull from.
public final class RegistryTestServer: Sendable {
    /// `<address>:<port>`: the registry part of image references.
    public let host: String
    public let port: Int
    public let address: String
    public let folder: TemporaryDirectory
    private let server: Mutex<ServerProcess?>
    /// The folder under `/etc/docker/certs.d` that ``trustForDocker()`` made, removed by ``stop()``.
    private let dockerTrust = Mutex<String?>(nil)

    private init(address: String, port: Int, folder: TemporaryDirectory, server: ServerProcess) {
        self.address = address
        self.port = port
        self.host = "\(address):\(port)"
        self.folder = folder
        self.server = Mutex(server)
    }

    /// The CA that signed the registry's certificate once ``secure(user:password:)`` ran.
    public var caCertificatePath: String { "\(folder.path)/tls/ca.crt" }

    /// A folder laid out as Docker's `/etc/docker/certs.d`, holding `<host>/ca.crt` once the registry is secured.
    public var certificatesDirectory: String { "\(folder.path)/certs.d" }

    /// Starts an anonymous registry over plain HTTP on `address` (loopback, or an address of the test's own network).
    public static func start(address: String = "127.0.0.1") async throws -> RegistryTestServer {
        let folder = try TemporaryDirectory(prefix: "sprocket-registry")
        do {
            let port = try FreePort.loopbackTCP()
            try FileManager.default.createDirectory(atPath: "\(folder.path)/storage", withIntermediateDirectories: true)
            let server = try await launch(folder: folder, address: address, port: port, secured: false)
            return RegistryTestServer(address: address, port: port, folder: folder, server: server)
        } catch {
            folder.remove()
            throw error
        }
    }

    /// Restarts the registry on the same storage and port with TLS and Basic authentication for `user`.
    public func secure(user: String, password: String) async throws {
        let tls = "\(folder.path)/tls"
        try FileManager.default.createDirectory(atPath: tls, withIntermediateDirectories: true)
        try await HostShell.run("""
            set -e; cd \(HostShell.quote(tls))
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt -days 2 \
              -subj '/CN=sprocket test registry CA' 2>/dev/null
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout registry.key -out registry.csr \
              -subj '/CN=\(address)' 2>/dev/null
            printf 'subjectAltName=IP:\(address),DNS:localhost\\n' > san.ext
            openssl x509 -req -in registry.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out registry.crt -days 2 -extfile san.ext 2>/dev/null
            """)
        let htpasswd = ProcessInfo.processInfo.environment["SPROCKET_TEST_HTPASSWD"] ?? "htpasswd"
        // The password goes to htpasswd on stdin (-i), never on a command line.
        try await HostShell.run(
            "printf '%s' \(HostShell.quote(password)) | \(HostShell.quote(htpasswd)) -iBc \(HostShell.quote("\(folder.path)/htpasswd")) \(HostShell.quote(user)) 2>&1",
            redacting: [password])
        let certificates = "\(certificatesDirectory)/\(host)"
        try FileManager.default.createDirectory(atPath: certificates, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: "\(certificates)/ca.crt")
        try FileManager.default.copyItem(atPath: caCertificatePath, toPath: "\(certificates)/ca.crt")
        server.withLock { $0?.stop() }
        let restarted = try await Self.launch(folder: folder, address: address, port: port, secured: true)
        server.withLock { $0 = restarted }
    }

    /// Puts the registry's CA where every dockerd of this machine looks for it (Docker's certs.d), until ``stop()``.
    public func trustForDocker() throws {
        let directory = "\(RegistryTestServer.dockerCertificatesDirectory)/\(host)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: "\(directory)/ca.crt")
        try FileManager.default.copyItem(atPath: caCertificatePath, toPath: "\(directory)/ca.crt")
        dockerTrust.withLock { $0 = directory }
    }

    static let dockerCertificatesDirectory = "/etc/docker/certs.d"

    /// Tags `image` (a local image) as `<host>/<repository>:<tag>`, pushes it with the local dockerd (logged in as
    /// `login` in a docker CLI config of its own, when given), removes the pushed tag again (the image stays under
    /// its own name), and returns the manifest digest the push reported.
    @discardableResult
    public func push(_ image: String, as repository: String, tag: String, login: (user: String, password: String)? = nil) async throws -> String {
        let target = "\(host)/\(repository):\(tag)"
        let config = try TemporaryDirectory(prefix: "sprocket-registry-login")
        defer { config.remove() }
        var script = "export DOCKER_CONFIG=\(HostShell.quote(config.path)); "
        if let login {
            script += "printf '%s' \(HostShell.quote(login.password)) | docker login -u \(HostShell.quote(login.user)) --password-stdin \(HostShell.quote(host)) >/dev/null 2>&1 || { echo 'docker login failed'; exit 1; }; "
        }
        script += "docker tag \(HostShell.quote(image)) \(HostShell.quote(target)) && docker push \(HostShell.quote(target)) 2>&1; status=$?; docker rmi \(HostShell.quote(target)) >/dev/null 2>&1; exit $status"
        let output = try await HostShell.run(script, redacting: login.map { [$0.password] } ?? [])
        guard let range = output.range(of: #"digest: sha256:[0-9a-f]{64}"#, options: .regularExpression) else {
            throw ServerProcessError("docker push \(target) reported no digest:\n\(output)")
        }
        return String(output[range].dropFirst("digest: ".count))
    }

    /// Stops the registry and removes its storage and the trust ``trustForDocker()`` installed.
    public func stop() {
        server.withLock { $0?.stop() }
        if let directory = dockerTrust.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: directory) }
        folder.remove()
    }

    /// The last lines of the registry's log.
    public func logTail() -> String {
        server.withLock { $0?.logTail() } ?? ""
    }

    private static func launch(folder: TemporaryDirectory, address: String, port: Int, secured: Bool) async throws -> ServerProcess {
        var config = """
            version: 0.1
            log: {level: info, formatter: text}
            storage:
              filesystem: {rootdirectory: "\(folder.path)/storage"}
              delete: {enabled: true}
            http:
              addr: \(address):\(port)
              secret: sprocket-test-registry-\(port)

            """
        if secured {
            config += """
                  tls: {certificate: "\(folder.path)/tls/registry.crt", key: "\(folder.path)/tls/registry.key"}
                auth:
                  htpasswd: {realm: sprocket-test-registry, path: "\(folder.path)/htpasswd"}

                """
        }
        let configPath = "\(folder.path)/config.yml"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let environment = ProcessInfo.processInfo.environment
        let executable = environment["SPROCKET_TEST_REGISTRY"]
            ?? ["/usr/bin/docker-registry", "/usr/local/bin/docker-registry"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let executable else {
            throw ServerProcessError("docker-registry not found: run the tests through scripts/test (it installs Debian's docker-registry), or set SPROCKET_TEST_REGISTRY")
        }
        return try await ServerProcess.start(
            name: "registry", executable: executable, arguments: ["serve", configPath], address: address, port: port)
    }
}
