import Foundation
import SprocketCore
import SprocketTestSupport

/// What the detector reads from the engine (observation plus task counts), seeded from a deployed stack and then
/// tampered with the way a person at the `docker` CLI, or Swarm itself, would.
struct LiveCluster: Sendable {
    var observed: ObservedState
    var status: [ServiceStatusReport]

    /// The cluster after `stacks` were applied one after the other, every replica running.
    init(running stacks: StackSpec..., secrets: [[String: String]] = []) {
        let driver = RecordingClusterDriver()
        for (index, stack) in stacks.enumerated() {
            driver.seed(StackFixture.desired(stack, secrets: index < secrets.count ? secrets[index] : [:]))
        }
        observed = driver.snapshot(StackFixture.identity)
        status = observed.services.map { service in
            let replicas = service.definition.replicas ?? 1
            return ServiceStatusReport(
                layer: service.layer, name: service.name, dockerName: service.dockerName, image: service.definition.image,
                mode: service.definition.mode, desiredTasks: replicas, runningTasks: replicas, updateState: nil, restarts: 0,
                lastError: nil)
        }
    }

    /// Changes the live service with this logical name.
    mutating func editService(_ name: String, _ change: (inout ObservedService) -> Void) {
        for index in observed.services.indices where observed.services[index].name == name {
            change(&observed.services[index])
        }
    }

    /// Sets the task counts Swarm reports for a service.
    mutating func tasks(of name: String, running: Int, desired: Int) {
        for index in status.indices where status[index].name == name {
            status[index].runningTasks = running
            status[index].desiredTasks = desired
        }
    }

    /// Removes a service (and its task counts) as `docker service rm` would.
    mutating func removeService(_ name: String) {
        observed.services.removeAll { $0.name == name }
        status.removeAll { $0.name == name }
    }

    /// Removes a network, volume, config or secret by logical name.
    mutating func removeObject(_ kind: ResourceKind, _ name: String) {
        switch kind {
        case .network: observed.networks.removeAll { $0.name == name }
        case .volume: observed.volumes.removeAll { $0.name == name }
        case .config: observed.configs.removeAll { $0.name == name }
        case .secret: observed.secrets.removeAll { $0.name == name }
        case .service: removeService(name)
        }
    }

    /// Adds an object carrying this stack environment's labels (as `docker config create --label ...` would).
    mutating func addObject(_ kind: ResourceKind, _ name: String, layer: String) {
        let object = ObservedObject(
            kind: kind, id: "hand-\(name)", dockerName: StackFixture.identity.objectName(name), layer: layer, name: name,
            specHash: nil)
        switch kind {
        case .network: observed.networks.append(object)
        case .volume: observed.volumes.append(object)
        case .config: observed.configs.append(object)
        case .secret: observed.secrets.append(object)
        case .service:
            observed.services.append(ObservedService(
                id: "hand-\(name)", dockerName: object.dockerName, layer: layer, name: name, specHash: nil, version: 1,
                definition: ServiceDefinition(image: "busybox:1")))
        }
    }
}

/// A recorded run of `desired` with the given outcome, as `up` writes it.
func recordedRun(_ desired: DesiredState, id: String, outcome: RunRecord.Outcome = .succeeded) -> RunRecord {
    RunRecord(
        id: id, command: "up", startedAt: Date(timeIntervalSince1970: 1_800_000_000), outcome: outcome, changes: [],
        snapshot: SpecSnapshot(desired))
}
