import Foundation
import SprocketCore

extension DockerClusterDriver {
    public func createNetwork(_ network: DesiredNetwork) async throws {
        var labels = network.labels
        labels[OwnershipLabel.specHash] = network.specHash
        let request = NetworkCreateRequest(
            name: network.dockerName, checkDuplicate: true, driver: network.driver, internal: network.isInternal,
            attachable: network.attachable, options: network.options.nilIfEmpty, labels: labels)
        let response = try await call("create network", subject: network.dockerName) { try await self.client.createNetwork(request) }
        names.withLock { $0.networks.append((network.dockerName, response.id)) }
    }

    public func createVolume(_ volume: DesiredVolume) async throws {
        var labels = volume.labels
        labels[OwnershipLabel.specHash] = volume.specHash
        let request = VolumeCreateRequest(name: volume.dockerName, driver: volume.driver, driverOpts: volume.options.nilIfEmpty, labels: labels)
        _ = try await call("create volume", subject: volume.dockerName) { try await self.client.createVolume(request) }
    }

    public func createObject(_ object: DesiredObject) async throws {
        guard let content = object.content else {
            throw SprocketError(.secretUnavailable, "no content to create \(object.kind.rawValue) \(object.name) from", subject: object.dockerName)
        }
        var labels = object.labels
        labels[OwnershipLabel.specHash] = object.contentSuffix
        if object.kind == .secret {
            let spec = SwarmSecret.Spec(name: object.dockerName, labels: labels, value: content.bytes)
            let id = try await call("create secret", subject: object.dockerName) { try await self.client.createSecret(spec) }
            names.withLock { $0.secrets.append((object.dockerName, id)) }
        } else {
            let spec = SwarmConfig.Spec(name: object.dockerName, labels: labels, content: content.bytes)
            let id = try await call("create config", subject: object.dockerName) { try await self.client.createConfig(spec) }
            names.withLock { $0.configs.append((object.dockerName, id)) }
        }
    }

    public func createService(_ service: DesiredService) async throws {
        let spec = translator.spec(for: service)
        let auth = registryAuth(for: spec.taskTemplate?.containerSpec?.image)
        let response = try await call("create service", subject: service.dockerName) {
            try await self.client.createService(spec, registryAuth: auth)
        }
        names.withLock { $0.serviceIDs[service.dockerName] = response.id }
    }

    public func updateService(_ service: DesiredService, current: ObservedService) async throws {
        var spec = translator.spec(for: service)
        if current.restartsExhausted != nil {
            // Swarm starts tasks again only for a changed task spec: bump the counter meant for that.
            let running = current.engineSpec.flatMap { try? JSONDecoder().decode(ServiceSpec.self, from: Data($0)) }
            spec.taskTemplate?.forceUpdate = (running?.taskTemplate?.forceUpdate ?? 0) + 1
        }
        let finalSpec = spec
        let auth = registryAuth(for: spec.taskTemplate?.containerSpec?.image)
        _ = try await call("update service", subject: service.dockerName) {
            try await self.client.updateService(current.id, version: current.version, spec: finalSpec, registryAuth: auth)
        }
    }

    public func removeService(_ service: ObservedService) async throws {
        do {
            try await client.removeService(service.id)
        } catch let error as DockerClientError where error.isNotFound {
            return  // already gone: the goal is reached
        } catch let error as DockerClientError {
            throw DockerErrorTranslation.sprocketError(error, operation: "remove service", subject: service.dockerName, endpoint: client.endpoint)
        }
    }

    public func waitUntilRemoved(_ services: [ObservedService], timeout: Duration) async throws {
        let ids = services.map(\.id)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            // Filtering tasks by a removed service's ID is a 404, so list them all and filter here.
            let tasks = try await call("list tasks") { try await self.client.listTasks() }
            let live = tasks.filter { task in
                ids.contains(task.serviceID ?? "")
                    && !Self.finishedTaskStates.contains(task.status?.state ?? "")
            }
            if live.isEmpty { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw SprocketError(
            .convergence, "tasks of removed services are still running after \(timeout.goStyle)",
            subject: services.map(\.dockerName).joined(separator: ", "),
            hint: "check `docker service ps`; a task stuck in shutdown usually means its node is down")
    }

    public func removeObject(_ object: ObservedObject) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                switch object.kind {
                case .network: try await client.removeNetwork(object.id)
                case .volume: try await client.removeVolume(object.id)
                case .config: try await client.removeConfig(object.id)
                case .secret: try await client.removeSecret(object.id)
                case .service: try await client.removeService(object.id)
                }
                return
            } catch let error as DockerClientError where error.isNotFound {
                return  // already gone
            } catch let error as DockerClientError {
                // Containers of just-stopped tasks detach from networks (403 "active endpoints") and release
                // volumes (409 "in use") a moment after their task reports shutdown: retry those for a while.
                let inUse = error.httpStatus == 403 || error.httpStatus == 409
                guard inUse, ContinuousClock.now < deadline else {
                    throw DockerErrorTranslation.sprocketError(error, operation: "remove \(object.kind.rawValue)", subject: object.dockerName, endpoint: client.endpoint)
                }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    public func referencedObjectNames() async throws -> Set<String> {
        let services = try await call("list services") { try await self.client.listServices() }
        var referenced: Set<String> = []
        for service in services {
            for spec in [service.spec, service.previousSpec].compactMap({ $0 }) {
                let container = spec.taskTemplate?.containerSpec
                referenced.formUnion((container?.secrets ?? []).compactMap(\.secretName))
                referenced.formUnion((container?.configs ?? []).compactMap(\.configName))
            }
        }
        return referenced
    }
}

extension DockerClusterDriver {
    public func restoreService(_ snapshot: ObservedService) async throws {
        guard let bytes = snapshot.engineSpec else {
            throw SprocketError(.engine, "no engine spec was captured for the service", subject: snapshot.dockerName)
        }
        let spec: ServiceSpec
        do {
            spec = try JSONDecoder().decode(ServiceSpec.self, from: Data(bytes))
        } catch {
            throw SprocketError(.engine, "the captured spec cannot be read: \(error)", subject: snapshot.dockerName)
        }
        // The service may have been updated (new version index) or removed since the snapshot: look it up now.
        let current = try await call("list services") {
            try await self.client.listServices(filters: DockerFilters(["name": [snapshot.dockerName]]))
        }.first { $0.spec?.name == snapshot.dockerName }
        let auth = registryAuth(for: spec.taskTemplate?.containerSpec?.image)
        if let current {
            _ = try await call("restore service", subject: snapshot.dockerName) {
                try await self.client.updateService(current.id, version: current.version?.index ?? 0, spec: spec, registryAuth: auth)
            }
        } else {
            _ = try await call("recreate service", subject: snapshot.dockerName) { try await self.client.createService(spec, registryAuth: auth) }
        }
    }
}
