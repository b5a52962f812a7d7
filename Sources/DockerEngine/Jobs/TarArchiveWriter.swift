/// Writes a POSIX ustar archive in memory: the body Docker's image import (`POST /images/create?fromSrc=-`)
/// takes as a root filesystem.
///
/// Only what an image of a few files needs: directories and regular files, owned by root, with a fixed
/// modification time so that the same files give the same bytes.
public struct TarArchiveWriter: Sendable {
    /// Why an entry cannot be written.
    public struct EntryError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot add \(path) to the image archive: \(reason)" }
    }

    public private(set) var bytes: [UInt8] = []
    private var directories: Set<String> = []
    private static let blockSize = 512

    public init() {}

    /// Adds a directory, and every parent not added yet.
    public mutating func addDirectory(_ path: String, mode: Int = 0o755) throws {
        let components = Self.components(path)
        var current = ""
        for component in components {
            current += current.isEmpty ? component : "/\(component)"
            guard !directories.contains(current) else { continue }
            directories.insert(current)
            try appendHeader(name: current + "/", size: 0, mode: current == components.joined(separator: "/") ? mode : 0o755, type: "5")
        }
    }

    /// Adds a regular file (its parent directories first when missing).
    public mutating func addFile(_ path: String, contents: [UInt8], mode: Int = 0o644) throws {
        let components = Self.components(path)
        guard !components.isEmpty else { throw EntryError(path: path, reason: "the path names no file") }
        if components.count > 1 { try addDirectory(components.dropLast().joined(separator: "/")) }
        try appendHeader(name: components.joined(separator: "/"), size: contents.count, mode: mode, type: "0")
        bytes += contents
        bytes += [UInt8](repeating: 0, count: (Self.blockSize - contents.count % Self.blockSize) % Self.blockSize)
    }

    /// The archive with its end marker (two zero blocks).
    public func finished() -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: Self.blockSize * 2)
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    private mutating func appendHeader(name: String, size: Int, mode: Int, type: Character) throws {
        let (prefix, shortName) = try Self.split(name)
        var header = [UInt8](repeating: 0, count: Self.blockSize)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits, at: offset, width: width - 1)
        }
        put(shortName, at: 0, width: 100)
        octal(mode, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        // A fixed time (2020-01-01) keeps the archive, and so the imported layer, the same for the same files.
        octal(1_577_836_800, at: 136, width: 12)
        put(String(type), at: 156, width: 1)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put("root", at: 265, width: 32)
        put("root", at: 297, width: 32)
        put(prefix, at: 345, width: 155)
        // The checksum is computed with its own field read as eight spaces.
        for index in 148..<156 { header[index] = 0x20 }
        let checksum = header.reduce(0) { $0 + Int($1) }
        let digits = String(checksum, radix: 8)
        put(String(repeating: "0", count: max(0, 6 - digits.count)) + digits, at: 148, width: 6)
        header[154] = 0
        header[155] = 0x20
        bytes += header
    }

    /// ustar keeps names up to 100 bytes, and longer ones as a prefix (up to 155 bytes) and a name split at a `/`.
    private static func split(_ path: String) throws -> (prefix: String, name: String) {
        let utf8 = Array(path.utf8)
        guard utf8.count > 100 else { return ("", path) }
        for index in utf8.indices.reversed() where utf8[index] == UInt8(ascii: "/") {
            let prefix = utf8[..<index], name = utf8[(index + 1)...]
            if prefix.count <= 155, name.count <= 100, !name.isEmpty {
                return (String(decoding: prefix, as: UTF8.self), String(decoding: name, as: UTF8.self))
            }
        }
        throw EntryError(path: path, reason: "the path is longer than a ustar archive can hold")
    }
}
