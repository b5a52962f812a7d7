import Foundation

/// Compose's host paths for bind mounts: `./data`, `../shared` and a bare relative `source:` start from the folder
/// of the Compose file, and `~` or `~/x` from the home of the user running the tool, as `docker stack deploy`
/// resolves them on the client before sending absolute paths to Swarm (docs/spec.md, "Compose files").
struct ComposeBindPaths {
    /// The folder of the Compose file, absolute.
    let folder: String
    /// `HOME` of the process, for `~`.
    let home: String?
    let diagnostics: SpecDiagnosticCollector

    /// `service` with every relative bind source made absolute, each with a warning saying where it points and
    /// that on several nodes the path must exist on each. `~user/x` is left for the validator's error.
    func resolve(_ service: ServiceSpec) -> ServiceSpec {
        var service = service
        for index in service.mounts.indices {
            let mount = service.mounts[index]
            guard mount.kind == .bind, let source = mount.source, !source.hasPrefix("/"), let absolute = absolute(source) else { continue }
            service.mounts[index].source = absolute
            diagnostics.warning(
                mount.location,
                "bind mount source `\(source)` of service `\(service.name)` is \(absolute) on the machine running sprocketctl",
                hint: "Swarm mounts that path on the node that runs the task: on a swarm of several nodes it must exist on each; "
                    + "for a single file, `configs:` carries it to every node")
        }
        return service
    }

    private func absolute(_ source: String) -> String? {
        if source == "~" || source.hasPrefix("~/") {
            guard let home, home.hasPrefix("/") else { return nil }
            return URL(fileURLWithPath: home + source.dropFirst()).standardized.path
        }
        if source.hasPrefix("~") { return nil }
        return URL(fileURLWithPath: folder + "/" + source).standardized.path
    }
}
