import DockerEngine
import Foundation
import Logging
import Synchronization

/// The label every object created by these tests carries, so leftovers can be found and removed.
let testLabel = ["io.sprocket.test": "docker-engine-tests"]

/// A logger that prints nothing unless `DOCKER_ENGINE_TESTS_LOG=trace` is set.
func testLogger(_ label: String = "docker-engine-tests") -> Logger {
    var logger = Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    if ProcessInfo.processInfo.environment["DOCKER_ENGINE_TESTS_LOG"] == "trace" {
        logger = Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .trace
    }
    return logger
}

/// A name unique to one test run, e.g. `dkt-3f9a1c2e-network`.
func uniqueName(_ suffix: String) -> String {
    "dkt-\(UUID().uuidString.prefix(8).lowercased())-\(suffix)"
}

/// Cleanup steps registered while a test runs, executed last-in first-out whether the test passed or failed.
final class CleanupStack: Sendable {
    private let steps = Mutex<[@Sendable () async -> Void]>([])

    func push(_ step: @escaping @Sendable () async -> Void) {
        steps.withLock { $0.append(step) }
    }

    func runAll() async {
        let pending = steps.withLock { steps in
            defer { steps.removeAll() }
            return steps
        }
        for step in pending.reversed() {
            await step()
        }
    }
}

/// Runs `body` with a client for the daemon named by `DOCKER_HOST` (default `/var/run/docker.sock`) and a
/// cleanup stack; cleans up and shuts the client down afterwards, also when `body` throws.
@discardableResult
func withDocker<T: Sendable>(
    requestTimeout: Duration = .seconds(30),
    _ body: (DockerClient, CleanupStack) async throws -> T
) async throws -> T {
    let endpoint = try DockerEndpoint.fromEnvironment(ProcessInfo.processInfo.environment)
    let docker = DockerClient(endpoint: endpoint, requestTimeout: requestTimeout, logger: testLogger())
    let cleanup = CleanupStack()
    do {
        let result = try await body(docker, cleanup)
        await cleanup.runAll()
        try await docker.shutdown()
        return result
    } catch {
        await cleanup.runAll()
        try? await docker.shutdown()
        throw error
    }
}

/// Polls `condition` every `interval` until it returns a value or `timeout` passes.
func eventually<T: Sendable>(
    timeout: Duration = .seconds(60), interval: Duration = .milliseconds(500), _ what: String,
    _ condition: () async throws -> T?
) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await condition() { return value }
        guard ContinuousClock.now < deadline else { throw WaitTimeout(what: what, after: timeout) }
        try await Task.sleep(for: interval)
    }
}

struct WaitTimeout: Error, CustomStringConvertible {
    var what: String
    var after: Duration
    var description: String { "timed out after \(after) waiting for \(what)" }
}
