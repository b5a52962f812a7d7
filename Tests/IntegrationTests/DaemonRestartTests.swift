import Foundation
import SprocketTestSupport
import Testing

/// dockerd restarted in the middle of a deploy, on a private daemon of the test's own (restarting the shared one
/// would break every other test running at the same time).
@Suite("dockerd restarted mid-deploy")
struct DaemonRestartTests {
    /// Two layers; the daemon is stopped as soon as `base`'s service exists. Its task waits for a node label that
    /// the test adds only after the restart, so the run is certainly still waiting for `base` when the daemon goes
    /// away (the scheduler's "no suitable node" becomes a failure only after 10 s; a service that simply ran could
    /// converge before a loaded machine had stopped the daemon). No healthcheck: `docker exec` into a task of a
    /// dockerd that runs inside a network namespace entered with nsenter fails after its restart (runc setns).
    static let stack = """
        stack: it-restart
        environments:
          local: {}
        layers: [base, top]
        """
    static let base = """
        services:
          slow:
            image: \(DockerTestImages.busybox)
            command: ["sleep", "3600"]
            stop_grace_period: 1s
            deploy:
              endpoint_mode: dnsrr
              placement:
                constraints: [node.labels.restart-test == ready]
        """
    static let top = """
        needs: [base]
        services:
          after:
            image: \(DockerTestImages.busybox)
            command: ["sleep", "3600"]
            stop_grace_period: 1s
            deploy:
              endpoint_mode: dnsrr
        """

    @Test("the run stops with an error naming the daemon, state stays consistent, and the next up converges")
    func restartMidDeploy() async throws {
        try await DockerTestImages.ensureBusybox()
        let daemon = PrivateDockerDaemon()
        let folder = try TemporaryDirectory(prefix: "sprocket-restart")
        defer { folder.remove() }
        do {
            try await daemon.startWithSwarm(images: [DockerTestImages.busybox])
            try folder.write("stack.yaml", Self.stack)
            try folder.write("base.yaml", Self.base)
            try folder.write("top.yaml", Self.top)
            let environment = [
                "DOCKER_HOST": daemon.dockerHost,
                "SPROCKET_STATE_DIR": "\(folder.path)/state",
                "SPROCKET_KEY_FILE": "\(folder.path)/secrets.key",
            ]
            let arguments = ["-f", folder.path, "--env", "local"]

            async let interrupted = CLIBinary.runDetached(["up", "--yes"] + arguments, environment: environment)
            // Restart once the first layer's service exists: the run then waits for a node to place it on.
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, !(try await Self.serviceNames(daemon).contains("it-restart-local_slow")) {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await daemon.stop()
            let firstRun = try await interrupted
            try await daemon.start()

            #expect(firstRun.status == 5, "exit status \(firstRun.status)\n\(firstRun.stderr)")
            #expect(firstRun.stderr.contains(daemon.socketPath), "the error does not name the daemon:\n\(firstRun.stderr)")
            #expect(firstRun.stderr.contains("nothing was rolled back"), "\(firstRun.stderr)")

            // The state on disk is whole: it exports, and history has the run with an outcome.
            let export = try await CLIBinary.runDetached(["state", "export"] + arguments, environment: environment)
            #expect(export.status == 0, "\(export.stderr)")
            let history = try await CLIBinary.runDetached(["history", "--json"] + arguments, environment: environment)
            #expect(history.status == 0 && history.stdout.contains("failed"), "\(history.stdout)\(history.stderr)")

            // A swarm manager needs a moment after a restart before it accepts writes; `up` must then converge.
            try await Self.waitForSwarm(daemon)
            let node = try await daemon.docker(["node", "ls", "-q"]).trimmingCharacters(in: .whitespacesAndNewlines)
            _ = try await daemon.docker(["node", "update", "--label-add", "restart-test=ready", node])
            let retry = try await CLIBinary.runDetached(["up", "--yes"] + arguments, environment: environment)
            #expect(retry.status == 0, "\(retry.stdout)\(retry.stderr)\n--- dockerd log:\n\(daemon.logTail())")
            #expect(try await Self.serviceNames(daemon).sorted() == ["it-restart-local_after", "it-restart-local_slow"])
            let plan = try await CLIBinary.runDetached(["plan", "--detailed-exitcode"] + arguments, environment: environment)
            #expect(plan.status == 0, "a converged stack still plans changes:\n\(plan.stdout)")
        } catch {
            await daemon.destroy()
            throw error
        }
        await daemon.destroy()
    }

    static func serviceNames(_ daemon: PrivateDockerDaemon) async throws -> [String] {
        let run = try await daemon.docker(["service", "ls", "--format", "{{.Name}}"])
        return run.split(separator: "\n").map(String.init)
    }

    static func waitForSwarm(_ daemon: PrivateDockerDaemon) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? await daemon.docker(["node", "ls", "-q"]))?.isEmpty == false { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("the private swarm did not come back within 60 s:\n\(daemon.logTail())")
    }
}
