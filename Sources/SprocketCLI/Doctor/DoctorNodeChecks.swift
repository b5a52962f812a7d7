import SprocketCore

/// `doctor`'s view of this machine as a Swarm node: whether the kernel has IPVS, and what its absence means for
/// this stack in particular (the services that rely on a virtual IP or the ingress routing mesh). Pure over the
/// preflight finding and the spec.
struct DoctorNodeChecks {
    var stack: StackSpec
    /// `NodePreflight().ipvs()` on this machine.
    var ipvs: NodePreflight.Finding

    func all() -> [DoctorCheckResult] {
        [ipvsCheck()]
    }

    /// Without IPVS, Swarm still creates virtual IPs and ingress ports, and nothing answers on them: services
    /// reach each other by name only with DNS round robin, and published ports only in host mode.
    func ipvsCheck() -> DoctorCheckResult {
        let services = stack.layers.flatMap(\.services)
        var affected: [String] = []
        for service in services {
            if service.deploy.endpointMode == .vip { affected.append("\(service.name): endpoint_mode vip (its name resolves to a virtual IP)") }
            for port in service.ports where port.mode == .ingress {
                affected.append("\(service.name): port \(port.published.map(String.init) ?? "?") published in ingress mode (routing mesh)")
            }
        }
        guard ipvs.status != .ok else {
            return DoctorCheckResult(name: "ipvs", status: .ok, message: "IPVS is present: virtual IPs and the routing mesh work")
        }
        let meaning = "IPVS is missing on this node: Swarm still assigns virtual IPs and ingress ports, but no traffic reaches them"
        guard !affected.isEmpty else {
            return DoctorCheckResult(
                name: "ipvs", status: .warn,
                message: "\(meaning); \(stack.name)/\(stack.environment) uses DNS round robin and host-mode ports only, so it works here",
                hint: ipvs.hint)
        }
        return DoctorCheckResult(
            name: "ipvs", status: .fail,
            message: "\(meaning): \(affected.count) uses in \(stack.name)/\(stack.environment) will not answer",
            hint: "give these services `endpoint_mode: dnsrr` and publish ports with `mode: host` (or run on a kernel with ip_vs: `modprobe ip_vs`)",
            details: affected)
    }
}
