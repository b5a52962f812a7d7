import Foundation
import Logging
import SprocketCore
import Synchronization

/// The ``ClusterDriver`` for Docker Swarm, over the Engine API client.
///
/// Reads are one list call per kind; name/ID tables from the last observation (plus the objects this run
/// created) translate between the core's names and the IDs Docker uses inside service specs.
public final class DockerClusterDriver: ClusterDriver {
    public let client: DockerClient
    /// Whether convergence waits follow Docker's event stream (else they poll); see ``DockerActivityFeed``.
    public let followsEngineEvents: Bool
    let names = Mutex(NameTables())
    let sightings = Mutex(TaskSightings())

    struct NameTables {
        var networks: [(name: String, id: String)] = []
        var secrets: [(name: String, id: String)] = []
        var configs: [(name: String, id: String)] = []
        var serviceIDs: [String: String] = [:]
    }

    /// What this process has seen of running tasks, for ``TaskStability``.
    struct TaskSightings {
        /// When this process first saw each task running.
        var firstSeenRunning: [String: Date] = [:]
        /// Tasks whose container this node showed running once the task had run long enough.
        var confirmedOnThisNode: Set<String> = []
        /// The swarm node ID of the daemon (empty when it is not in a swarm), once read.
        var localNodeID: String?

        /// Notes the tasks seen running now, forgets sightings older than an hour, and returns the first sightings.
        mutating func recordRunning(_ taskIDs: [String], now: Date) -> [String: Date] {
            firstSeenRunning = firstSeenRunning.filter { now.timeIntervalSince($0.value) < 3_600 }
            for id in taskIDs where firstSeenRunning[id] == nil { firstSeenRunning[id] = now }
            return firstSeenRunning
        }
    }

    /// Credentials of private registries, sent with every service create and update (`X-Registry-Auth`) so that
    /// every node can pull the image, as `docker stack deploy --with-registry-auth` does; nil sends none.
    public let registryCredentials: RegistryCredentialStore?

    public init(client: DockerClient, followsEngineEvents: Bool = true, registryCredentials: RegistryCredentialStore? = nil) {
        self.client = client
        self.followsEngineEvents = followsEngineEvents
        self.registryCredentials = registryCredentials
    }

    /// The `X-Registry-Auth` value for `image`'s registry, when credentials for it are known. A store that cannot
    /// answer (a credential helper) sends none: the node's pull error then names the image and the registry.
    func registryAuth(for image: String?) -> String? {
        guard let registryCredentials, let image, let reference = ImageReference(image),
            let credential = try? registryCredentials.credential(for: reference.registry)
        else { return nil }
        return credential.engineHeader(serverAddress: reference.registry)
    }

    public func activityFeed(for serviceNames: [String]) async -> (any ClusterActivityFeed)? {
        guard followsEngineEvents else { return nil }
        return DockerActivityFeed(client: client, serviceNames: serviceNames)
    }

    var translator: ServiceSpecTranslator {
        names.withLock { ServiceSpecTranslator(networks: $0.networks, secrets: $0.secrets, configs: $0.configs) }
    }

    public func observe(_ identity: StackIdentity) async throws -> ObservedState {
        let owned = DockerFilters.label(OwnershipLabel.stack, identity.stack).label(OwnershipLabel.environment, identity.environment)
        async let networksCall = call("list networks") { try await self.client.listNetworks() }
        async let volumesCall = call("list volumes") { try await self.client.listVolumes(filters: owned) }
        async let secretsCall = call("list secrets") { try await self.client.listSecrets() }
        async let configsCall = call("list configs") { try await self.client.listConfigs() }
        async let servicesCall = call("list services") { try await self.client.listServices(filters: owned, status: true) }
        let (networks, volumes, secrets, configs, services) = try await (networksCall, volumesCall, secretsCall, configsCall, servicesCall)
        let exhausted = try await restartsExhausted(among: services)
        names.withLock { tables in
            tables.networks = networks.compactMap { network in network.name.map { ($0, network.id) } }
            tables.secrets = secrets.compactMap { secret in secret.spec?.name.map { ($0, secret.id) } }
            tables.configs = configs.compactMap { config in config.spec?.name.map { ($0, config.id) } }
            for service in services { if let name = service.spec?.name { tables.serviceIDs[name] = service.id } }
        }
        let translator = self.translator
        func isOwned(_ labels: [String: String]?) -> Bool {
            labels?[OwnershipLabel.stack] == identity.stack && labels?[OwnershipLabel.environment] == identity.environment
        }
        return ObservedState(
            identity: identity,
            networks: networks.filter { isOwned($0.labels) }.map(observedNetwork),
            volumes: (volumes.volumes ?? []).filter { isOwned($0.labels) }.map(observedVolume),
            configs: configs.filter { isOwned($0.spec?.labels) }.map {
                observedObject(.config, id: $0.id, name: $0.spec?.name, labels: $0.spec?.labels)
            },
            secrets: secrets.filter { isOwned($0.spec?.labels) }.map {
                observedObject(.secret, id: $0.id, name: $0.spec?.name, labels: $0.spec?.labels)
            },
            services: services.map { service in
                var observed = observedService(service, translator: translator)
                observed.restartsExhausted = exhausted[service.id]
                return observed
            }
        )
    }

    /// Services Swarm has given up restarting (see ``RestartExhaustion``), by service ID, with the reason. Lists
    /// tasks only when a service with limited restart attempts runs fewer tasks than it should (usually never).
    private func restartsExhausted(among services: [Service]) async throws -> [String: String] {
        let suspects = services.filter(RestartExhaustion.isPossible(for:))
        guard !suspects.isEmpty else { return [:] }
        let tasks = try await call("list tasks") { try await self.client.listTasks(filters: DockerFilters(["service": suspects.map(\.id)])) }
        let byService = Dictionary(grouping: tasks) { $0.serviceID ?? "" }
        var reasons: [String: String] = [:]
        for service in suspects {
            reasons[service.id] = RestartExhaustion.reason(for: service, tasks: byService[service.id] ?? [])
        }
        return reasons
    }

    private func observedNetwork(_ network: NetworkResource) -> ObservedObject {
        var options = network.options ?? [:]
        // Docker adds the VXLAN IDs it allocated to overlay networks; they are not part of what the spec asks for.
        options["com.docker.network.driver.overlay.vxlanid_list"] = nil
        let labels = network.labels ?? [:]
        // Right after creation an overlay network can report an empty driver for a moment; only overlay networks
        // have swarm scope, so read that as overlay instead of reporting a change that would block the run.
        var driver = network.driver ?? ""
        if driver.isEmpty && network.scope == "swarm" { driver = "overlay" }
        return ObservedObject(
            kind: .network, id: network.id, dockerName: network.name ?? network.id,
            layer: labels[OwnershipLabel.layer] ?? "", name: labels[OwnershipLabel.name] ?? "",
            specHash: labels[OwnershipLabel.specHash],
            attributes: ObjectAttributes.network(
                driver: driver, attachable: network.attachable ?? false, isInternal: network.internal ?? false,
                options: options, labels: labels))
    }

    private func observedVolume(_ volume: Volume) -> ObservedObject {
        let labels = volume.labels ?? [:]
        return ObservedObject(
            kind: .volume, id: volume.name, dockerName: volume.name, layer: labels[OwnershipLabel.layer] ?? "",
            name: labels[OwnershipLabel.name] ?? "", specHash: labels[OwnershipLabel.specHash],
            attributes: ObjectAttributes.volume(driver: volume.driver ?? "local", options: volume.options ?? [:], labels: labels))
    }

    private func observedObject(_ kind: ResourceKind, id: String, name: String?, labels: [String: String]?) -> ObservedObject {
        let labels = labels ?? [:]
        return ObservedObject(
            kind: kind, id: id, dockerName: name ?? id, layer: labels[OwnershipLabel.layer] ?? "",
            name: labels[OwnershipLabel.name] ?? "", specHash: labels[OwnershipLabel.specHash])
    }

    private func observedService(_ service: Service, translator: ServiceSpecTranslator) -> ObservedService {
        let labels = service.spec?.labels ?? [:]
        let previous = service.previousSpec.map { translator.definition(of: $0).referencedObjectNames } ?? []
        return ObservedService(
            id: service.id, dockerName: service.spec?.name ?? service.id, layer: labels[OwnershipLabel.layer] ?? "",
            name: labels[OwnershipLabel.name] ?? "", specHash: labels[OwnershipLabel.specHash],
            version: service.version?.index ?? 0,
            definition: service.spec.map { translator.definition(of: $0) } ?? ServiceDefinition(image: ""),
            previousReferences: previous, updateState: service.updateStatus?.state,
            updateMessage: service.updateStatus?.message,
            engineSpec: service.spec.flatMap { try? Array(JSONEncoder().encode($0)) })
    }

    /// Runs one engine call, turning its error into one that names the operation and says what to do.
    func call<T: Sendable>(_ what: String, subject: String? = nil, _ body: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DockerClientError {
            throw DockerErrorTranslation.sprocketError(error, operation: what, subject: subject, endpoint: client.endpoint)
        }
    }
}
