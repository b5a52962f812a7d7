import SprocketCore

extension ServiceSpecTranslator {
    /// Reads a Docker service spec back into a definition, dropping the values Docker fills in by default
    /// (`Isolation: default`, empty `Resources`, `Placement: {}`, `ForceUpdate: 0`, `Runtime: container`, ...).
    func definition(of spec: ServiceSpec) -> ServiceDefinition {
        let task = spec.taskTemplate ?? TaskSpec()
        let container = task.containerSpec ?? ContainerSpec()
        var definition = ServiceDefinition(image: container.image ?? "")
        definition.entrypoint = container.command
        definition.args = container.args
        definition.env = container.env ?? []
        definition.containerLabels = container.labels ?? [:]
        var labels = spec.labels ?? [:]
        labels[OwnershipLabel.specHash] = nil
        definition.serviceLabels = labels
        definition.user = container.user
        definition.workingDirectory = container.dir
        definition.hostname = container.hostname
        definition.stopSignal = container.stopSignal
        definition.stopGracePeriodNanoseconds = container.stopGracePeriod
        definition.initProcess = container.`init`
        definition.readOnly = container.readOnly == false ? nil : container.readOnly
        definition.tty = container.tty == false ? nil : container.tty
        definition.capabilitiesAdded = container.capabilityAdd ?? []
        definition.capabilitiesDropped = container.capabilityDrop ?? []
        definition.dnsServers = container.dnsConfig?.nameservers ?? []
        definition.dnsSearch = container.dnsConfig?.search ?? []
        definition.hosts = container.hosts ?? []
        definition.sysctls = container.sysctls ?? [:]
        definition.ulimits = (container.ulimits ?? []).map {
            Ulimit(name: $0.name ?? "", soft: $0.soft ?? 0, hard: $0.hard ?? 0)
        }
        definition.mounts = (container.mounts ?? []).map {
            MountDefinition(type: $0.type ?? "volume", source: $0.source, target: $0.target ?? "", readOnly: $0.readOnly ?? false)
        }
        definition.healthcheck = container.healthCheck.map {
            HealthcheckDefinition(
                test: $0.test ?? [], intervalNanoseconds: $0.interval, timeoutNanoseconds: $0.timeout, retries: $0.retries,
                startPeriodNanoseconds: $0.startPeriod)
        }
        definition.secrets = (container.secrets ?? []).map { fileMount($0.file, objectName: $0.secretName ?? $0.secretID ?? "") }
        definition.configs = (container.configs ?? []).map { fileMount($0.file, objectName: $0.configName ?? $0.configID ?? "") }
        definition.networks = (task.networks ?? []).map {
            let target = $0.target ?? ""
            return NetworkAttachmentDefinition(network: networkNames[target] ?? target, aliases: $0.aliases ?? [])
        }
        definition.logDriver = task.logDriver.map { LoggingSpec(driver: $0.name ?? "", options: $0.options ?? [:]) }
        readScheduling(spec, task: task, into: &definition)
        definition.normalize()
        return definition
    }

    private func readScheduling(_ spec: ServiceSpec, task: TaskSpec, into definition: inout ServiceDefinition) {
        if let mode = spec.mode {
            if mode.global != nil {
                definition.mode = DeploySpec.Mode.global.rawValue
                definition.replicas = nil
            } else if mode.globalJob != nil {
                definition.mode = DeploySpec.Mode.globalJob.rawValue
                definition.replicas = nil
            } else if let job = mode.replicatedJob {
                definition.mode = DeploySpec.Mode.replicatedJob.rawValue
                definition.replicas = Int(job.totalCompletions ?? 1)
            } else {
                definition.mode = DeploySpec.Mode.replicated.rawValue
                definition.replicas = Int(mode.replicated?.replicas ?? 1)
            }
        }
        definition.endpointMode = spec.endpointSpec?.mode ?? DeploySpec.EndpointMode.vip.rawValue
        definition.ports = (spec.endpointSpec?.ports ?? []).map {
            PortDefinition(
                target: Int($0.targetPort ?? 0), published: $0.publishedPort.map(Int.init),
                transportProtocol: $0.protocol ?? "tcp", publishMode: $0.publishMode ?? "ingress")
        }
        let limits = task.resources?.limits
        definition.limits = ResourceAmounts(nanoCPUs: nonZero(limits?.nanoCPUs), memoryBytes: nonZero(limits?.memoryBytes), pids: nonZero(limits?.pids))
        let reservations = task.resources?.reservations
        definition.reservations = ResourceAmounts(nanoCPUs: nonZero(reservations?.nanoCPUs), memoryBytes: nonZero(reservations?.memoryBytes))
        definition.constraints = task.placement?.constraints ?? []
        definition.spreadPreferences = (task.placement?.preferences ?? []).compactMap { $0.spread?.spreadDescriptor }
        definition.maxReplicasPerNode = task.placement?.maxReplicas.flatMap { $0 == 0 ? nil : Int($0) }
        definition.updateConfig = spec.updateConfig.map(policy)
        definition.rollbackConfig = spec.rollbackConfig.map(policy)
        definition.restartPolicy = task.restartPolicy.map {
            RestartPolicySpec(
                condition: $0.condition.flatMap(RestartPolicySpec.Condition.init(rawValue:)), delay: $0.delay.map(Duration.fromNanoseconds),
                maxAttempts: $0.maxAttempts.map { Int($0) }, window: $0.window.map(Duration.fromNanoseconds))
        }
    }

    private func fileMount(_ file: ContainerSpec.FileTarget?, objectName: String) -> FileMountDefinition {
        FileMountDefinition(
            objectName: objectName, target: file?.name ?? "", uid: file?.uid ?? "0", gid: file?.gid ?? "0",
            mode: file?.mode ?? 0o444)
    }

    private func policy(_ config: ServiceSpec.UpdateConfig) -> UpdatePolicy {
        UpdatePolicy(
            parallelism: config.parallelism.map { Int($0) }, delay: config.delay.map(Duration.fromNanoseconds),
            failureAction: config.failureAction.flatMap(UpdatePolicy.FailureAction.init(rawValue:)),
            monitor: config.monitor.map(Duration.fromNanoseconds), maxFailureRatio: config.maxFailureRatio,
            order: config.order.flatMap(UpdatePolicy.Order.init(rawValue:)))
    }

    private func nonZero(_ value: Int64?) -> Int64? { value == 0 ? nil : value }
}
