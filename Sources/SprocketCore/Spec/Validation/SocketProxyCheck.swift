/// Traefik reads Docker through the stack's socket proxy (`routing.socket_proxy`), never the socket itself: the
/// proxy must expose only what the Swarm provider reads. For the usual proxy images (tecnativa's and its forks,
/// configured by one environment variable per Engine API section), a section that allows writes or secrets is an
/// error, and a section the provider needs but the proxy hides is a warning.
struct SocketProxyCheck {
    let stack: StackSpec

    /// API sections whose access turns the proxy into a way to control the engine or read its secrets.
    static let forbidden = ["POST", "EXEC", "BUILD", "COMMIT", "SECRETS", "AUTH", "SYSTEM", "PLUGINS", "SESSION", "SWARM", "ALLOW_START", "ALLOW_STOP", "ALLOW_RESTARTS"]
    /// What Traefik's Swarm provider reads.
    static let needed = ["SERVICES", "TASKS", "NETWORKS", "NODES"]

    func run(into diagnostics: inout [SpecDiagnostic]) {
        let usesTraefik = stack.layers.contains { layer in
            layer.configs.contains { $0.source == .generated(.traefikStatic) } || layer.services.contains { !$0.routes.isEmpty }
        }
        // An endpoint (`unix:///var/run/docker.sock`, `tcp://host:2375`) names no service of the stack to check.
        guard usesTraefik, !stack.routing.socketProxy.contains("://") else { return }
        let name = stack.routing.socketProxy
        guard let proxy = stack.layers.flatMap(\.services).first(where: { $0.name == name }) else {
            if stack.layers.contains(where: { $0.configs.contains { $0.source == .generated(.traefikStatic) } }) {
                diagnostics.append(SpecDiagnostic(
                    stack.routing.location,
                    "Traefik's provider reads Docker through `tcp://\(name):2375`, but no service of this stack is called `\(name)`",
                    hint: "declare the socket proxy service (read-only: SERVICES, TASKS, NETWORKS, NODES) or set `routing.socket_proxy`",
                    severity: .warning))
            }
            return
        }
        let enabled = Dictionary(proxy.environment.map { ($0.name, $0) }) { first, _ in first }
        for section in Self.forbidden {
            guard let variable = enabled[section], variable.value != "0", !variable.value.isEmpty else { continue }
            diagnostics.append(SpecDiagnostic(
                variable.location,
                "the socket proxy `\(name)` allows `\(section)`: Traefik only reads, and anything that reaches the proxy could use it",
                hint: "set `\(section): 0` (or remove it); Traefik needs SERVICES, TASKS, NETWORKS and NODES only"))
        }
        // Only a proxy configured by API sections (it names at least one) says what it hides.
        let sections = Set(Self.forbidden + Self.needed + ["CONTAINERS", "INFO", "EVENTS", "PING", "VERSION", "IMAGES", "VOLUMES"])
        guard proxy.environment.contains(where: { sections.contains($0.name) }) else { return }
        let hidden = Self.needed.filter { (enabled[$0]?.value ?? "0") == "0" }
        if !hidden.isEmpty {
            diagnostics.append(SpecDiagnostic(
                proxy.location,
                "the socket proxy `\(name)` hides \(hidden.joined(separator: ", ")): Traefik's Swarm provider cannot see the services",
                hint: "set \(hidden.map { "`\($0): 1`" }.joined(separator: ", ")) in its environment", severity: .warning))
        }
    }
}
