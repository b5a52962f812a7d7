/// A service's `checks:` and a layer's `gate:`: lists of typed checks.
///
/// Each entry is a one-key mapping whose key is the kind and whose value holds its options
/// (`- http: {path: /health, status: 200}`), or just the kind's name for all defaults (`- replicas`).
struct CheckListParser {
    let context: SpecParseContext

    /// Which list is read: a gate entry names the service it checks, a service's own entry does not.
    enum Owner {
        case service(String)
        case gate
    }

    static let timingKeys = ["timeout", "interval", "retries"]
    static let endpointKeys = ["port", "published", "network", "image"]

    static func keys(of kind: CheckSpec.Kind) -> [String] {
        switch kind {
        case .replicas: timingKeys
        case .noRestartLoop: ["restarts", "window"] + timingKeys
        case .http: ["method", "path", "status", "body"] + endpointKeys + timingKeys
        case .tcp: endpointKeys + timingKeys
        case .command: ["run", "network", "image"] + timingKeys
        }
    }

    func checks(_ node: YAMLNode, owner: Owner) -> [CheckSpec] {
        let key = Self.listKey(owner)
        guard let items = context.list(node, for: key) else { return [] }
        return items.compactMap { entry($0, owner: owner) }
    }

    private static func listKey(_ owner: Owner) -> String {
        switch owner {
        case .service: "checks"
        case .gate: "gate"
        }
    }

    private func entry(_ item: YAMLNode, owner: Owner) -> CheckSpec? {
        let kinds = CheckSpec.Kind.allCases.map(\.rawValue)
        let listKey = Self.listKey(owner)
        if let scalar = item.scalar, !scalar.isNull {
            guard let name = context.string(item, for: listKey) else { return nil }
            guard let kind = CheckSpec.Kind(rawValue: name) else {
                unknownKind(name, at: item.location, kinds: kinds)
                return nil
            }
            return check(kind, options: nil, at: item.location, owner: owner)
        }
        guard let entries = item.mapping, !entries.isEmpty else {
            context.typeError(item, expected: "a check such as `- http: {path: /health}`", for: listKey,
                              hint: "start each entry with its kind: \(SpecSuggestions.list(kinds))")
            return nil
        }
        guard let first = entries.first, entries.count == 1 else {
            let names = entries.map(\.key)
            context.diagnostics.error(entries[1].keyLocation, "a check has one kind, found \(SpecSuggestions.list(names))",
                                      hint: "write options inside the kind, e.g. `- http: {path: /health, timeout: 3s}`, and one entry per check")
            return nil
        }
        guard let kind = CheckSpec.Kind(rawValue: first.key) else {
            unknownKind(first.key, at: first.keyLocation, kinds: kinds)
            return nil
        }
        return check(kind, options: first.value, at: first.keyLocation, owner: owner)
    }

    private func unknownKind(_ name: String, at location: SourceLocation, kinds: [String]) {
        context.diagnostics.error(location, "unknown check kind `\(name)`",
                                  hint: SpecSuggestions.hint(for: name, in: kinds, otherwise: "use one of \(SpecSuggestions.list(kinds))"))
    }

    private func check(_ kind: CheckSpec.Kind, options: YAMLNode?, at location: SourceLocation, owner: Owner) -> CheckSpec? {
        let known = Self.keys(of: kind) + (owner.isGate ? ["service"] : [])
        let described = owner.isGate ? "the `\(kind.rawValue)` gate check" : "a `\(kind.rawValue)` check of service `\(owner.serviceName ?? "")`"
        var fields = SpecFields(location: location)
        if let options, !options.isNull {
            guard let read = context.fields(options, of: described, known: known) else { return nil }
            fields = read
        }
        let key = "\(Self.listKey(owner)).\(kind.rawValue)"
        var spec = CheckSpec(probe: .replicas, location: location)
        for (name, entry) in fields.entries { spec.keyLocations[name] = entry.value.location }
        spec.service = fields["service"].flatMap { context.string($0, for: "\(key).service") }
        spec.timeout = fields["timeout"].flatMap { context.duration($0, for: "\(key).timeout") }
        spec.interval = fields["interval"].flatMap { context.duration($0, for: "\(key).interval") }
        spec.retries = fields["retries"].flatMap { context.integer($0, for: "\(key).retries") }
        switch kind {
        case .replicas:
            spec.probe = .replicas
        case .noRestartLoop:
            spec.probe = .noRestartLoop(
                restarts: fields["restarts"].flatMap { context.integer($0, for: "\(key).restarts") },
                window: fields["window"].flatMap { context.duration($0, for: "\(key).window") })
        case .http:
            spec.probe = .http(http(fields, key: key))
        case .tcp:
            spec.probe = .tcp(endpoint(fields, key: key))
        case .command:
            guard let command = command(fields, key: key, at: location) else { return nil }
            spec.probe = .command(command)
        }
        return spec
    }

    private func http(_ fields: SpecFields, key: String) -> HTTPCheckSpec {
        var http = HTTPCheckSpec(endpoint: endpoint(fields, key: key))
        if let node = fields["method"], let method = context.string(node, for: "\(key).method") {
            if HTTPCheckSpec.methods.contains(method.uppercased()) {
                http.method = method.uppercased()
            } else {
                context.diagnostics.error(node.location, "invalid value `\(method)` for `\(key).method`",
                                          hint: "use one of \(SpecSuggestions.list(HTTPCheckSpec.methods))")
            }
        }
        if let node = fields["path"], let path = context.string(node, for: "\(key).path") {
            if path.hasPrefix("/") {
                http.path = path
            } else {
                context.diagnostics.error(node.location, "`\(key).path` must start with `/`, found `\(path)`",
                                          hint: "write the path of the URL, e.g. `/health`")
            }
        }
        http.status = fields["status"].flatMap { context.integer($0, for: "\(key).status") } ?? http.status
        http.body = fields["body"].flatMap { context.string($0, for: "\(key).body") }
        return http
    }

    private func endpoint(_ fields: SpecFields, key: String) -> CheckEndpointSpec {
        var endpoint = CheckEndpointSpec()
        endpoint.port = fields["port"].flatMap { context.integer($0, for: "\(key).port") }
        endpoint.network = fields["network"].flatMap { context.string($0, for: "\(key).network") }
        endpoint.image = fields["image"].flatMap { context.string($0, for: "\(key).image") }
        if let node = fields["published"] {
            endpoint.published = context.value(node, for: "\(key).published", expected: "a boolean or a host port") { text in
                if let flag = ScalarParsers.boolean(text) { return .success(flag ? .matching : nil) }
                if let port = ScalarParsers.integer(text) { return .success(.port(port)) }
                return .failure(SpecValueProblem(
                    message: "expected `true`, `false` or a host port, found `\(text)`",
                    hint: "`true` uses the host port the service publishes for `port`; a number names the host port"))
            } ?? nil
        }
        return endpoint
    }

    private func command(_ fields: SpecFields, key: String, at location: SourceLocation) -> CommandCheckSpec? {
        guard let runNode = fields["run"] else {
            context.diagnostics.error(location, "a `command` check has no `run`",
                                      hint: "write the command to run, e.g. `run: [\"sh\", \"-c\", \"nc -w 3 db 5432 </dev/null\"]`")
            return nil
        }
        guard let run = ServiceParser(context: context).commandLine(runNode, for: "\(key).run") else { return nil }
        guard !run.isEmpty else {
            context.diagnostics.error(runNode.location, "`\(key).run` is empty", hint: "write the command to run and its arguments")
            return nil
        }
        return CommandCheckSpec(
            run: run,
            network: fields["network"].flatMap { context.string($0, for: "\(key).network") },
            image: fields["image"].flatMap { context.string($0, for: "\(key).image") })
    }
}

extension CheckListParser.Owner {
    var isGate: Bool {
        if case .gate = self { return true }
        return false
    }

    var serviceName: String? {
        if case .service(let name) = self { return name }
        return nil
    }
}
