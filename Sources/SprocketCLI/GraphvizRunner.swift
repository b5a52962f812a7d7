import Foundation
import SprocketCore

/// Renders DOT to SVG or PNG with Graphviz's `dot -T<format>`, found on `PATH`; a missing `dot` is a named error
/// saying how to install it (the DOT and Mermaid formats never need it).
struct GraphvizRunner {
    var environment: [String: String]

    /// The `dot` executable on `PATH`, nil when Graphviz is not installed.
    var executable: String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `format` is Graphviz's output format: `svg` or `png`.
    func render(_ dot: String, format: String) async throws -> [UInt8] {
        guard let executable else {
            throw SprocketError(
                .init(rawValue: "graphviz-missing"), "\(format.uppercased()) needs Graphviz's `dot`, which is not on PATH", subject: "graph --format \(format)",
                hint: "install it (`apt install graphviz`), or use --format dot or --format mermaid, which need nothing")
        }
        let input = Array(dot.utf8)
        return try await withCheckedThrowingContinuation { continuation in
            // A thread of its own: the wait must not block one of the cooperative pool's few threads.
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = ["-T\(format)"]
                let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
                process.standardInput = stdin
                process.standardOutput = stdout
                process.standardError = stderr
                do {
                    try process.run()
                    // `dot` reads its whole input before it writes anything, so writing first cannot deadlock.
                    stdin.fileHandleForWriting.write(Data(input))
                    try? stdin.fileHandleForWriting.close()
                    let output = stdout.fileHandleForReading.readDataToEndOfFile()
                    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    guard process.terminationStatus == 0 else {
                        let message = String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                        continuation.resume(throwing: SprocketError(
                            .init(rawValue: "graphviz-failed"), "`dot -T\(format)` exited with \(process.terminationStatus): \(message)",
                            subject: executable, hint: "render with --format dot and report the DOT that Graphviz rejects"))
                        return
                    }
                    continuation.resume(returning: Array(output))
                } catch {
                    continuation.resume(throwing: SprocketError(
                        .init(rawValue: "graphviz-failed"), "cannot run `dot`: \(error)", subject: executable,
                        hint: "check the Graphviz installation (`dot -V`)"))
                }
            }
        }
    }
}
