/// Turns a loaded spec (plus the secrets' values) into the ``DesiredState``: Docker names, labels, hashes.
public struct DesiredStateBuilder: Sendable {
    /// What names the stack's Docker secrets (see ``DockerSecretNaming``).
    public struct SecretNamingInputs: Sendable {
        /// The stack environment's naming key; nil before the first `up` that needs one.
        public var key: SecretNamingKey?
        /// Docker names of the stack environment's secrets on the engine now (empty offline).
        public var deployedNames: Set<String>
        /// At most this many secrets still deployed under a legacy name move to a keyed name in this run
        /// (`up --rekey-secrets N`); the others keep their legacy name until their value changes.
        public var rekeyLimit: Int
        /// Only secrets of these layers move (nil: any layer), so that `--layer` does not move another layer's secret.
        public var rekeyLayers: Set<String>?

        public init(key: SecretNamingKey? = nil, deployedNames: Set<String> = [], rekeyLimit: Int = 0, rekeyLayers: Set<String>? = nil) {
            self.key = key
            self.deployedNames = deployedNames
            self.rekeyLimit = rekeyLimit
            self.rekeyLayers = rekeyLayers
        }
    }

    public var stack: StackSpec
    public var secrets: [String: SecretMaterial]
    public var secretNaming: SecretNamingInputs

    public init(stack: StackSpec, secrets: [String: SecretMaterial], secretNaming: SecretNamingInputs = SecretNamingInputs()) {
        self.stack = stack
        self.secrets = secrets
        self.secretNaming = secretNaming
    }

    public var identity: StackIdentity { StackIdentity(stack: stack.name, environment: stack.environment) }

    public func build() -> DesiredState {
        let order = LayerOrder.sorted(stack.layers.map { ($0.name, $0.needs.map(\.name)) })
        let orderedLayers = order.compactMap { stack.layer(named: $0) }
        let naming = dockerSecretNaming(orderedLayers)
        let objectNames = versionedObjectNames(naming)
        let layers = orderedLayers.map { layer in
            DesiredLayer(
                name: layer.name,
                needs: layer.needs.map(\.name),
                timeout: layer.timeout,
                networks: layer.networks.map { network($0, layer: layer.name) },
                volumes: layer.volumes.map { volume($0, layer: layer.name) },
                configs: layer.configs.map { config($0, layer: layer.name) },
                secrets: layer.secrets.map { secret($0, layer: layer.name, naming: naming) },
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
        // A config keeps the plain content hash: its content is no secret (anyone who may read the name may
        // `docker config inspect` the content itself), and a plain hash needs no key, so offline plans name it too.
        let content = spec.content ?? []
        let suffix = ContentHash.objectSuffix(stack: identity.prefix, name: spec.name, content: content)
        return DesiredObject(
            kind: .config, name: spec.name, dockerName: identity.versionedObjectName(spec.name, suffix: suffix),
            isExternal: false, labels: labels(spec.labels, layer: layer, name: spec.name),
            content: SensitiveBytes(content), contentSuffix: suffix)
    }

    /// The naming of this run, with the secrets the bounded migration moves: the first ``SecretNamingInputs/rekeyLimit``
    /// still deployed under a legacy name, in layer order then by name, so that every plan of a run picks the same ones.
    private func dockerSecretNaming(_ orderedLayers: [LayerSpec]) -> DockerSecretNaming {
        var naming = DockerSecretNaming(identity: identity, key: secretNaming.key, deployedNames: secretNaming.deployedNames)
        guard secretNaming.rekeyLimit > 0 else { return naming }
        var candidates: [String] = []
        for layer in orderedLayers where secretNaming.rekeyLayers?.contains(layer.name) ?? true {
            for spec in layer.secrets.sorted(by: { $0.name < $1.name }) {
                guard let content = secrets[spec.name]?.content else { continue }  // external, or no value: nothing to move
                if naming.name(of: spec.name, value: content.bytes).scheme == .legacy { candidates.append(spec.name) }
            }
        }
        naming.rekeying = Set(candidates.prefix(secretNaming.rekeyLimit))
        return naming
    }

    private func secret(_ spec: SecretSpec, layer: String, naming: DockerSecretNaming) -> DesiredObject {
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
        let name = naming.name(of: spec.name, value: content.bytes)
        return DesiredObject(
            kind: .secret, name: spec.name, dockerName: name.dockerName, isExternal: false,
            labels: labels(spec.labels, layer: layer, name: spec.name), content: content, contentSuffix: name.suffix,
            secretNaming: name.scheme)
    }

    /// Docker names of every config and secret version, by logical name.
    private func versionedObjectNames(_ naming: DockerSecretNaming) -> (configs: [String: String], secrets: [String: String]) {
        var configs: [String: String] = [:]
        var secretNames: [String: String] = [:]
        for layer in stack.layers {
            for spec in layer.configs { configs[spec.name] = config(spec, layer: layer.name).dockerName }
            for spec in layer.secrets { secretNames[spec.name] = secret(spec, layer: layer.name, naming: naming).dockerName }
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
