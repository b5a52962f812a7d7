import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// `sprocketctl drift` against a stack on the real swarm, changed behind the tool's back through the Engine API
/// (what `docker service update`, `docker service scale`, `docker service rm` and `docker config create` send).
@Suite("drift on the real swarm", .tags(.integration))
struct DriftTests {
    /// `sprocketctl drift ...` for the test stack's blue environment, run from the built binary.
    struct DriftRunner {
        let stack: SwarmTestStack
        let environment = ["IT_TOKEN": "drift-token"]

        var stateDirectory: String { "\(stack.stateFolder.path)/\(stack.stackName)/blue" }

        func callAsFunction(_ flags: String...) async throws -> (status: Int32, stdout: String, stderr: String) {
            let run = try await CLIBinary.runDetached(
                ["drift", "-f", stack.folder.path, "--env", "blue", "--state-dir", stateDirectory] + flags,
                environment: environment.merging(["SPROCKET_KEY_FILE": stack.keyFile]) { $1 })
            return (run.status, run.stdout, run.stderr)
        }

        /// `drift --json`, decoded: each finding as `kind resourceKind name`, plus the field paths by service.
        func findings() async throws -> (summary: Set<String>, fields: [String: [String]]) {
            let run = try await self("--json")
            let data = Data(run.stdout.utf8)
            let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(run.stderr)")
            var summary: Set<String> = []
            var fields: [String: [String]] = [:]
            for finding in document["findings"] as? [[String: Any]] ?? [] {
                let resource = finding["resource"] as? [String: String] ?? [:]
                let name = resource["name"] ?? ""
                summary.insert("\(finding["kind"] as? String ?? "") \(resource["kind"] ?? "") \(name)")
                fields[name, default: []] += (finding["fields"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
            }
            return (summary, fields)
        }

        /// Every file of the state folder with its bytes, to show that drift writes nothing.
        func stateFiles() throws -> [String: Data] {
            let root = stack.stateFolder.path
            var files: [String: Data] = [:]
            for path in try FileManager.default.subpathsOfDirectory(atPath: root) {
                files[path] = FileManager.default.contents(atPath: "\(root)/\(path)")
            }
            return files
        }
    }

    @Test("drift names hand changes with their fields, under-replication, removals and extra objects; up repairs")
    func handChangesAreFound() async throws {
        try await SwarmTestStack.with(prefix: "drift") { stack in
            try TwoLayerSpec.write(to: stack, bluePort: 18_301, greenPort: 18_302)
            let drift = DriftRunner(stack: stack)
            let identity = StackIdentity(stack: stack.stackName, environment: "blue")

            let undeployed = try await drift("--exit-code")
            #expect(undeployed.status == 2, "\(undeployed.stderr)")
            #expect(undeployed.stdout.contains("comparing with the current spec"))
            #expect(undeployed.stdout.contains("- service api"))
            #expect(try drift.stateFiles().isEmpty, "drift before any run writes nothing, not even the key")

            try await stack.up(environment: "blue", processEnvironment: drift.environment)
            let fresh = try await drift("--exit-code")
            #expect(fresh.status == 0, "a freshly deployed stack shows no drift: \(fresh.stdout)\(fresh.stderr)")
            #expect(fresh.stdout.contains("No drift: \(identity) matches the last applied spec"))

            // `docker service update --env-add X=1 <api>`, through the Engine API.
            let api = try await service("api", of: stack)
            var spec = try #require(api.spec)
            let env = spec.taskTemplate?.containerSpec?.env ?? []
            spec.taskTemplate?.containerSpec?.env = env + ["X=1"]
            try await stack.client.updateService(api.id, version: api.version?.index ?? 0, spec: spec)
            try await waitForUpdate(of: "api", in: stack)

            let stateBefore = try drift.stateFiles()
            let changed = try await drift.findings()
            #expect(changed.summary.contains("changedByHand service api"), "\(changed.summary)")
            #expect(changed.fields["api"]?.contains { $0.hasPrefix("env") } == true, "\(changed.fields)")
            let exit = try await drift("--exit-code")
            #expect(exit.status == 2, "\(exit.stderr)")
            #expect(exit.stdout.contains("layer base:\n  ~ service api (\(identity.objectName("api"))) - changed by hand: env"), "\(exit.stdout)")
            #expect(exit.stdout.contains("X=1"))
            #expect(try drift.stateFiles() == stateBefore, "drift never writes: no lock, no run, no state")

            let repair = try await stack.up(environment: "blue", processEnvironment: drift.environment)
            #expect(repair.applied)
            let repaired = try await drift("--exit-code")
            #expect(repaired.status == 0, "up puts the service back: \(repaired.stdout)\(repaired.stderr)")

            // `docker service scale worker=0`, `docker service rm front`, `docker config create --label ...`.
            let worker = try await service("worker", of: stack)
            var scaled = try #require(worker.spec)
            scaled.mode?.replicated?.replicas = 0
            try await stack.client.updateService(worker.id, version: worker.version?.index ?? 0, spec: scaled)
            try await stack.client.removeService(try await service("front", of: stack).id)
            let labels = OwnershipLabel.labels(for: identity, layer: "base", name: "stray")
            _ = try await stack.client.createConfig(SwarmConfigSpec(name: identity.objectName("stray"), labels: labels, content: Array("x".utf8)))
            try await waitUntil("the worker's tasks stopped") {
                let status = try await DockerClusterDriver(client: stack.client).status(identity)
                return status.first { $0.name == "worker" }?.runningTasks == 0
            }

            let tampered = try await drift.findings()
            #expect(tampered.summary.isSuperset(of: [
                "replicasBelowTarget service worker", "changedByHand service worker", "missing service front", "extra config stray",
            ]), "\(tampered.summary)")
            #expect(tampered.fields["worker"] == ["replicas"])
            let text = try await drift("--exit-code")
            #expect(text.status == 2)
            #expect(text.stdout.contains("! service worker (\(identity.objectName("worker"))) - replicas below target: 0 of 1 running"), "\(text.stdout)")
            #expect(text.stdout.contains("layer app:\n  - service front"), "\(text.stdout)")
            #expect(text.stdout.contains("+ config stray"))
        }
    }

    private func service(_ name: String, of stack: SwarmTestStack) async throws -> Service {
        let dockerName = StackIdentity(stack: stack.stackName, environment: "blue").objectName(name)
        return try #require(try await stack.services(environment: "blue").first { $0.spec?.name == dockerName })
    }

    /// Waits for a hand update to finish, so that the tool's next run does not race Swarm's rolling update.
    private func waitForUpdate(of name: String, in stack: SwarmTestStack) async throws {
        try await waitUntil("the update of \(name) completed") {
            try await service(name, of: stack).updateStatus?.state == "completed"
        }
    }

    private func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        Issue.record("timed out waiting: \(what)")
    }
}
