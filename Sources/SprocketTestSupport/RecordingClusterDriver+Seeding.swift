import SprocketCore

/// Putting a cluster in place without recording calls, and reading it as ``observe`` would.
extension RecordingClusterDriver {
    /// Makes the cluster hold `desired` as if a run had applied it: missing objects are created and services are
    /// created or updated when their definition differs (an update keeps the former spec as the previous one).
    /// Nothing is removed.
    public func seed(_ desired: DesiredState) {
        cluster.withLock { cluster in
            for layer in desired.layers {
                for network in layer.networks where !network.isExternal { Self.insert(network, into: &cluster) }
                for volume in layer.volumes where !volume.isExternal { Self.insert(volume, into: &cluster) }
                for object in layer.configs + layer.secrets where !object.isExternal && cluster.object(object.kind, object.dockerName) == nil {
                    Self.insert(object, into: &cluster)
                }
                for service in layer.services {
                    if let current = cluster.services[service.dockerName] {
                        if current.definition != service.definition { Self.update(current, to: service, in: &cluster) }
                    } else {
                        Self.insert(service, into: &cluster)
                    }
                }
            }
        }
    }

    /// Adds a network, volume, config or secret with these labels (e.g. an external one, or another stack's).
    public func seedObject(_ kind: ResourceKind, dockerName: String, labels: [String: String] = [:], driver: String = "overlay") {
        cluster.withLock { cluster in
            let id = kind == .volume ? dockerName : cluster.makeID(kind.rawValue + "-")
            cluster.store(StoredObject(
                kind: kind, id: id, dockerName: dockerName, labels: labels, driver: driver,
                content: kind == .config || kind == .secret ? [] : nil))
        }
    }

    /// Adds a service that is not the stack's (no ownership labels unless given), e.g. one that mounts a secret.
    public func seedService(dockerName: String, definition: ServiceDefinition, labels: [String: String] = [:]) {
        cluster.withLock { cluster in
            let id = cluster.makeID("svc-")
            cluster.services[dockerName] = StoredService(
                id: id, dockerName: dockerName, labels: labels, version: 1, definition: definition, previousDefinition: nil,
                updateState: nil)
        }
    }

    /// What `observe` would return, without recording a call.
    public func snapshot(_ identity: StackIdentity) -> ObservedState {
        cluster.withLock { cluster in
            func isOwned(_ labels: [String: String]) -> Bool {
                labels[OwnershipLabel.stack] == identity.stack && labels[OwnershipLabel.environment] == identity.environment
            }
            func observed(_ kind: ResourceKind) -> [ObservedObject] {
                cluster.allObjects(kind).filter { isOwned($0.labels) }.map(Self.observedObject)
            }
            return ObservedState(
                identity: identity, networks: observed(.network), volumes: observed(.volume), configs: observed(.config),
                secrets: observed(.secret),
                services: cluster.services.values.filter { isOwned($0.labels) }.sorted { $0.dockerName < $1.dockerName }
                    .map(Self.observedService))
        }
    }
}
