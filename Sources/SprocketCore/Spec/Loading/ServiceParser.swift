/// Reads one entry of `services:` into a ``ServiceSpec``.
///
/// A service is always produced, even with errors, so that later checks (duplicate names, ports,
/// references) still see it; a missing `image` is left empty for the validator to report.
struct ServiceParser {
    let context: SpecParseContext
    /// The file the service is written in, which `env_file:` paths start from; nil where only parts of a service
    /// are read (a check's `run:`).
    var origin: SpecFileOrigin?

    static let keys = [
        "image", "command", "entrypoint", "environment", "labels", "user", "working_dir", "hostname", "stop_signal",
        "stop_grace_period", "init", "read_only", "tty", "cap_add", "cap_drop", "dns", "dns_search", "extra_hosts",
        "sysctls", "ulimits", "networks", "volumes", "ports", "secrets", "configs", "healthcheck", "logging", "deploy",
        "checks", "routes", "not_secret", "env_file",
    ]

    func parse(_ entry: YAMLEntry) -> ServiceSpec {
        let name = entry.key
        var service = ServiceSpec(name: name, image: "", location: entry.keyLocation)
        guard let fields = context.fields(entry.value, of: "service `\(name)`", known: Self.keys,
                                          unsupported: ComposeCompatibility.serviceKeys)
        else { return service }
        service.image = fields["image"].flatMap { context.string($0, for: "image") } ?? ""
        service.command = fields["command"].flatMap { commandLine($0, for: "command") }
        service.entrypoint = fields["entrypoint"].flatMap { commandLine($0, for: "entrypoint") }
        readText(fields, into: &service)
        readLists(fields, into: &service)
        let keyValues = KeyValueParser(context: context)
        if let node = fields["environment"] { service.environment = keyValues.environment(node) }
        if let node = fields["env_file"], let origin {
            // The service's own `environment:` wins over its env files.
            let own = Set(service.environment.map(\.name))
            service.environment = EnvFileReader(context: context, origin: origin).variables(node).filter { !own.contains($0.name) }
                + service.environment
        }
        if let node = fields["labels"] { service.labels = keyValues.dictionary(node, for: "labels") }
        if let node = fields["sysctls"] { service.sysctls = keyValues.dictionary(node, for: "sysctls") }
        let attachments = ServiceAttachmentParser(context: context)
        if let node = fields["ulimits"] { service.ulimits = attachments.ulimits(node) }
        if let node = fields["networks"] { service.networks = attachments.networks(node) }
        if let node = fields["secrets"] { service.secrets = attachments.fileReferences(node, for: "secrets") }
        if let node = fields["configs"] { service.configs = attachments.fileReferences(node, for: "configs") }
        if let node = fields["volumes"] { service.mounts = MountParser(context: context).mounts(node) }
        if let node = fields["ports"] { service.ports = ServicePortParser(context: context).ports(node) }
        let health = HealthcheckParser(context: context)
        if let node = fields["healthcheck"] { service.healthcheck = health.healthcheck(node) }
        if let node = fields["logging"] { service.logging = health.logging(node) }
        if let node = fields["deploy"] { service.deploy = DeployParser(context: context).deploy(node) }
        if let node = fields["checks"] { service.checks = CheckListParser(context: context).checks(node, owner: .service(name)) }
        if let node = fields["routes"] { service.routes = RouteParser(context: context).routes(node, service: name) }
        if let node = fields["not_secret"] {
            service.notSecret = Set(context.list(node, for: "not_secret")?.compactMap { context.string($0, for: "not_secret") } ?? [])
        }
        service.labelPositions = RouteLabelLocations.positions(of: RouteLabelLocations.deployLabels(of: fields["deploy"]))
        for key in ["deploy", "healthcheck", "ulimits", "stop_grace_period"] {
            if let node = fields[key] { KeyPathLocations.collect(node, at: key, into: &service.keyLocations) }
        }
        return service
    }

    private func readText(_ fields: SpecFields, into service: inout ServiceSpec) {
        service.user = context.optionalString(fields["user"], for: "user")
        service.workingDirectory = context.optionalString(fields["working_dir"], for: "working_dir")
        service.hostname = context.optionalString(fields["hostname"], for: "hostname")
        service.stopSignal = context.optionalString(fields["stop_signal"], for: "stop_signal")
        service.stopGracePeriod = fields["stop_grace_period"].flatMap { context.duration($0, for: "stop_grace_period") }
        service.initProcess = fields["init"].flatMap { context.boolean($0, for: "init") }
        service.readOnlyRootFilesystem = fields["read_only"].flatMap { context.boolean($0, for: "read_only") }
        service.tty = fields["tty"].flatMap { context.boolean($0, for: "tty") }
    }

    private func readLists(_ fields: SpecFields, into service: inout ServiceSpec) {
        if let node = fields["cap_add"] { service.capabilitiesAdded = context.strings(node, for: "cap_add") }
        if let node = fields["cap_drop"] { service.capabilitiesDropped = context.strings(node, for: "cap_drop") }
        // Compose allows a single string for dns and dns_search.
        if let node = fields["dns"] { service.dnsServers = context.strings(node, for: "dns", acceptsSingle: true) }
        if let node = fields["dns_search"] { service.dnsSearch = context.strings(node, for: "dns_search", acceptsSingle: true) }
        if let node = fields["extra_hosts"] { service.extraHosts = extraHosts(node) }
    }

    /// `command`/`entrypoint`: a string split like a shell (no expansion), or a list of words.
    func commandLine(_ node: YAMLNode, for key: String) -> [String]? {
        if node.isNull { return nil }
        if node.scalar != nil {
            return context.value(node, for: key, expected: "a string or a list", ShellSplitter.split)
        }
        guard let items = node.sequence else {
            context.typeError(node, expected: "a string or a list of strings", for: key)
            return nil
        }
        return items.compactMap { context.string($0, for: key) }
    }

    /// `extra_hosts` as a list of `host:ip` (or `host=ip`), or a mapping host -> ip.
    private func extraHosts(_ node: YAMLNode) -> [String] {
        if node.mapping != nil {
            return KeyValueParser(context: context).pairs(node, for: "extra_hosts").map { "\($0.key):\($0.value)" }
        }
        guard let items = context.list(node, for: "extra_hosts") else { return [] }
        return items.compactMap { item in
            guard let text = context.string(item, for: "extra_hosts") else { return nil }
            // `host=ip` is Compose's newer form; IPv6 addresses contain colons, so look left of `=` only.
            if let equals = text.firstIndex(of: "="), !text[..<equals].contains(":") {
                return String(text[..<equals]) + ":" + String(text[text.index(after: equals)...])
            }
            guard text.contains(":") else {
                context.diagnostics.error(item.location, "`\(text)` in `extra_hosts` is not `host:ip`",
                                          hint: "write e.g. `db.internal:10.0.0.5`")
                return nil
            }
            return text
        }
    }
}
