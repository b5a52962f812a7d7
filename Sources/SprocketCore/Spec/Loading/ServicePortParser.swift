/// A service's `ports:`: short strings or numbers (see ``PortParser``) and the long form
/// `{target, published, protocol, mode}`.
struct ServicePortParser {
    let context: SpecParseContext

    func ports(_ node: YAMLNode) -> [PortSpec] {
        guard let items = context.list(node, for: "ports") else { return [] }
        return items.compactMap { item in
            if item.scalar != nil {
                return context.value(item, for: "ports", expected: "a port", PortParser.parseShort).map {
                    PortSpec(target: $0.target, published: $0.published, transportProtocol: $0.transportProtocol, location: item.location)
                }
            }
            if item.mapping != nil { return long(item) }
            context.typeError(item, expected: "a port string or mapping", for: "ports")
            return nil
        }
    }

    private func long(_ item: YAMLNode) -> PortSpec? {
        guard let fields = context.fields(item, of: "a port", known: ["target", "published", "protocol", "mode", "host_ip"],
                                          unsupported: ComposeCompatibility.portKeys)
        else { return nil }
        if let hostIP = fields.entries["host_ip"] {
            context.diagnostics.error(hostIP.keyLocation, "`host_ip` binds a host address, which Swarm cannot do",
                                      hint: "remove `host_ip`; Swarm publishes on every node, so restrict access with a firewall")
        }
        guard let targetNode = fields["target"] else {
            context.diagnostics.error(item.location, "a port has no `target`", hint: "set `target:` to the container port")
            return nil
        }
        guard let target = context.integer(targetNode, for: "ports.target") else { return nil }
        var port = PortSpec(target: target, location: item.location)
        if let node = fields["published"] {
            // Compose allows `published: "8080"`; a range is as unsupported here as in the short form.
            port.published = context.value(node, for: "ports.published", expected: "a port number") { text in
                if text.contains("-") {
                    return .failure(SpecValueProblem(message: "port range `\(text)` is not supported", hint: "publish one port per entry"))
                }
                return ScalarParsers.integer(text).map { .success($0) }
                    ?? .failure(SpecValueProblem(message: "invalid port `\(text)`", hint: "write a port number, e.g. `8080`"))
            }
        }
        if let node = fields["protocol"] {
            port.transportProtocol = context.choice(node, for: "ports.protocol", as: PortSpec.TransportProtocol.self,
                                                    allowed: [.tcp, .udp, .sctp]) ?? .tcp
        }
        if let node = fields["mode"] {
            port.mode = context.choice(node, for: "ports.mode", as: PortSpec.PublishMode.self, allowed: [.ingress, .host]) ?? .ingress
        }
        return port
    }
}
