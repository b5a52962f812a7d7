import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Exclusive lock of one stack environment, held for the life of a mutating run.
///
/// It is an `flock` on `<state-dir>/lock`: the kernel drops it when the process dies, even on SIGKILL, so a
/// crashed run never blocks the next one. The file also records the holder (pid, host, start, command) so that
/// a second run can say who holds it, and so that a run taking over from a dead holder can warn about it.
public final class StateLock: Sendable {
    public struct Holder: Sendable, Codable, Hashable, CustomStringConvertible {
        public var pid: Int32
        public var host: String
        public var startedAt: Date
        public var command: String

        public var description: String {
            "pid \(pid) on \(host), running `\(command)` since \(ISO8601DateFormatter().string(from: startedAt))"
        }
    }

    public let path: String
    private let descriptor: Int32
    /// A previous holder that died without releasing (its record was still in the file).
    public let takenOverFrom: Holder?

    private init(path: String, descriptor: Int32, takenOverFrom: Holder?) {
        self.path = path
        self.descriptor = descriptor
        self.takenOverFrom = takenOverFrom
    }

    /// Takes the lock or fails at once (never waits), naming the holder.
    public static func acquire(directory: String, command: String, now: Date = Date()) throws -> StateLock {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SprocketError(.stateIO, "cannot open the lock file: \(String(cString: strerror(errno)))", subject: path)
        }
        let previous = readHolder(descriptor)
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            let holder = previous.map(\.description) ?? "another process"
            throw SprocketError(
                .locked, "another run holds the lock of this stack environment: \(holder)", subject: path,
                hint: "wait for it to finish; if that process is gone the lock is released automatically")
        }
        let holder = Holder(
            pid: getpid(), host: ProcessInfo.processInfo.hostName, startedAt: now, command: command)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let bytes = (try? encoder.encode(holder)).map(Array.init) ?? []
        ftruncate(descriptor, 0)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        fsync(descriptor)
        return StateLock(path: path, descriptor: descriptor, takenOverFrom: previous)
    }

    /// Clears the holder record and releases the lock.
    public func release() {
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func readHolder(_ descriptor: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Holder.self, from: Data(buffer[0..<count]))
    }
}
