import Foundation

/// A fresh folder under the system temp folder, removed by ``remove()``.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "sprocket-test") throws {
        path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `content` at `relativePath`, creating folders as needed.
    public func write(_ relativePath: String, _ content: String) throws {
        let full = "\(path)/\(relativePath)"
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(content.utf8).write(to: URL(fileURLWithPath: full))
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A short random suffix for per-test names (stacks, ports are chosen by the tests).
public func uniqueSuffix() -> String {
    String(UUID().uuidString.prefix(6).lowercased())
}
