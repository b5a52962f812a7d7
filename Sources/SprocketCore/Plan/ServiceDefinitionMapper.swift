/// Maps a spec service onto a ``ServiceDefinition``, applying the defaults Compose and Swarm document.
struct ServiceDefinitionMapper {
    var identity: StackIdentity
    var networkName: (String) -> String
    var volumeName: (String) -> String
    var configName: (String) -> String
    var secretName: (String) -> String

    func definition(of spec: ServiceSpec) -> ServiceDefinition {
        var definition = ServiceDefinition(image: spec.image)
        definition.entrypoint = spec.entrypoint
        definition.args = spec.command
        definition.env = spec.environment.map { "\($0.name)=\($0.value)" }
        definition.containerLabels = spec.labels
        definition.user = spec.user
        definition.workingDirectory = spec.workingDirectory
        definition.hostname = spec.hostname
        definition.stopSignal = spec.stopSignal
        definition.stopGracePeriodNanoseconds = spec.stopGracePeriod?.nanoseconds
        definition.initProcess = spec.initProcess
        definition.readOnly = spec.readOnlyRootFilesystem
        definition.tty = spec.tty
        definition.capabilitiesAdded = spec.capabilitiesAdded
        definition.capabilitiesDropped = spec.capabilitiesDropped
        definition.dnsServers = spec.dnsServers
        definition.dnsSearch = spec.dnsSearch
        definition.hosts = spec.extraHosts.map(Self.dockerHostEntry)
        definition.sysctls = spec.sysctls
        definition.ulimits = spec.ulimits
        definition.mounts = spec.mounts.map(mount)
        // Like `docker stack deploy`, a service answers to its spec name on every network it joins, so
        // containers reach `store` or `api` without knowing the stack/env prefix of Docker's name.
        definition.networks = spec.networks.map { attachment in
            let aliases = attachment.aliases.contains(spec.name) ? attachment.aliases : [spec.name] + attachment.aliases
            return NetworkAttachmentDefinition(network: networkName(attachment.name), aliases: aliases)
        }
        definition.secrets = spec.secrets.map {
            fileMount($0, objectName: secretName($0.source), defaultTarget: "/run/secrets/\($0.source)")
        }
        definition.configs = spec.configs.map {
            fileMount($0, objectName: configName($0.source), defaultTarget: "/\($0.source)")
        }
        definition.healthcheck = spec.healthcheck.map {
            HealthcheckDefinition(
                test: $0.test,
                intervalNanoseconds: $0.interval?.nanoseconds,
                timeoutNanoseconds: $0.timeout?.nanoseconds,
                retries: $0.retries,
                startPeriodNanoseconds: $0.startPeriod?.nanoseconds
            )
        }
        definition.ports = spec.ports.map {
            PortDefinition(
                target: $0.target, published: $0.published, transportProtocol: $0.transportProtocol.rawValue,
                publishMode: $0.mode.rawValue)
        }
        definition.logDriver = spec.logging
        applyDeploy(spec.deploy, to: &definition)
        return definition
    }

    private func applyDeploy(_ deploy: DeploySpec, to definition: inout ServiceDefinition) {
        definition.mode = deploy.mode.rawValue
        switch deploy.mode {
        case .replicated, .replicatedJob: definition.replicas = deploy.replicas ?? 1
        case .global, .globalJob: definition.replicas = nil
        }
        definition.endpointMode = deploy.endpointMode.rawValue
        definition.limits = deploy.resources.limits
        definition.reservations = deploy.resources.reservations
        definition.constraints = deploy.placement.constraints
        definition.spreadPreferences = deploy.placement.spreadPreferences
        definition.maxReplicasPerNode = deploy.placement.maxReplicasPerNode
        definition.updateConfig = deploy.updateConfig
        definition.rollbackConfig = deploy.rollbackConfig
        definition.restartPolicy = deploy.restartPolicy
    }

    private func mount(_ spec: MountSpec) -> MountDefinition {
        let source: String? =
            switch spec.kind {
            case .volume: spec.source.map(volumeName)
            case .bind: spec.source
            case .tmpfs: nil
            }
        return MountDefinition(type: spec.kind.rawValue, source: source, target: spec.target, readOnly: spec.readOnly)
    }

    private func fileMount(_ reference: FileReference, objectName: String, defaultTarget: String) -> FileMountDefinition {
        FileMountDefinition(
            objectName: objectName,
            target: reference.target ?? defaultTarget,
            uid: reference.uid ?? "0",
            gid: reference.gid ?? "0",
            mode: reference.mode ?? 0o444
        )
    }


    /// Compose writes `host:ip` (or `host=ip`); Docker's Hosts entries are `ip host`.
    static func dockerHostEntry(_ entry: String) -> String {
        let separator: Character = entry.contains("=") ? "=" : ":"
        guard let index = entry.firstIndex(of: separator) else { return entry }
        let host = entry[..<index]
        let address = entry[entry.index(after: index)...]
        return "\(address) \(host)"
    }
}
