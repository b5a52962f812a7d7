import SprocketCore

/// Translates between the core's ``ServiceDefinition`` and Docker's ``ServiceSpec``, both ways.
///
/// Docker refers to networks, secrets and configs by ID inside a service spec; the core uses names. The
/// translator is built with the name/ID tables of one observation. Reading back drops exactly the defaults the
/// engine fills in, so that a service created from a definition reads back as the same definition.
struct ServiceSpecTranslator {
    var networkIDs: [String: String]
    var networkNames: [String: String]
    var secretIDs: [String: String]
    var configIDs: [String: String]

    init(networks: [(name: String, id: String)], secrets: [(name: String, id: String)], configs: [(name: String, id: String)]) {
        networkIDs = Dictionary(networks.map { ($0.name, $0.id) }) { first, _ in first }
        networkNames = Dictionary(networks.map { ($0.id, $0.name) }) { first, _ in first }
        secretIDs = Dictionary(secrets.map { ($0.name, $0.id) }) { first, _ in first }
        configIDs = Dictionary(configs.map { ($0.name, $0.id) }) { first, _ in first }
    }

    // MARK: definition -> Docker

    func spec(for service: DesiredService) -> ServiceSpec {
        let definition = service.definition
        var labels = definition.serviceLabels
        labels[OwnershipLabel.specHash] = service.specHash
        return ServiceSpec(
            name: service.dockerName,
            labels: labels,
            taskTemplate: taskTemplate(definition),
            mode: mode(definition),
            updateConfig: definition.updateConfig.map(updateConfig),
            rollbackConfig: definition.rollbackConfig.map(updateConfig),
            endpointSpec: ServiceSpec.EndpointSpec(
                mode: definition.endpointMode,
                ports: definition.ports.isEmpty ? nil : definition.ports.map {
                    ServiceSpec.PortConfig(
                        protocol: $0.transportProtocol, targetPort: UInt32($0.target),
                        publishedPort: $0.published.map(UInt32.init), publishMode: $0.publishMode)
                })
        )
    }

    private func taskTemplate(_ definition: ServiceDefinition) -> TaskSpec {
        var container = ContainerSpec(image: definition.image)
        container.labels = definition.containerLabels.nilIfEmpty
        container.command = definition.entrypoint
        container.args = definition.args
        container.env = definition.env.nilIfEmpty
        container.dir = definition.workingDirectory
        container.user = definition.user
        container.hostname = definition.hostname
        container.tty = definition.tty
        container.readOnly = definition.readOnly
        container.stopSignal = definition.stopSignal
        container.stopGracePeriod = definition.stopGracePeriodNanoseconds
        container.`init` = definition.initProcess
        container.sysctls = definition.sysctls.nilIfEmpty
        container.capabilityAdd = definition.capabilitiesAdded.nilIfEmpty
        container.capabilityDrop = definition.capabilitiesDropped.nilIfEmpty
        container.hosts = definition.hosts.nilIfEmpty
        if !definition.dnsServers.isEmpty || !definition.dnsSearch.isEmpty {
            container.dnsConfig = ContainerSpec.DNSConfig(
                nameservers: definition.dnsServers.nilIfEmpty, search: definition.dnsSearch.nilIfEmpty)
        }
        container.ulimits = definition.ulimits.isEmpty ? nil : definition.ulimits.map {
            ContainerSpec.Ulimit(name: $0.name, soft: $0.soft, hard: $0.hard)
        }
        container.mounts = definition.mounts.isEmpty ? nil : definition.mounts.map {
            ContainerSpec.Mount(target: $0.target, source: $0.source, type: $0.type, readOnly: $0.readOnly ? true : nil)
        }
        container.healthCheck = definition.healthcheck.map {
            ContainerSpec.HealthCheck(
                test: $0.test, interval: $0.intervalNanoseconds, timeout: $0.timeoutNanoseconds, retries: $0.retries,
                startPeriod: $0.startPeriodNanoseconds)
        }
        container.secrets = definition.secrets.isEmpty ? nil : definition.secrets.map {
            ContainerSpec.SecretReference(file: fileTarget($0), secretID: secretIDs[$0.objectName], secretName: $0.objectName)
        }
        container.configs = definition.configs.isEmpty ? nil : definition.configs.map {
            ContainerSpec.ConfigReference(file: fileTarget($0), configID: configIDs[$0.objectName], configName: $0.objectName)
        }
        var placement: TaskSpec.Placement?
        if !definition.constraints.isEmpty || !definition.spreadPreferences.isEmpty || definition.maxReplicasPerNode != nil {
            placement = TaskSpec.Placement(
                constraints: definition.constraints.nilIfEmpty,
                preferences: definition.spreadPreferences.isEmpty ? nil : definition.spreadPreferences.map {
                    TaskSpec.Preference(spread: TaskSpec.Preference.Spread(spreadDescriptor: $0))
                },
                maxReplicas: definition.maxReplicasPerNode.map(UInt64.init))
        }
        var resources: TaskSpec.Resources?
        if definition.limits != nil || definition.reservations != nil {
            resources = TaskSpec.Resources(
                limits: definition.limits.map {
                    TaskSpec.Limits(nanoCPUs: $0.nanoCPUs, memoryBytes: $0.memoryBytes, pids: $0.pids)
                },
                reservations: definition.reservations.map {
                    TaskSpec.Reservations(nanoCPUs: $0.nanoCPUs, memoryBytes: $0.memoryBytes)
                })
        }
        return TaskSpec(
            containerSpec: container,
            resources: resources,
            restartPolicy: definition.restartPolicy.map {
                TaskSpec.RestartPolicy(
                    condition: $0.condition?.rawValue, delay: $0.delay?.nanoseconds, maxAttempts: $0.maxAttempts.map(UInt64.init),
                    window: $0.window?.nanoseconds)
            },
            placement: placement,
            networks: definition.networks.isEmpty ? nil : definition.networks.map {
                TaskSpec.NetworkAttachment(target: networkIDs[$0.network] ?? $0.network, aliases: $0.aliases.nilIfEmpty)
            },
            logDriver: definition.logDriver.map { DriverConfig(name: $0.driver, options: $0.options.nilIfEmpty) }
        )
    }

    private func fileTarget(_ mount: FileMountDefinition) -> ContainerSpec.FileTarget {
        ContainerSpec.FileTarget(name: mount.target, uid: mount.uid, gid: mount.gid, mode: mount.mode)
    }

    private func mode(_ definition: ServiceDefinition) -> ServiceSpec.Mode {
        switch definition.mode {
        case DeploySpec.Mode.global.rawValue: .global
        case DeploySpec.Mode.globalJob.rawValue: .globalJob
        case DeploySpec.Mode.replicatedJob.rawValue:
            .replicatedJob(totalCompletions: UInt64(max(0, definition.replicas ?? 1)))
        default: .replicated(UInt64(max(0, definition.replicas ?? 1)))
        }
    }

    private func updateConfig(_ policy: UpdatePolicy) -> ServiceSpec.UpdateConfig {
        ServiceSpec.UpdateConfig(
            parallelism: policy.parallelism.map(UInt64.init), delay: policy.delay?.nanoseconds,
            failureAction: policy.failureAction?.rawValue, monitor: policy.monitor?.nanoseconds,
            maxFailureRatio: policy.maxFailureRatio, order: policy.order?.rawValue)
    }
}

extension Collection {
    /// nil for an empty collection: Docker omits empty fields, and so must the specs we send and compare.
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
