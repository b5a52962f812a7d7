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

/// One finished run of the built binary.
public struct CLIRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

extension CLIBinary {
    /// Runs `sprocketctl` with `arguments`, the test process's environment plus `environment`, stdin closed.
    /// Output goes through temporary files, so a chatty stderr can never fill a pipe and block the child.
    /// - Parameter executable: another program to run the same way (e.g. `/usr/bin/docker`); nil runs sprocketctl.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: String? = nil, executable: String? = nil
    ) throws -> CLIRun {
        let folder = try TemporaryDirectory(prefix: "sprocket-cli")
        defer { folder.remove() }
        let outPath = "\(folder.path)/stdout"
        let errPath = "\(folder.path)/stderr"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable ?? path())
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = FileManager.default.contents(atPath: outPath) ?? Data()
        let stderr = FileManager.default.contents(atPath: errPath) ?? Data()
        return CLIRun(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

extension CLIBinary {
    /// ``run(_:environment:directory:)`` from async code: the wait happens on a thread of its own, because
    /// blocking one of the few threads of Swift's cooperative pool for the seconds an `up` takes starves the
    /// other tests running at the same time.
    public static func runDetached(
        _ arguments: [String], environment: [String: String] = [:], directory: String? = nil, executable: String? = nil
    ) async throws -> CLIRun {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try run(arguments, environment: environment, directory: directory, executable: executable)
                })
            }
        }
    }
}
