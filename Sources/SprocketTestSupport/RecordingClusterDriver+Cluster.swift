import SprocketCore

/// The engine's state and how desired and stored objects convert into each other, as ``RecordingClusterDriver``
/// keeps them.
extension RecordingClusterDriver {
    /// What the in-memory engine holds, and what the driver recorded of its calls and scripts. One value behind
    /// the driver's lock, so every call sees and changes it atomically.
    struct Cluster {
        var objects: [ResourceKind: [String: StoredObject]] = [:]
        var services: [String: StoredService] = [:]
        var nextID = 1
        var calls: [String] = []
        var inFlight = 0
        var maxInFlight = 0
        var scriptedFailures: [String: String] = [:]
        var convergence: [String: ConvergenceScript] = [:]
        var polls: [String: Int] = [:]
        var diagnoses: [String: ServiceDiagnosis] = [:]

        mutating func makeID(_ prefix: String) -> String {
            defer { nextID += 1 }
            return "\(prefix)\(nextID)"
        }

        func allObjects(_ kind: ResourceKind) -> [StoredObject] {
            (objects[kind] ?? [:]).values.sorted { $0.dockerName < $1.dockerName }
        }

        func object(_ kind: ResourceKind, _ dockerName: String) -> StoredObject? { objects[kind]?[dockerName] }

        mutating func store(_ object: StoredObject) { objects[object.kind, default: [:]][object.dockerName] = object }

        /// Services whose current spec uses the object (Swarm ignores previous specs when removing).
        func users(of kind: ResourceKind, _ dockerName: String) -> [String] {
            services.values.filter { service in
                let definition = service.definition
                switch kind {
                case .network: return definition.networks.contains { $0.network == dockerName }
                case .volume: return definition.mounts.contains { $0.type == "volume" && $0.source == dockerName }
                case .config: return definition.configs.contains { $0.objectName == dockerName }
                case .secret: return definition.secrets.contains { $0.objectName == dockerName }
                case .service: return false
                }
            }.map(\.dockerName).sorted()
        }
    }

    static func checkReferences(of service: DesiredService, in cluster: Cluster) throws {
        let definition = service.definition
        let missing =
            definition.networks.map(\.network).filter { cluster.object(.network, $0) == nil }.map { "network \($0)" }
            + definition.secrets.map(\.objectName).filter { cluster.object(.secret, $0) == nil }.map { "secret \($0)" }
            + definition.configs.map(\.objectName).filter { cluster.object(.config, $0) == nil }.map { "config \($0)" }
        if let first = missing.first {
            throw engineError(.engine, "create service", service.dockerName, "\(first) not found")
        }
    }

    static func insert(_ network: DesiredNetwork, into cluster: inout Cluster) {
        guard cluster.object(.network, network.dockerName) == nil else { return }
        cluster.store(StoredObject(
            kind: .network, id: cluster.makeID("net-"), dockerName: network.dockerName, labels: network.labels, specHash: network.specHash,
            driver: network.driver, attachable: network.attachable, isInternal: network.isInternal, options: network.options))
    }

    static func insert(_ volume: DesiredVolume, into cluster: inout Cluster) {
        guard cluster.object(.volume, volume.dockerName) == nil else { return }
        cluster.store(StoredObject(
            kind: .volume, id: volume.dockerName, dockerName: volume.dockerName, labels: volume.labels, specHash: volume.specHash,
            driver: volume.driver, options: volume.options))
    }

    static func insert(_ object: DesiredObject, into cluster: inout Cluster) {
        cluster.store(StoredObject(
            kind: object.kind, id: cluster.makeID(object.kind.rawValue + "-"), dockerName: object.dockerName, labels: object.labels,
            specHash: object.contentSuffix, content: object.content?.bytes))
    }

    static func insert(_ service: DesiredService, into cluster: inout Cluster) {
        cluster.services[service.dockerName] = StoredService(
            id: cluster.makeID("svc-"), dockerName: service.dockerName, labels: labels(of: service), version: 1,
            definition: service.definition, previousDefinition: nil, updateState: nil)
    }

    static func update(_ stored: StoredService, to service: DesiredService, in cluster: inout Cluster) {
        var updated = stored
        updated.previousDefinition = stored.definition
        updated.definition = service.definition
        updated.labels = labels(of: service)
        updated.version += 1
        updated.updateState = "completed"
        cluster.services[service.dockerName] = updated
    }

    static func labels(of service: DesiredService) -> [String: String] {
        var labels = service.definition.serviceLabels
        labels[OwnershipLabel.specHash] = service.specHash
        return labels
    }

    static func observedObject(_ object: StoredObject) -> ObservedObject {
        let attributes: [String: String] =
            switch object.kind {
            case .network:
                ObjectAttributes.network(
                    driver: object.driver, attachable: object.attachable, isInternal: object.isInternal, options: object.options,
                    labels: object.labels)
            case .volume: ObjectAttributes.volume(driver: object.driver, options: object.options, labels: object.labels)
            default: [:]
            }
        return ObservedObject(
            kind: object.kind, id: object.id, dockerName: object.dockerName, layer: object.labels[OwnershipLabel.layer] ?? "",
            name: object.labels[OwnershipLabel.name] ?? "", specHash: object.labels[OwnershipLabel.specHash], attributes: attributes)
    }

    static func observedService(_ service: StoredService) -> ObservedService {
        ObservedService(
            id: service.id, dockerName: service.dockerName, layer: service.labels[OwnershipLabel.layer] ?? "",
            name: service.labels[OwnershipLabel.name] ?? "", specHash: service.labels[OwnershipLabel.specHash],
            version: service.version, definition: service.definition,
            previousReferences: service.previousDefinition?.referencedObjectNames ?? [], updateState: service.updateState)
    }
}
