import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private moto_server (the S3 API emulator) on a free loopback port, for tests of the S3 provider.
///
/// Found through `SPROCKET_TEST_MOTO_SERVER` (set by scripts/test), else `moto_server` on the PATH. A server that
/// cannot start throws: a test that needs S3 must fail, not skip, when it has none.
///
/// ```swift
/// try await MotoServer.withServer { moto in
///     // point an S3 client at moto.endpoint (path style, any credentials, region us-east-1)
/// }
/// ```
public final class MotoServer: Sendable {
    /// `http://127.0.0.1:<port>`.
    public let endpoint: String
    public let port: Int
    private let process: Process
    private let logPath: String

    private init(endpoint: String, port: Int, process: Process, logPath: String) {
        self.endpoint = endpoint
        self.port = port
        self.process = process
        self.logPath = logPath
    }

    /// Starts a server, runs `body`, and stops the server whether `body` succeeds or throws.
    ///
    /// - Parameter authenticatedAfter: When set, moto checks signatures and IAM permissions for every request after
    ///   this many (the first ones create the IAM users and keys); nil accepts any credentials.
    public static func withServer<T>(
        authenticatedAfter: Int? = nil, _ body: (MotoServer) async throws -> T
    ) async throws -> T {
        let server = try await start(authenticatedAfter: authenticatedAfter)
        do {
            let result = try await body(server)
            server.stop()
            return result
        } catch {
            server.stop()
            throw error
        }
    }

    /// Starts a server and waits until it accepts connections (up to 60 s). Call ``stop()`` when done.
    public static func start(authenticatedAfter: Int? = nil) async throws -> MotoServer {
        // The free port can be taken by a parallel test between the probe and moto's bind: try a few ports.
        var lastError: (any Error)?
        for _ in 0..<4 {
            do {
                return try await startOnce(authenticatedAfter: authenticatedAfter)
            } catch let error as MotoServerError where error.description.contains("Address already in use") {
                lastError = error
            }
        }
        throw lastError ?? MotoServerError("moto_server did not start")
    }

    private static func startOnce(authenticatedAfter: Int?) async throws -> MotoServer {
        let environment = ProcessInfo.processInfo.environment
        guard let executable = environment["SPROCKET_TEST_MOTO_SERVER"] ?? locate("moto_server", path: environment["PATH"] ?? "") else {
            throw MotoServerError("moto_server not found: run the tests through scripts/test, or set SPROCKET_TEST_MOTO_SERVER")
        }
        let port = try freePort()
        let logPath = NSTemporaryDirectory() + "sprocket-moto-\(UUID().uuidString.prefix(8)).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        var childEnvironment = environment
        if let authenticatedAfter { childEnvironment["INITIAL_NO_AUTH_ACTION_COUNT"] = String(authenticatedAfter) }
        process.environment = childEnvironment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw MotoServerError("cannot run \(executable): \(error)")
        }
        let server = MotoServer(endpoint: "http://127.0.0.1:\(port)", port: port, process: process, logPath: logPath)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard process.isRunning else {
                let tail = server.logTail()
                server.stop()
                throw MotoServerError("moto_server exited at start: \(tail)")
            }
            if canConnect(port: port) { return server }
            try await Task.sleep(for: .milliseconds(200))
        }
        let tail = server.logTail()
        server.stop()
        throw MotoServerError("moto_server did not accept connections on port \(port) within 60 s: \(tail)")
    }

    /// Stops the server and removes its log. moto_server ignores SIGTERM while serving, so it is killed; it keeps
    /// nothing worth a clean shutdown.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// The last lines of the server's log, for failure messages.
    public func logTail(_ lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    private static func locate(_ name: String, path: String) -> String? {
        path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A port the kernel just handed out for an ephemeral bind (free now; moto binds it a moment later).
    private static func freePort() throws -> Int {
        try FreePort.loopbackTCP()
    }

    private static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: UInt16(port))
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// Why moto_server could not be started.
public struct MotoServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
