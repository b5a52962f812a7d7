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
    private let server: ServerProcess

    private init(server: ServerProcess) {
        self.endpoint = "http://127.0.0.1:\(server.port)"
        self.port = server.port
        self.server = server
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
        let environment = ProcessInfo.processInfo.environment
        guard let executable = environment["SPROCKET_TEST_MOTO_SERVER"] ?? locate("moto_server", path: environment["PATH"] ?? "") else {
            throw MotoServerError("moto_server not found: run the tests through scripts/test, or set SPROCKET_TEST_MOTO_SERVER")
        }
        var childEnvironment = environment
        if let authenticatedAfter { childEnvironment["INITIAL_NO_AUTH_ACTION_COUNT"] = String(authenticatedAfter) }
        // The free port can be taken by a parallel test between the probe and moto's bind: try a few ports.
        var lastError: (any Error)?
        for _ in 0..<4 {
            do {
                let port = try FreePort.loopbackTCP()
                // moto_server ignores SIGTERM while serving and keeps nothing worth a clean shutdown: it is killed.
                return MotoServer(server: try await ServerProcess.start(
                    name: "moto", executable: executable, arguments: ["-H", "127.0.0.1", "-p", String(port)],
                    environment: childEnvironment, port: port, stopSignal: SIGKILL))
            } catch let error as ServerProcessError where error.description.contains("Address already in use") {
                lastError = error
            } catch let error as ServerProcessError {
                throw MotoServerError(error.description)
            }
        }
        throw MotoServerError(lastError.map { "\($0)" } ?? "moto_server did not start")
    }

    /// Stops the server and removes its log.
    public func stop() {
        server.stop()
    }

    /// The last lines of the server's log, for failure messages.
    public func logTail(_ lines: Int = 20) -> String {
        server.logTail(lines)
    }

    private static func locate(_ name: String, path: String) -> String? {
        path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Why moto_server could not be started.
public struct MotoServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
