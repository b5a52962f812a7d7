import ArgumentParser
import DockerEngine
import Foundation
import SprocketCore

/// `sprocketctl node`: prepare the machine the stack runs on.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Prepare a node: swarm init or join, labels, directories, daemon log limits, preflight checks.",
        subcommands: [NodeBootstrapCommand.self, NodeCheckCommand.self])
}

/// The options `node bootstrap` and `node check` share.
struct NodeOptions: ParsableArguments {
    @Option(name: .customLong("join"), help: "Join the swarm of this manager (host:2377) instead of initialising one.")
    var join: String?

    @Option(name: .customLong("token-file"), help: "File holding the join token (with --join); never pass a token on the command line.")
    var tokenFile: String?

    @Option(name: .customLong("advertise-addr"), help: "The address other nodes reach this one on (default: Docker's choice).")
    var advertiseAddress: String?

    @Option(name: .customLong("label"), help: "A node label to keep set, e.g. role=storage (repeatable).")
    var labels: [String] = []

    @Option(name: .customLong("daemon-json"), help: "Docker's daemon.json (default /etc/docker/daemon.json).")
    var daemonJSON = "/etc/docker/daemon.json"

    @Option(name: .customLong("log-max-size"), help: "log-opts max-size for json-file logs.")
    var logMaxSize = "10m"

    @Option(name: .customLong("log-max-file"), help: "log-opts max-file for json-file logs.")
    var logMaxFile = 3

    @Option(name: .customLong("check-port"), help: "A port that must be free for Traefik (repeatable; default 80 and 443).")
    var ports: [Int] = []

    @Option(name: .customLong("min-free-gib"), help: "Least free space on Docker's data root, in GiB.")
    var minimumFreeGiB = 5

    func membership() throws -> NodeBootstrapper.Membership {
        switch (join, tokenFile) {
        case (let address?, let file?): return .join(address: address, tokenFile: file, advertiseAddress: advertiseAddress)
        case (nil, nil): return .initialise(advertiseAddress: advertiseAddress)
        case (_?, nil): throw ValidationError("--join needs --token-file (the token is read from a file, never from the command line)")
        case (nil, _?): throw ValidationError("--token-file is only used with --join")
        }
    }

    func parsedLabels() throws -> [String: String] {
        try Dictionary(labels.map { text in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--label \(text): expected key=value, e.g. role=storage")
            }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }, uniquingKeysWith: { _, last in last })
    }
}

/// Runs the preflight checks and the bootstrap steps, shared by `bootstrap` (which changes the node) and `check`.
enum NodeRun {
    struct Output: Encodable {
        var preflight: [NodePreflight.Finding]
        var steps: [NodeBootstrapper.Step]
        var changed: Bool
        var dryRun: Bool
    }

    static func run(_ runtime: CommandRuntime, _ node: NodeOptions, dryRun: Bool, stopOnFailedPreflight: Bool) async throws -> Output {
        let membership = try node.membership()
        let labels = try node.parsedLabels()
        let directories = try specDirectories(runtime)
        let client = DockerClient(endpoint: try DockerEndpoint.fromEnvironment(runtime.environment), logger: runtime.logger)
        do {
            let output = try await runSteps(
                runtime, node, client: client, membership: membership, labels: labels, directories: directories, dryRun: dryRun,
                stopOnFailedPreflight: stopOnFailedPreflight)
            try? await client.shutdown()
            return output
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func runSteps(
        _ runtime: CommandRuntime, _ node: NodeOptions, client: DockerClient, membership: NodeBootstrapper.Membership,
        labels: [String: String], directories: [String], dryRun: Bool, stopOnFailedPreflight: Bool
    ) async throws -> Output {
        let info: SystemInfo
        do {
            info = try await client.info()
        } catch let error as DockerClientError {
            throw SprocketError(.engineUnreachable, "\(error)", subject: client.endpoint.description,
                                hint: "start dockerd (`systemctl start docker`) or point DOCKER_HOST at it")
        }
        let version = try await client.version()
        let preflight = NodePreflight()
        let inSwarm = (info.swarm?.localNodeState ?? "inactive") != "inactive"
        var findings = [preflight.dockerVersion(version.version ?? info.serverVersion)]
        for port in node.ports.isEmpty ? [80, 443] : node.ports {
            var finding = preflight.portFree(port)
            // In a swarm that runs the stack, its own Traefik holds the ports: not a reason to stop.
            if inSwarm, finding.status == .failed {
                finding.status = .warning
                finding.hint = "fine if the stack's Traefik publishes it; otherwise stop what listens there"
            }
            findings.append(finding)
        }
        findings.append(preflight.diskSpace(at: info.dockerRootDir ?? "/var/lib/docker", minimumBytes: UInt64(node.minimumFreeGiB) << 30))
        findings.append(preflight.ipvs())
        if stopOnFailedPreflight, !dryRun, findings.contains(where: { $0.status == .failed }) {
            return Output(preflight: findings, steps: [], changed: false, dryRun: dryRun)
        }
        let steps = try await NodeBootstrapper(
            client: client, membership: membership, labels: labels, directories: directories, daemonJSONPath: node.daemonJSON,
            logRotation: DaemonLogRotation(maxSize: node.logMaxSize, maxFile: node.logMaxFile), dryRun: dryRun
        ).run()
        return Output(preflight: findings, steps: steps, changed: steps.contains(where: \.changed), dryRun: dryRun)
    }

    /// The bind-mount folders of the spec, when one is given (`-f`) or found in the current folder; none otherwise.
    private static func specDirectories(_ runtime: CommandRuntime) throws -> [String] {
        let here = FileManager.default.currentDirectoryPath
        guard runtime.options.file != nil || ["stack.yaml", "stack.yml"].contains(where: { FileManager.default.fileExists(atPath: "\(here)/\($0)") })
        else { return [] }
        return HostDirectories.required(by: try runtime.loadSpec())
    }

    static func print(_ output: Output, _ runtime: CommandRuntime) {
        if runtime.options.json {
            runtime.console.json(output)
            return
        }
        for finding in output.preflight {
            runtime.console.out("\(finding.status.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(finding.check): \(finding.detail)")
            if let hint = finding.hint, finding.status != .ok { runtime.console.out("        hint: \(hint)") }
        }
        if output.steps.isEmpty, output.preflight.contains(where: { $0.status == .failed }) {
            runtime.console.out("preflight failed: nothing was changed")
            return
        }
        for step in output.steps {
            let mark = step.changed ? (output.dryRun ? "change " : "changed") : "ok     "
            runtime.console.out("\(mark) \(step.step): \(step.detail)")
        }
        if !output.changed {
            runtime.console.out("no change: the node is already bootstrapped")
        } else if output.dryRun {
            runtime.console.out("dry run: nothing was changed")
        }
    }
}

struct NodeBootstrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap", abstract: "Bring this node to what the stack needs (idempotent; --dry-run shows what it would do).",
        discussion: """
            Preflight (Docker ≥ 20.10, ports 80/443 free, disk space on the data root, IPVS), then: swarm init (or join \
            with --join ADDR --token-file PATH), node labels (--label role=storage), the host folders the spec's bind \
            mounts need (mode 0750), and log rotation in daemon.json (only when absent or different; dockerd must then \
            be restarted). A failed preflight changes nothing.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var node: NodeOptions

    @Flag(name: .customLong("dry-run"), help: "Print what would change, change nothing.")
    var dryRun = false

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let output = try await NodeRun.run(runtime, node, dryRun: dryRun, stopOnFailedPreflight: true)
            NodeRun.print(output, runtime)
            if output.steps.isEmpty, output.preflight.contains(where: { $0.status == .failed }) { throw ExitCode(ExitStatus.failure) }
        }
    }
}

struct NodeCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Run the preflight checks and show what `node bootstrap` would change (changes nothing).",
        discussion: "Exit status 1 when a check fails, 2 when bootstrap would change something, 0 otherwise.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let output = try await NodeRun.run(runtime, node, dryRun: true, stopOnFailedPreflight: false)
            NodeRun.print(output, runtime)
            if output.preflight.contains(where: { $0.status == .failed }) { throw ExitCode(ExitStatus.failure) }
            if output.changed { throw ExitCode(ExitStatus.changesPresent) }
        }
    }
}
