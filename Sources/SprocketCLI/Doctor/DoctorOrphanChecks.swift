import Foundation
import SprocketCore

/// `doctor`'s checks of the running services against the spec (docs/pain-points.md #19, #20): services that still carry this
/// stack's ownership labels but that the spec no longer declares (orphans, whose routers answer for hosts nobody
/// deploys), and one Traefik router name defined by two services (Traefik drops both, and the host answers 404).
/// Pure over what Docker reported.
struct DoctorOrphanChecks {
    var stack: StackSpec
    var services: [ObservedService]

    func all() -> [DoctorCheckResult] { [orphans(), duplicateRouters()] }

    func orphans() -> DoctorCheckResult {
        let declared = Set(stack.layers.flatMap(\.services).map(\.name))
        let orphans = services.filter { !declared.contains($0.name) }.sorted { $0.dockerName < $1.dockerName }.map { service in
            let routers = Self.routers(of: service)
            let owner = "\(service.dockerName) (layer \(service.layer), service \(service.name))"
            return routers.isEmpty ? owner : "\(owner): routers \(routers.joined(separator: ", "))"
        }
        return .judging(
            "orphan-services", orphans, passed: "every running service of \(stack.name)/\(stack.environment) is declared by the spec", status: .fail,
            message: { "\($0) services carry this stack's labels but the spec no longer declares them (docs/pain-points.md #19, #20: "
                + "orphaned tasks and stale routers caused 404s, duplicated services in state)" },
            hint: "run `sprocketctl plan` to see them as removals and `sprocketctl up` to remove them (or declare them again)")
    }

    func duplicateRouters() -> DoctorCheckResult {
        var owners: [String: [String]] = [:]
        for service in services {
            for router in Self.routers(of: service) { owners[router, default: []].append(service.dockerName) }
        }
        let shared = owners.mapValues { Set($0).sorted() }.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
            .map { "\($0.key): \($0.value.joined(separator: " and "))" }
        return .judging(
            "duplicate-routers", shared, passed: "no Traefik router name is defined by two running services", status: .fail,
            message: { "\($0) Traefik routers are defined by two services (docs/pain-points.md #19: duplicate routers answered 404)" },
            hint: "remove the stale service (`sprocketctl up` prunes orphans) or rename the hand-written router label")
    }

    /// `traefik.(http|tcp|udp).routers.<name>.…` in the service labels (where Traefik reads them in Swarm mode).
    static func routers(of service: ObservedService) -> [String] {
        var names: Set<String> = []
        for key in service.definition.serviceLabels.keys {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count > 4, parts[0] == "traefik", ["http", "tcp", "udp"].contains(parts[1]), parts[2] == "routers" else { continue }
            names.insert("\(parts[1]) \(parts[3])")
        }
        return names.sorted()
    }
}
