import Foundation

/// Runs a bash command line on the host for the private-daemon harnesses (``PrivateDockerDaemon``,
/// ``MultiNodeSwarm``), which drive `ip`, `nsenter`, `dockerd` and the docker CLI.
///
/// The wait happens on a thread of its own: blocking one of the few threads of Swift's cooperative pool for the
/// seconds a `docker load` takes would starve the other tests running at the same time.
enum HostShell {
    /// Runs `command` with `bash -c`, stdin closed, and returns its combined output.
    ///
    /// - Parameters:
    ///   - capturingOutput: false sends the output to /dev/null, for a command that leaves a background
    ///     process behind (a daemon holding the pipe would keep the read open for ever).
    ///   - secrets: texts (a swarm join token) replaced by `<redacted>` wherever the error shows them.
    /// - Throws: ``PrivateDaemonError`` naming the command, its exit status and its output when it exits non-zero.
    @discardableResult
    static func run(_ command: String, capturingOutput: Bool = true, redacting secrets: [String] = []) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/bash")
                process.arguments = ["-c", command]
                let output = Pipe()
                process.standardOutput = capturingOutput ? output : FileHandle.nullDevice
                process.standardError = capturingOutput ? output : FileHandle.nullDevice
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                    let data = capturingOutput ? output.fileHandleForReading.readDataToEndOfFile() : Data()
                    process.waitUntilExit()
                    let text = String(decoding: data, as: UTF8.self)
                    if process.terminationStatus == 0 {
                        continuation.resume(returning: text)
                    } else {
                        let message = secrets.filter { !$0.isEmpty }.reduce("`\(command)` failed (\(process.terminationStatus)): \(text)") {
                            $0.replacingOccurrences(of: $1, with: "<redacted>")
                        }
                        continuation.resume(throwing: PrivateDaemonError(message))
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// `text` as one single-quoted shell word.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
