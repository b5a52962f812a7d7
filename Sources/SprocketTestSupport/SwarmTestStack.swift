import DockerEngine
import Foundation
import Logging
import SprocketCore
import Synchronization

/// One integration test's stack on the shared swarm: its own spec folder, stack name (`it-...`), state folder,
/// key file and engine client. ``cleanUp()`` removes everything labelled with its stack name, on success and failure.
public final class SwarmTestStack: Sendable {
    public let stackName: String
    public let folder: TemporaryDirectory
    public let stateFolder: TemporaryDirectory
    public let client: DockerClient
    private let recorded = EventLog()

    public init(prefix: String) throws {
        stackName = "it-\(prefix)-\(uniqueSuffix())"
        folder = try TemporaryDirectory(prefix: "sprocket-spec")
        stateFolder = try TemporaryDirectory(prefix: "sprocket-state")
        var logger = Logger(label: "it")
        logger.logLevel = .warning
        client = DockerClient(endpoint: .unixSocket(path: DockerEndpoint.defaultSocketPath), logger: logger)
    }

    /// Writes a spec file; `{{stack}}` in the text becomes this test's stack name.
    public func write(_ relativePath: String, _ content: String) throws {
        try folder.write(relativePath, content.replacingOccurrences(of: "{{stack}}", with: stackName))
    }

    public var keyFile: String { "\(stateFolder.path)/secrets.key" }

    /// Runs the built `sprocketctl` on this stack's folder (`-f`), with its own state directory and key file on
    /// top of `environment`.
    public func sprocketctl(_ arguments: [String], environment: [String: String] = [:], stateName: String = "default") async throws -> CLIRun {
        try await CLIBinary.runDetached(
            arguments + ["-f", folder.path],
            environment: environment.merging([
                "SPROCKET_STATE_DIR": "\(stateFolder.path)/\(stackName)/\(stateName)", "SPROCKET_KEY_FILE": keyFile,
            ]) { $1 })
    }

    public func load(environment: String?, processEnvironment: [String: String] = [:]) throws -> StackSpec {
        try SpecLoader(processEnvironment: processEnvironment).load(path: folder.path, environment: environment)
    }

    public func deployment(processEnvironment: [String: String] = [:]) -> Deployment {
        let driver = DockerClusterDriver(client: client)
        let context = DeploymentContext(
            processEnvironment: processEnvironment,
            stateRoot: stateFolder.path,
            keyFilePath: keyFile,
            gate: CheckGate(runner: CheckRunner(probe: DockerCheckProbe(client: client))),
            events: { [recorded] event in recorded.append(event) },
            driver: { driver }
        )
        return Deployment(context: context)
    }

    public var events: [ApplyEvent] { recorded.all }

    /// Loads and deploys; returns the result.
    @discardableResult
    public func up(environment: String?, processEnvironment: [String: String] = [:]) async throws -> Deployment.Result {
        let stack = try load(environment: environment, processEnvironment: processEnvironment)
        return try await deployment(processEnvironment: processEnvironment).up(stack, options: Planner.Options(), command: "up")
    }

    public func plan(environment: String?, processEnvironment: [String: String] = [:]) async throws -> Plan {
        let stack = try load(environment: environment, processEnvironment: processEnvironment)
        return try await deployment(processEnvironment: processEnvironment)
            .prepare(stack, options: Planner.Options(), offline: false).plan
    }

    /// Services of this stack (any environment), as the engine reports them.
    public func services(environment: String? = nil) async throws -> [Service] {
        var filters = DockerFilters.label(OwnershipLabel.stack, stackName)
        if let environment { filters = filters.label(OwnershipLabel.environment, environment) }
        return try await client.listServices(filters: filters, status: true)
    }

    public func secrets() async throws -> [SwarmSecret] {
        try await client.listSecrets(filters: .label(OwnershipLabel.stack, stackName))
    }

    public func configs() async throws -> [SwarmConfig] {
        try await client.listConfigs(filters: .label(OwnershipLabel.stack, stackName))
    }

    public func networks() async throws -> [NetworkResource] {
        try await client.listNetworks(filters: .label(OwnershipLabel.stack, stackName))
    }

    /// Removes every object labelled with this stack, whatever state a test left it in, then the folders.
    public func cleanUp() async {
        let filters = DockerFilters.label(OwnershipLabel.stack, stackName)
        let services = (try? await client.listServices(filters: filters)) ?? []
        for service in services { try? await client.removeService(service.id) }
        let deadline = ContinuousClock.now + .seconds(60)
        while !services.isEmpty, ContinuousClock.now < deadline {
            let ids = Set(services.map(\.id))
            let tasks = ((try? await client.listTasks()) ?? []).filter { ids.contains($0.serviceID ?? "") }
            if tasks.allSatisfy({ ["shutdown", "complete", "failed", "rejected"].contains($0.status?.state ?? "") }) { break }
            try? await Task.sleep(for: .milliseconds(300))
        }
        for secret in (try? await client.listSecrets(filters: filters)) ?? [] { try? await client.removeSecret(secret.id) }
        for config in (try? await client.listConfigs(filters: filters)) ?? [] { try? await client.removeConfig(config.id) }
        for _ in 0..<20 {
            let networks = (try? await client.listNetworks(filters: filters)) ?? []
            if networks.isEmpty { break }
            for network in networks { try? await client.removeNetwork(network.id) }
            try? await Task.sleep(for: .milliseconds(500))
        }
        // A task counts as shut down before Docker has removed its container, which still holds the volume for a
        // moment (the raft volume of an OpenBao service was left behind): retry as for networks.
        for _ in 0..<20 {
            let volumes = (try? await client.listVolumes(filters: filters))?.volumes ?? []
            if volumes.isEmpty { break }
            for volume in volumes { try? await client.removeVolume(volume.name, force: true) }
            try? await Task.sleep(for: .milliseconds(500))
        }
        try? await client.shutdown()
        folder.remove()
        stateFolder.remove()
    }

    /// Runs `body` and always cleans up afterwards, so a failing test leaves nothing on the shared swarm.
    public static func with(prefix: String, _ body: (SwarmTestStack) async throws -> Void) async throws {
        try await DockerTestImages.ensureBusybox()
        let stack = try SwarmTestStack(prefix: prefix)
        do {
            try await body(stack)
        } catch {
            await stack.cleanUp()
            throw error
        }
        await stack.cleanUp()
    }
}

/// Apply events collected from concurrent tasks.
public final class EventLog: Sendable {
    private let events = Mutex<[ApplyEvent]>([])

    public init() {}

    public func append(_ event: ApplyEvent) { events.withLock { $0.append(event) } }

    public var all: [ApplyEvent] { events.withLock { $0 } }
}
