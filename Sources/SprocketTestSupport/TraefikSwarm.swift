import DockerEngine
import Foundation
import Logging
import SprocketCore

/// A real Traefik (the image `SPROCKET_TEST_TRAEFIK_IMAGE`) running as a Swarm service on the test swarm, the way
/// production runs it: the Swarm provider over the Docker socket (bind-mounted read-only), its own attachable
/// overlay network, the static configuration sprocketctl generates for `stack` as a Docker config, and the `web`
/// and `websecure` entry points published in host mode on free ports.
///
/// The generated provider constraint makes it read only the services carrying `stack`'s ownership labels, so
/// suites running in parallel never route each other's services. ``start(stack:)`` throws (never skips) when the
/// image is missing or Traefik does not start; ``stop()`` removes everything it created.
public final class TraefikSwarm: Sendable {
    /// The stack whose static configuration Traefik runs (routing network, access profiles, constraint).
    public let stack: StackSpec
    /// The Docker name of the overlay network Traefik and the test's backends share.
    public let network: String
    /// The Docker name of Traefik's service.
    public let serviceName: String
    /// Host ports of the `web` (80) and `websecure` (443) entry points.
    public let httpPort: Int
    public let httpsPort: Int
    public let client: DockerClient
    /// The label every object created here carries, for ``stop()`` and for `scripts/test`'s sweep.
    public let testLabel: String

    /// The label `scripts/test` sweeps leftovers by (any value).
    public static let sweepLabel = "io.sprocket.test"

    private init(stack: StackSpec, network: String, serviceName: String, httpPort: Int, httpsPort: Int, client: DockerClient, testLabel: String) {
        self.stack = stack
        self.network = network
        self.serviceName = serviceName
        self.httpPort = httpPort
        self.httpsPort = httpsPort
        self.client = client
        self.testLabel = testLabel
    }

    /// The image named by `SPROCKET_TEST_TRAEFIK_IMAGE` (scripts/test builds it).
    public static func image(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let image = environment["SPROCKET_TEST_TRAEFIK_IMAGE"], !image.isEmpty else {
            throw TraefikSwarmError.noImage
        }
        return image
    }

    /// Starts Traefik for `stack` and waits until its `web` entry point answers.
    ///
    /// `stack.routing.network` must name the Docker network to create (tests use an undeclared name, which the
    /// compiler takes as the Docker name) and `stack.routing.socketProxy` is replaced by the socket itself.
    /// `files` are mounted into Traefik's container (as Docker configs), e.g. a basic-auth users file at
    /// `/run/secrets/<secret>`, where the compiled `basicauth.usersfile` label points. `environment` is Traefik's
    /// process environment, e.g. `LEGO_CA_CERTIFICATES` naming one of `files` so its ACME client trusts a test CA.
    public static func start(
        stack: StackSpec, files: [(target: String, content: String)] = [], extraServiceLabels: [String: String] = [:],
        environment: [String] = [], timeout: Duration = .seconds(90)
    ) async throws -> TraefikSwarm {
        let image = try image()
        var logger = Logger(label: "traefik-swarm")
        logger.logLevel = .warning
        let client = DockerClient(endpoint: .unixSocket(path: DockerEndpoint.defaultSocketPath), logger: logger)
        guard try await client.imageExists(image) else {
            try? await client.shutdown()
            throw TraefikSwarmError.imageMissing(image)
        }
        var stack = stack
        stack.routing.socketProxy = "unix:///var/run/docker.sock"
        guard let network = stack.ingressNetworkDockerName else {
            try? await client.shutdown()
            throw TraefikSwarmError.noNetwork
        }
        let testLabel = "traefik-\(stack.name)"
        let serviceName = "\(stack.name)-traefik"
        let (httpPort, httpsPort) = (try FreePort.loopbackTCP(), try FreePort.loopbackTCP())
        let traefik = TraefikSwarm(
            stack: stack, network: network, serviceName: serviceName, httpPort: httpPort, httpsPort: httpsPort, client: client,
            testLabel: testLabel)
        do {
            try await traefik.create(image: image, files: files, extraServiceLabels: extraServiceLabels, environment: environment)
            try await traefik.waitUntilServing(timeout: timeout)
        } catch {
            await traefik.stop()
            throw error
        }
        return traefik
    }

    private var labels: [String: String] { [Self.sweepLabel: testLabel] }

    private func create(
        image: String, files: [(target: String, content: String)], extraServiceLabels: [String: String], environment: [String]
    ) async throws {
        _ = try await client.createNetwork(NetworkCreateRequest(
            name: network, checkDuplicate: true, driver: "overlay", attachable: true, labels: labels))
        let text = TraefikStaticConfiguration(stack: stack).render()
        let configName = "\(serviceName)-static-\(TraefikStaticConfiguration(stack: stack).contentSuffix())"
        let configID = try await client.createConfig(SwarmConfigSpec(name: configName, labels: labels, content: Array(text.utf8)))
        var container = ContainerSpec(image: image, labels: labels, env: environment.isEmpty ? nil : environment)
        container.configs = [ContainerSpec.ConfigReference(
            file: ContainerSpec.FileTarget(name: "/etc/traefik/traefik.yml", uid: "0", gid: "0", mode: 0o444),
            configID: configID, configName: configName)]
        for (index, file) in files.enumerated() {
            let name = "\(serviceName)-file-\(index)-\(UInt32.random(in: .min ... .max))"
            let id = try await client.createConfig(SwarmConfigSpec(name: name, labels: labels, content: Array(file.content.utf8)))
            container.configs?.append(ContainerSpec.ConfigReference(
                file: ContainerSpec.FileTarget(name: file.target, uid: "0", gid: "0", mode: 0o444), configID: id, configName: name))
        }
        container.mounts = [ContainerSpec.Mount(
            target: "/var/run/docker.sock", source: DockerEndpoint.defaultSocketPath, type: "bind", readOnly: true)]
        container.stopGracePeriod = 1_000_000_000
        let spec = ServiceSpec(
            name: serviceName, labels: labels.merging(extraServiceLabels) { $1 },
            taskTemplate: TaskSpec(
                containerSpec: container, restartPolicy: TaskSpec.RestartPolicy(condition: "none"),
                networks: [TaskSpec.NetworkAttachment(target: network, aliases: ["traefik"])]),
            mode: ServiceSpec.Mode(replicated: .init(replicas: 1)),
            endpointSpec: ServiceSpec.EndpointSpec(mode: "dnsrr", ports: [
                ServiceSpec.PortConfig(protocol: "tcp", targetPort: 80, publishedPort: UInt32(httpPort), publishMode: "host"),
                ServiceSpec.PortConfig(protocol: "tcp", targetPort: 443, publishedPort: UInt32(httpsPort), publishMode: "host"),
            ]))
        _ = try await client.createService(spec)
    }

    /// Waits for the `web` entry point to answer HTTP (Traefik's 404 for an unknown host is an answer); a task that
    /// ended, or no answer in time, fails with the task's error and Traefik's last log lines.
    private func waitUntilServing(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if HTTPProbe.get(port: httpPort, path: "/", host: "127.0.0.1") != nil { return }
            let tasks = try await client.listTasks(filters: DockerFilters(["service": [serviceName]]))
            if let ended = tasks.first(where: { ["failed", "rejected", "complete", "shutdown"].contains($0.status?.state ?? "") }) {
                throw TraefikSwarmError.didNotStart(
                    "its task is \(ended.status?.state ?? "?"): \(ended.status?.err ?? "no error given")", logs: await logLines(tail: 30))
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw TraefikSwarmError.didNotStart("its web entry point (127.0.0.1:\(httpPort)) did not answer within \(timeout)", logs: await logLines(tail: 30))
    }

    /// Traefik's log, oldest first (its service's stdout and stderr).
    public func logLines(tail: Int? = nil) async -> [String] {
        ((try? await client.serviceLogs(serviceName, tail: tail, timeout: .seconds(20))) ?? []).map(\.text)
    }

    /// Creates a backend service on Traefik's network carrying `labels` plus the stack environment's ownership
    /// labels (what the provider constraint selects), in DNS round-robin mode (no IPVS here).
    @discardableResult
    public func deployBackend(
        name: String, image: String, command: [String]? = nil, labels: [String: String], configs: [(target: String, content: String)] = []
    ) async throws -> String {
        let dockerName = "\(stack.name)-\(stack.environment)_\(name)"
        let ownership = [OwnershipLabel.stack: stack.name, OwnershipLabel.environment: stack.environment]
        var container = ContainerSpec(image: image, labels: self.labels, command: command)
        var references: [ContainerSpec.ConfigReference] = []
        for (index, config) in configs.enumerated() {
            let configName = "\(dockerName)-\(index)-\(UInt32.random(in: .min ... .max))"
            let id = try await client.createConfig(SwarmConfigSpec(name: configName, labels: self.labels, content: Array(config.content.utf8)))
            references.append(ContainerSpec.ConfigReference(
                file: ContainerSpec.FileTarget(name: config.target, uid: "0", gid: "0", mode: 0o555), configID: id, configName: configName))
        }
        if !references.isEmpty { container.configs = references }
        container.stopGracePeriod = 1_000_000_000
        let spec = ServiceSpec(
            name: dockerName, labels: labels.merging(ownership) { $1 }.merging(self.labels) { $1 },
            taskTemplate: TaskSpec(containerSpec: container, networks: [TaskSpec.NetworkAttachment(target: network, aliases: [name])]),
            mode: ServiceSpec.Mode(replicated: .init(replicas: 1)),
            endpointSpec: ServiceSpec.EndpointSpec(mode: "dnsrr"))
        _ = try await client.createService(spec)
        return dockerName
    }

    /// Removes the services, configs and network created here (best effort), then closes the client.
    public func stop() async {
        let filters = DockerFilters.label(Self.sweepLabel, testLabel)
        let services = (try? await client.listServices(filters: filters)) ?? []
        for service in services { try? await client.removeService(service.id) }
        for attempt in 0..<60 {
            let remaining = ((try? await client.listConfigs(filters: filters)) ?? [])
            for config in remaining { try? await client.removeConfig(config.id) }
            let networks = (try? await client.listNetworks(filters: filters)) ?? []
            for network in networks { try? await client.removeNetwork(network.id) }
            if remaining.isEmpty && networks.isEmpty || attempt == 59 { break }
            try? await Task.sleep(for: .milliseconds(500))
        }
        try? await client.shutdown()
    }
}

/// Why a real Traefik could not be had for a test.
public enum TraefikSwarmError: Error, CustomStringConvertible {
    case noImage
    case imageMissing(String)
    case noNetwork
    case didNotStart(String, logs: [String])

    public var description: String {
        switch self {
        case .noImage:
            "SPROCKET_TEST_TRAEFIK_IMAGE is not set: run the tests through scripts/test, which builds sprocket-local/traefik"
        case .imageMissing(let image):
            "the Traefik image \(image) does not exist on this daemon: run scripts/build-images (scripts/test does)"
        case .noNetwork:
            "the test stack sets no routing.network: Traefik needs an overlay network to reach the backends"
        case .didNotStart(let reason, let logs):
            "real Traefik did not start: \(reason)\n" + logs.suffix(30).map { "    \($0)" }.joined(separator: "\n")
        }
    }
}
