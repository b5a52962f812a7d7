import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Synchronization
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A named stop point of a fault test: the operation before whose lease check the run stops itself.
struct FaultPoint: Sendable, CustomTestStringConvertible {
    var name: String
    /// A prefix of the operation's name; `{{service}}` becomes the Docker name prefix `<stack>-default_`.
    var operation: String
    var testDescription: String { name }

    func operation(in stack: SwarmTestStack) -> String {
        operation.replacingOccurrences(of: "{{service}}", with: "\(stack.stackName)-default_")
    }
}

/// The machinery of the fault tests: a `sprocketctl` run started with a named stop point
/// (`SPROCKET_TEST_PAUSE_AT_CHECK`), found once it stopped itself there, then killed (SIGKILL) or resumed (SIGCONT);
/// and ``OrphanCensus``, what a run may leave behind on each system.
final class FaultRun: Sendable {
    /// Set in the run's environment (`SPROCKET_TEST_RUN_MARK`): tells this run's process apart from every other
    /// one, another run of the same stack included.
    let mark: String
    private let outcome: Task<CLIRun, any Error>
    private let ended: EndFlag

    private final class EndFlag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    /// Starts `sprocketctl arguments -f folder` with `environment` on top of the test process's.
    init(_ arguments: [String], folder: String, environment: [String: String]) {
        let mark = "fault-run-\(UUID().uuidString)"
        let ended = EndFlag()
        self.mark = mark
        self.ended = ended
        let marked = environment.merging(["SPROCKET_TEST_RUN_MARK": mark]) { $1 }
        outcome = Task {
            defer { ended.set() }
            return try await CLIBinary.runDetached(arguments + ["-f", folder], environment: marked)
        }
    }

    /// Waits until the run stopped itself at its stop point and returns its pid; nil when it ended without reaching
    /// it (recorded as an issue unless `endedIsExpected` accepts how it ended). The deadline only keeps a broken run
    /// from hanging the suite.
    func waitUntilStopped(within timeout: Duration = .seconds(240), endedIsExpected: (CLIRun) -> Bool = { _ in false }) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let pid = Self.process(marked: mark), Self.isStopped(pid) { return pid }
            if ended.isSet {
                let run = try await outcome.value
                if !endedIsExpected(run) {
                    Issue.record("the run ended (status \(run.status)) without reaching its stop point:\n\(run.stdout)\n\(run.stderr)")
                }
                return nil
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the run did not stop within \(timeout)")
        return nil
    }

    /// Ends the stopped run with SIGKILL, as a crash or `kill -9` would, and waits for it.
    func kill(_ pid: Int32) async throws -> CLIRun {
        _ = Glibc.kill(pid, SIGKILL)
        return try await outcome.value
    }

    /// Resumes the stopped run (SIGCONT) and waits until it ends.
    func resume(_ pid: Int32) async throws -> CLIRun {
        _ = Glibc.kill(pid, SIGCONT)
        return try await outcome.value
    }

    /// The pid of the `sprocketctl` process whose environment holds `mark` (its children inherit it, but run other programs).
    static func process(marked mark: String) -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let needle = Data("SPROCKET_TEST_RUN_MARK=\(mark)".utf8)
        for entry in entries {
            guard let pid = Int32(entry), let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { continue }
            let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")?.split(separator: 0).first
            if environ.range(of: needle) != nil, command.map({ String(decoding: $0, as: UTF8.self).hasSuffix("sprocketctl") }) == true { return pid }
        }
        return nil
    }

    /// Whether the process is stopped (state `T` in /proc/<pid>/stat).
    static func isStopped(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("T")
    }
}

/// What a run may leave behind that nothing refers to any more, on each system a stack touches: Docker secrets no
/// service (current or previous spec) mounts, services the spec does not declare (probe and PostgreSQL jobs
/// included), Vault tokens minted but neither held in the sealed store nor revoked, PostgreSQL roles with the
/// stack's prefix that the spec does not declare.
struct OrphanCensus: Equatable, CustomStringConvertible {
    var secrets: [String] = []
    var services: [String] = []
    var tokens: [String] = []
    var roles: [String] = []

    var isEmpty: Bool { secrets.isEmpty && services.isEmpty && tokens.isEmpty && roles.isEmpty }

    var description: String {
        "orphaned secrets \(secrets), services \(services), Vault token accessors \(tokens), PostgreSQL roles \(roles)"
    }

    /// Docker secrets of the stack that no service's spec or previous spec refers to (what Swarm's rollback needs
    /// stays) and that the state does not record (`recorded`: the last successful run's objects), and services of
    /// the stack whose name is not in `declared`.
    static func docker(_ stack: SwarmTestStack, declaredServices declared: Set<String>, recorded: Set<String>) async throws -> OrphanCensus {
        let services = try await stack.services()
        let referenced = recorded.union(services.flatMap { service in
            [service.spec, service.previousSpec].compactMap { $0?.taskTemplate?.containerSpec?.secrets }.flatMap { $0.compactMap(\.secretName) }
        })
        var census = OrphanCensus()
        census.secrets = try await stack.secrets().compactMap { $0.spec?.name }.filter { !referenced.contains($0) }.sorted()
        census.services = services.compactMap { $0.spec?.name }.filter { !declared.contains($0) }.sorted()
        return census
    }

    /// Accessors of the tokens Vault knows, the root token's excepted, that are not in `held` (the accessors the
    /// sealed store records, current or waiting to be revoked). Lists through `auth/token/accessors` with the root token.
    static func vaultTokens(address: String, rootToken: String, held: Set<String>) async throws -> [String] {
        let listed = try await vaultJSON(address: address, token: rootToken, method: "GET", path: "auth/token/accessors?list=true")
        let accessors = ((listed["data"] as? [String: Any])?["keys"] as? [String]) ?? []
        var orphans: [String] = []
        for accessor in accessors where !held.contains(accessor) {
            let info = try await vaultJSON(
                address: address, token: rootToken, method: "POST", path: "auth/token/lookup-accessor", body: ["accessor": accessor])
            let policies = ((info["data"] as? [String: Any])?["policies"] as? [String]) ?? []
            if !policies.contains("root") { orphans.append(accessor) }
        }
        return orphans.sorted()
    }

    /// PostgreSQL roles whose name starts with `prefix` and that `declared` does not name.
    static func roles(_ pg: PostgresTestServer, prefix: String, declared: Set<String>) async throws -> [String] {
        let names = try await pg.superuser("SELECT rolname FROM pg_roles WHERE starts_with(rolname, '\(prefix)') ORDER BY rolname")
        return names.split(separator: "\n").map(String.init).filter { !declared.contains($0) }
    }

    static func vaultJSON(
        address: String, token: String, method: String, path: String, body: [String: String]? = nil
    ) async throws -> [String: Any] {
        let url = try #require(URL(string: "\(address)/v1/\(path)"))
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue(token, forHTTPHeaderField: "X-Vault-Token")
        if let body { request.httpBody = try JSONSerialization.data(withJSONObject: body) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        try #require(status == 200, "Vault \(method) \(path): \(status) \(String(decoding: data, as: UTF8.self))")
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}
