import DockerEngine
import Foundation
import SprocketCore

/// The steps of `node bootstrap` (and, with `dryRun`, of `node check`): each compares the node with what it should
/// be and changes only what differs, so a second run reports no change.
struct NodeBootstrapper {
    /// How this node enters a swarm.
    enum Membership {
        case initialise(advertiseAddress: String?)
        /// The join token is read from a file, never given on the command line.
        case join(address: String, tokenFile: String, advertiseAddress: String?)
    }

    /// One line of the report: a step that changed (or would change) the node, or found it as it should be.
    struct Step: Encodable {
        var step: String
        var changed: Bool
        var detail: String
    }

    var client: DockerClient
    var membership: Membership
    var labels: [String: String]
    var directories: [String]
    var daemonJSONPath: String
    var logRotation: DaemonLogRotation
    var dryRun: Bool

    func run() async throws -> [Step] {
        var steps: [Step] = []
        var info = try await client.info()
        steps.append(try await swarm(info))
        if !dryRun, steps.last?.changed == true { info = try await client.info() }
        steps.append(try await nodeLabels(info))
        for directory in directories {
            let outcome = try HostDirectories.ensure(directory, dryRun: dryRun)
            steps.append(Step(
                step: "bind source \(directory)", changed: outcome != .present,
                detail: outcome == .present ? "present" : dryRun ? "would create (mode 0750)" : "created (mode 0750)"))
        }
        steps.append(try daemonJSON())
        return steps
    }

    private func swarm(_ info: SystemInfo) async throws -> Step {
        let state = info.swarm?.localNodeState ?? "inactive"
        guard state == "inactive" else {
            return Step(step: "swarm", changed: false, detail: "already a swarm member (\(state))")
        }
        switch membership {
        case .initialise(let advertise):
            if !dryRun { try await client.initSwarm(.init(advertiseAddr: advertise)) }
            return Step(step: "swarm", changed: true, detail: dryRun ? "would initialise a new swarm" : "initialised a new swarm")
        case .join(let address, let tokenFile, let advertise):
            let token = try Self.readToken(tokenFile)
            if !dryRun { try await client.joinSwarm(.init(advertiseAddr: advertise, remoteAddrs: [address], joinToken: token)) }
            return Step(step: "swarm", changed: true, detail: dryRun ? "would join the swarm at \(address)" : "joined the swarm at \(address)")
        }
    }

    private func nodeLabels(_ info: SystemInfo) async throws -> Step {
        guard !labels.isEmpty else { return Step(step: "node labels", changed: false, detail: "none asked for") }
        let wanted = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        guard let nodeID = info.swarm?.nodeID, !nodeID.isEmpty else {
            return Step(step: "node labels", changed: true, detail: "would set \(wanted) once the node is in a swarm")
        }
        let node = try await client.inspectNode(nodeID)
        var spec = node.spec ?? SwarmNode.Spec()
        var current = spec.labels ?? [:]
        let missing = labels.filter { current[$0.key] != $0.value }
        guard !missing.isEmpty else { return Step(step: "node labels", changed: false, detail: "already \(wanted)") }
        let change = missing.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        if !dryRun {
            current.merge(labels) { _, new in new }
            spec.labels = current
            try await client.updateNode(nodeID, version: node.version?.index ?? 0, spec: spec)
        }
        return Step(step: "node labels", changed: true, detail: dryRun ? "would set \(change)" : "set \(change)")
    }

    private func daemonJSON() throws -> Step {
        let existing = FileManager.default.contents(atPath: daemonJSONPath).map(Array.init)
        switch try logRotation.apply(to: existing, path: daemonJSONPath) {
        case .unchanged:
            return Step(step: "daemon log rotation", changed: false, detail: "\(daemonJSONPath) already limits logs")
        case .update(let content, let changes):
            if !dryRun {
                do {
                    try AtomicFile.write(content, to: daemonJSONPath, permissions: 0o644)
                } catch {
                    throw SprocketError(.init(rawValue: "daemon-json"), "cannot write: \(error)", subject: daemonJSONPath,
                                        hint: "run as root, or pass --daemon-json with a writable path")
                }
            }
            let verb = dryRun ? "would write" : "wrote"
            return Step(step: "daemon log rotation", changed: true,
                        detail: "\(verb) \(changes.joined(separator: "; ")); restart dockerd for it to apply (`systemctl restart docker`)")
        }
    }

    static func readToken(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SprocketError(.init(rawValue: "join-token"), "cannot read the join token file", subject: path,
                                hint: "write the token of `docker swarm join-token -q worker` (run on a manager) into it, mode 0600")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw SprocketError(.init(rawValue: "join-token"), "the join token file is empty", subject: path,
                                hint: "write the token of `docker swarm join-token -q worker` into it")
        }
        return token
    }
}
