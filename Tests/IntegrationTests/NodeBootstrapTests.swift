import Foundation
import SprocketTestSupport
import Testing

/// `node bootstrap` on a fresh private dockerd that is not in a swarm yet: the first run initialises the swarm,
/// sets the labels, creates the spec's bind-mount folder and writes daemon.json; the second run changes nothing.
@Suite("node bootstrap on a private daemon")
struct NodeBootstrapTests {
    @Test("bootstrap twice: swarm, labels, folders and daemon.json the first time, no change the second")
    func bootstrapTwice() async throws {
        let daemon = PrivateDockerDaemon()
        let folder = try TemporaryDirectory(prefix: "sprocket-node")
        defer { folder.remove() }
        do {
            // Not `startWithSwarm`: the node must start outside any swarm.
            try await daemon.createNamespace()
            try await daemon.start()
            let bindSource = "\(folder.path)/host/logs"
            try folder.write("stack.yaml", "stack: it-node\nenvironments:\n  local: {}\nlayers: [base]\n")
            try folder.write("base.yaml", """
                services:
                  app:
                    image: example/app
                    volumes: ["\(bindSource):/logs"]
                """)
            let daemonJSON = "\(folder.path)/daemon.json"
            try folder.write("daemon.json", #"{"data-root": "/srv/docker"}"#)
            let arguments = [
                "node", "bootstrap", "-f", folder.path, "--env", "local", "--advertise-addr", "127.0.0.1",
                "--label", "role=storage", "--label", "zone=a", "--daemon-json", daemonJSON, "--check-port", "0", "--min-free-gib", "1",
            ]
            let environment = ["DOCKER_HOST": daemon.dockerHost]

            let dryRun = try await CLIBinary.runDetached(arguments + ["--dry-run"], environment: environment)
            #expect(dryRun.status == 0, "\(dryRun.stdout)\(dryRun.stderr)")
            #expect(dryRun.stdout.contains("would initialise a new swarm") && dryRun.stdout.contains("dry run: nothing was changed"))
            #expect(!FileManager.default.fileExists(atPath: bindSource))
            #expect(try await daemon.docker(["info", "--format", "{{.Swarm.LocalNodeState}}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "inactive")

            // A join is read from a token file, and the token never reaches the output.
            let canary = "SWMTKN-1-canary-\(UUID().uuidString)"
            try folder.write("join.token", canary + "\n")
            let join = try await CLIBinary.runDetached(
                arguments + ["--dry-run", "--join", "10.0.0.1:2377", "--token-file", "\(folder.path)/join.token"], environment: environment)
            #expect(join.status == 0 && join.stdout.contains("would join the swarm at 10.0.0.1:2377"), "\(join.stdout)\(join.stderr)")
            #expect(!join.stdout.contains(canary) && !join.stderr.contains(canary))

            let first = try await CLIBinary.runDetached(arguments, environment: environment)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains("changed swarm: initialised a new swarm"), "\(first.stdout)")
            #expect(first.stdout.contains("restart dockerd"))
            #expect(try await daemon.docker(["info", "--format", "{{.Swarm.LocalNodeState}}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "active")
            let labels = try await daemon.docker(["node", "inspect", "self", "--format", "{{json .Spec.Labels}}"])
            #expect(labels.contains(#""role":"storage""#) && labels.contains(#""zone":"a""#), "\(labels)")
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: bindSource)[.posixPermissions] as? NSNumber)
            #expect(mode.uint16Value & 0o777 == 0o750)
            let written = try #require(
                try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: daemonJSON) ?? Data()) as? [String: Any])
            #expect(written["data-root"] as? String == "/srv/docker" && written["log-driver"] as? String == "json-file")
            #expect((written["log-opts"] as? [String: String]) == ["max-size": "10m", "max-file": "3"])

            let second = try await CLIBinary.runDetached(arguments, environment: environment)
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            #expect(second.stdout.contains("no change: the node is already bootstrapped"), "\(second.stdout)")
            #expect(!second.stdout.contains("changed "))

            let check = try await CLIBinary.runDetached(
                ["node", "check"] + arguments.dropFirst(2), environment: environment)
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        } catch {
            await daemon.destroy()
            throw error
        }
        await daemon.destroy()
    }

    @Test("the Sprocket stack (local): bootstrap creates its data folders and keeps docker.sock as a file bind; the second run changes nothing")
    func sprocketStackTwice() async throws {
        let daemon = PrivateDockerDaemon()
        let folder = try TemporaryDirectory(prefix: "sprocket-node-stack")
        defer { folder.remove() }
        do {
            try await daemon.createNamespace()
            try await daemon.start()
            try folder.write("daemon.json", "{}")
            let arguments = [
                "node", "bootstrap", "-f", SprocketLocalDeployTests.stackFolder, "--env", "local", "--advertise-addr", "127.0.0.1",
                "--label", "role=storage", "--daemon-json", "\(folder.path)/daemon.json", "--check-port", "0", "--min-free-gib", "1",
            ]
            let environment = ["DOCKER_HOST": daemon.dockerHost, "SPROCKET_DATA_ROOT": "\(folder.path)/data"]
            let first = try await CLIBinary.runDetached(arguments, environment: environment)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains("/var/run/docker.sock: present"), "the socket proxy's socket is a file bind: \(first.stdout)")
            for directory in ["influx", "loki", "rabbitmq", "redis", "dgraph", "dgraph_zero"] {
                var isDirectory: ObjCBool = false
                #expect(FileManager.default.fileExists(atPath: "\(folder.path)/data/\(directory)", isDirectory: &isDirectory) && isDirectory.boolValue,
                        "\(directory) created")
            }
            let second = try await CLIBinary.runDetached(arguments, environment: environment)
            #expect(second.status == 0 && second.stdout.contains("no change: the node is already bootstrapped"), "\(second.stdout)\(second.stderr)")
            #expect(!second.stdout.contains("changed "))
        } catch {
            await daemon.destroy()
            throw error
        }
        await daemon.destroy()
    }

    @Test("--join without --token-file is refused before anything happens; the token never goes on the command line")
    func joinNeedsTokenFile() async throws {
        let run = try await CLIBinary.runDetached(["node", "bootstrap", "--join", "10.0.0.1:2377", "--dry-run"])
        #expect(run.status != 0 && run.stderr.contains("--token-file"), "\(run.stderr)")
    }
}
