import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file writes: a temporary file in the same folder, fsync, then rename over the target.
/// A reader sees either the old or the new content, never a torn one, even if the process is killed.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String, permissions: mode_t = 0o644) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = "\(directory)/.\((path as NSString).lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard descriptor >= 0 else { throw ioError("cannot create", temporary) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress, buffer.count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                close(descriptor)
                throw ioError("cannot write", temporary)
            }
            offset += written
        }
        // fchmod because open's mode is filtered by the umask, and key files must be exactly 0600.
        fchmod(descriptor, permissions)
        guard fsync(descriptor) == 0 else {
            close(descriptor)
            throw ioError("cannot fsync", temporary)
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw ioError("cannot rename into place", path) }
        ok = true
        // Make the rename itself durable.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    public static func read(_ path: String) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw ioError("cannot read", path) }
        return Array(data)
    }

    private static func ioError(_ what: String, _ path: String) -> SprocketError {
        let reason = String(cString: strerror(errno))
        return SprocketError(.stateIO, "\(what) \(path): \(reason)", subject: path, hint: "check the folder's permissions and free space")
    }
}
