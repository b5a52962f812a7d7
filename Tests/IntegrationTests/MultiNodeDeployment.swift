import Foundation
import SprocketTestSupport
import Testing

/// One stack deployed by the built `sprocketctl` on a ``MultiNodeSwarm``, and what the tests read back about it:
/// its tasks and the nodes they run on (from the manager), and a container's log (from the node that runs it).
struct MultiNodeDeployment: Sendable {
    /// One task of a service, as `docker inspect` of the task reports it.
    struct TaskPlacement: Sendable, Hashable {
        var id: String
        var nodeID: String
        var state: String
        var desiredState: String
    }

    let swarm: MultiNodeSwarm
    let folder: String
    let stack: String

    /// `sprocketctl <arguments> -f <folder>` against the manager, with a state folder and key file of the stack's own
    /// (and `environment` on top).
    func cli(_ arguments: String..., environment extra: [String: String] = [:]) async throws -> CLIRun {
        let environment = [
            "DOCKER_HOST": swarm.manager.dockerHost,
            "SPROCKET_STATE_DIR": "\(folder)/.state",
            "SPROCKET_KEY_FILE": "\(folder)/.secrets.key",
        ].merging(extra) { $1 }
        return try await CLIBinary.runDetached(arguments + ["-f", folder], environment: environment)
    }

    /// The engine's name of a spec service (the stack has no environments, so the environment is `default`).
    func dockerName(_ service: String) -> String { "\(stack)-default_\(service)" }

    /// Every task Swarm keeps for `service`, running or not.
    func tasks(_ service: String) async throws -> [TaskPlacement] {
        let ids = try await swarm.manager.docker(["service", "ps", "-q", "--no-trunc", dockerName(service)])
            .split(separator: "\n").map(String.init)
        guard !ids.isEmpty else { return [] }
        let lines = try await swarm.manager.docker(["inspect", "--format", "{{.ID}} {{.NodeID}} {{.Status.State}} {{.DesiredState}}"] + ids)
        return lines.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else { return nil }
            return TaskPlacement(id: fields[0], nodeID: fields[1], state: fields[2], desiredState: fields[3])
        }
    }

    /// The node IDs of `service`'s running tasks (one entry per task).
    func runningNodes(_ service: String) async throws -> [String] {
        try await tasks(service).filter { $0.state == "running" && $0.desiredState == "running" }.map(\.nodeID)
    }

    /// Node IDs as "node N" (1-based, in the order of `all`) for failure messages.
    func names(_ nodeIDs: [String], _ all: [String]) -> String {
        nodeIDs.map { id in all.firstIndex(of: id).map { "node \($0 + 1)" } ?? "unknown node \(id)" }
            .joined(separator: ", ")
    }

    /// Polls `node`'s own daemon for the `client` service's container until its log contains `text` (60 s).
    func waitForClientLog(containing text: String, onNode node: PrivateDockerDaemon) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let containers = (try? await node.docker(
                ["ps", "-q", "--filter", "label=com.docker.swarm.service.name=\(dockerName("client"))"]))?
                .split(separator: "\n").map(String.init) ?? []
            for container in containers {
                if let log = try? await node.docker(["logs", container]), log.contains(text) { return true }
            }
            try await Task.sleep(for: .seconds(1))
        }
        return false
    }

    /// Polls `condition` every half second until it holds; throws naming `what` after `timeout`.
    func waitUntil(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw PrivateDaemonError("timed out after \(timeout) waiting until \(what)")
    }
}
