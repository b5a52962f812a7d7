import Foundation

/// The built `sprocketctl` executable of this package (`swift build` puts it next to the test bundle).
public enum CLIBinary {
    public static func path(filePath: String = #filePath) throws -> String {
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("sprocketctl").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("sprocketctl").path,
            root.appendingPathComponent(".build/debug/sprocketctl").path,
        ]
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        throw CLIBinaryMissing(searched: candidates)
    }
}

public struct CLIBinaryMissing: Error, CustomStringConvertible {
    public var searched: [String]
    public var description: String {
        "sprocketctl is not built (looked at \(searched.joined(separator: ", "))); run `swift build --build-tests` first"
    }
}
