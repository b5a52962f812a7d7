import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server program the tests start (on loopback, or on an address of a test network of their own): its process,
/// its log file, and a wait until its port accepts connections. The log is kept until ``stop()`` so that a failure can show what the server said.
public final class ServerProcess: Sendable {
    public let name: String
    public let port: Int
    public let logPath: String
    private let process: Process
    /// What ``stop()`` sends first: SIGTERM, or SIGKILL for a server that ignores SIGTERM and keeps nothing.
    private let stopSignal: Int32

    private init(name: String, port: Int, logPath: String, process: Process, stopSignal: Int32) {
        self.name = name
        self.port = port
        self.logPath = logPath
        self.process = process
        self.stopSignal = stopSignal
    }

    /// Runs `executable` with `arguments` and waits (up to `timeout`) until `address`:`port` accepts connections.
    /// - Throws: ``ServerProcessError`` with the log's tail when the program cannot run, exits, or does not listen.
    public static func start(
        name: String, executable: String, arguments: [String], environment: [String: String]? = nil,
        address: String = "127.0.0.1", port: Int, timeout: Duration = .seconds(60), stopSignal: Int32 = SIGTERM
    ) async throws -> ServerProcess {
        let logPath = NSTemporaryDirectory() + "sprocket-\(name)-\(UUID().uuidString.prefix(8)).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ServerProcessError("\(name): cannot run \(executable): \(error)")
        }
        let server = ServerProcess(name: name, port: port, logPath: logPath, process: process, stopSignal: stopSignal)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                let tail = server.logTail()
                server.stop()
                throw ServerProcessError("\(name) exited at start (status \(process.terminationStatus)):\n\(tail)")
            }
            if TCPConnection.accepts(address: address, port: port) { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        let tail = server.logTail()
        server.stop()
        throw ServerProcessError("\(name) did not accept connections on \(address):\(port) within \(timeout):\n\(tail)")
    }

    public var isRunning: Bool { process.isRunning }

    /// The stop signal, then SIGKILL after 5 s, and waits for the exit. The log is removed.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, stopSignal)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// The last lines of the server's log, for failure messages.
    public func logTail(_ lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}

/// Whether something listens on an IPv4 address and port.
enum TCPConnection {
    static func accepts(address text: String, port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(text)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

/// Why a test server could not be started.
public struct ServerProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
