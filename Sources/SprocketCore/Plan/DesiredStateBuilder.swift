/// Turns a loaded spec (plus the secrets' values) into the ``DesiredState``: Docker names, labels, hashes.
public struct DesiredStateBuilder: Sendable {
    public var stack: StackSpec
    public var secrets: [String: SecretMaterial]

    public init(stack: StackSpec, secrets: [String: SecretMaterial]) {
        self.stack = stack
        self.secrets = secrets
    }

    public var identity: StackIdentity { StackIdentity(stack: stack.name, environment: stack.environment) }

    public func build() -> DesiredState {
        let order = LayerOrder.sorted(stack.layers.map { ($0.name, $0.needs.map(\.name)) })
        let objectNames = versionedObjectNames()
        let layers = order.compactMap { stack.layer(named: $0) }.map { layer in
            DesiredLayer(
                name: layer.name,
                needs: layer.needs.map(\.name),
                timeout: layer.timeout,
                networks: layer.networks.map { network($0, layer: layer.name) },
                volumes: layer.volumes.map { volume($0, layer: layer.name) },
                configs: layer.configs.map { config($0, layer: layer.name) },
                secrets: layer.secrets.map { secret($0, layer: layer.name) },
                services: layer.services.map { service($0, layer: layer.name, objectNames: objectNames) },
                checks: CheckResolver(stack: stack).gateChecks(for: layer)
            )
        }
        return DesiredState(identity: identity, layers: layers)
    }

    private func labels(_ user: [String: String], layer: String, name: String) -> [String: String] {
        user.merging(OwnershipLabel.labels(for: identity, layer: layer, name: name)) { _, ownership in ownership }
    }

    private func network(_ spec: NetworkSpec, layer: String) -> DesiredNetwork {
        DesiredNetwork(
            name: spec.name,
            dockerName: spec.externalName ?? identity.objectName(spec.name),
            isExternal: spec.isExternal,
            driver: spec.driver,
            attachable: spec.attachable,
            isInternal: spec.isInternal,
            options: spec.driverOptions,
            labels: labels(spec.labels, layer: layer, name: spec.name)
        )
    }

    private func volume(_ spec: VolumeSpec, layer: String) -> DesiredVolume {
        DesiredVolume(
            name: spec.name,
            dockerName: spec.externalName ?? identity.objectName(spec.name),
            isExternal: spec.isExternal,
            driver: spec.driver,
            options: spec.driverOptions,
            labels: labels(spec.labels, layer: layer, name: spec.name)
        )
    }

    private func config(_ spec: ConfigSpec, layer: String) -> DesiredObject {
        if case .external(let name) = spec.source {
            return DesiredObject(
                kind: .config, name: spec.name, dockerName: name, isExternal: true, labels: [:], content: nil,
                contentSuffix: "external")
        }
        let content = spec.content ?? []
        let suffix = ContentHash.objectSuffix(stack: identity.prefix, name: spec.name, content: content)
        return DesiredObject(
            kind: .config, name: spec.name, dockerName: identity.versionedObjectName(spec.name, suffix: suffix),
            isExternal: false, labels: labels(spec.labels, layer: layer, name: spec.name),
            content: SensitiveBytes(content), contentSuffix: suffix)
    }

    private func secret(_ spec: SecretSpec, layer: String) -> DesiredObject {
        if case .external(let name) = spec.source {
            return DesiredObject(
                kind: .secret, name: spec.name, dockerName: name, isExternal: true, labels: [:], content: nil,
                contentSuffix: "external")
        }
        guard let content = secrets[spec.name]?.content else {
            // Offline without the value: the name cannot be known yet; the plan says so.
            return DesiredObject(
                kind: .secret, name: spec.name, dockerName: identity.versionedObjectName(spec.name, suffix: "unresolved"),
                isExternal: false, labels: labels(spec.labels, layer: layer, name: spec.name), content: nil,
                contentSuffix: "unresolved")
        }
        let suffix = ContentHash.objectSuffix(stack: identity.prefix, name: spec.name, content: content.bytes)
        return DesiredObject(
            kind: .secret, name: spec.name, dockerName: identity.versionedObjectName(spec.name, suffix: suffix),
            isExternal: false, labels: labels(spec.labels, layer: layer, name: spec.name), content: content,
            contentSuffix: suffix)
    }

    /// Docker names of every config and secret version, by logical name.
    private func versionedObjectNames() -> (configs: [String: String], secrets: [String: String]) {
        var configs: [String: String] = [:]
        var secretNames: [String: String] = [:]
        for layer in stack.layers {
            for spec in layer.configs { configs[spec.name] = config(spec, layer: layer.name).dockerName }
            for spec in layer.secrets { secretNames[spec.name] = secret(spec, layer: layer.name).dockerName }
        }
        return (configs, secretNames)
    }

    private func dockerNetworkName(_ logical: String) -> String {
        for layer in stack.layers {
            if let network = layer.networks.first(where: { $0.name == logical }) {
                return network.externalName ?? identity.objectName(logical)
            }
        }
        return identity.objectName(logical)
    }

    private func dockerVolumeName(_ logical: String) -> String {
        for layer in stack.layers {
            if let volume = layer.volumes.first(where: { $0.name == logical }) {
                return volume.externalName ?? identity.objectName(logical)
            }
        }
        return identity.objectName(logical)
    }

    private func service(
        _ spec: ServiceSpec, layer: String, objectNames: (configs: [String: String], secrets: [String: String])
    ) -> DesiredService {
        var definition = ServiceDefinitionMapper(
            identity: identity,
            networkName: dockerNetworkName,
            volumeName: dockerVolumeName,
            configName: { objectNames.configs[$0] ?? identity.objectName($0) },
            secretName: { objectNames.secrets[$0] ?? identity.objectName($0) }
        ).definition(of: spec)
        // Labels compiled from `routes:`; a hand-written label that contradicts one is a validation error.
        let routeLabels = RouteLabelCompiler(stack: stack).compile(spec).labels
        definition.serviceLabels = labels(spec.deploy.labels.merging(routeLabels) { handWritten, _ in handWritten }, layer: layer, name: spec.name)
        definition.normalize()
        return DesiredService(name: spec.name, dockerName: identity.objectName(spec.name), definition: definition)
    }
}
