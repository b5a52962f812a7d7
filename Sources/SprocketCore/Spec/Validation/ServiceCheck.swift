/// Checks inside one service: image, environment, mounts, secret and config targets, ports, limits.
/// Deploy settings are in ``DeployCheck``.
struct ServiceCheck {
    let service: ServiceSpec
    var diagnostics: [SpecDiagnostic] = []

    init(_ service: ServiceSpec) {
        self.service = service
    }

    private var subject: String { "service `\(service.name)`" }

    mutating func run() -> [SpecDiagnostic] {
        if service.image.isEmpty {
            error(service.location, "\(subject) has no `image`", hint: "set `image:` to the image to run, e.g. `nginx:1.27`")
        }
        checkEnvironment()
        checkMounts()
        checkFileTargets()
        checkPorts()
        checkMisc()
        return diagnostics
    }

    private mutating func error(_ location: SourceLocation, _ message: String, hint: String) {
        diagnostics.append(SpecDiagnostic(location, message, hint: hint))
    }

    private mutating func checkEnvironment() {
        for variable in service.environment where !SpecNameRules.isEnvironmentVariableName(variable.name) {
            error(variable.location, "invalid environment variable name `\(variable.name)` in \(subject)",
                  hint: "use letters, digits and `_` (also `.` and `-`), starting with a letter or `_`")
        }
        for (variable, first) in SpecRepeats.find(in: service.environment, key: \.name) {
            error(variable.location, "environment variable `\(variable.name)` is set twice in \(subject)",
                  hint: "keep one of them (the other is at \(first.location))")
        }
    }

    private mutating func checkMounts() {
        for mount in service.mounts {
            if !mount.target.hasPrefix("/") {
                error(mount.location, "mount target `\(mount.target)` in \(subject) is not an absolute path",
                      hint: "write the path inside the container from `/`, e.g. `/data`")
            }
            if mount.kind == .bind, let source = mount.source, !source.hasPrefix("/") {
                error(mount.location, "bind mount source `\(source)` in \(subject) is not an absolute path",
                      hint: "Swarm mounts bind sources on the node that runs the task: write an absolute host path, use a "
                          + "named volume, or for a single file `configs:`, which carries it to every node")
            }
        }
        for (mount, first) in SpecRepeats.find(in: service.mounts, key: \.target) {
            error(mount.location, "mount target `\(mount.target)` is used twice in \(subject)",
                  hint: "mount one thing per path (the other mount is at \(first.location))")
        }
    }

    /// Secrets and configs land in files; two of them cannot share one.
    private mutating func checkFileTargets() {
        let files = service.secrets.map { ($0, Self.secretTarget($0)) } + service.configs.map { ($0, Self.configTarget($0)) }
        for (reference, _) in files {
            if let mode = reference.mode, mode > 0o7777 {
                error(reference.location, "file mode \(mode) of `\(reference.source)` in \(subject) is out of range",
                      hint: "write a mode such as `0444` (octal) or `292` (decimal)")
            }
        }
        for ((reference, target), first) in SpecRepeats.find(in: files, key: \.1) {
            error(reference.location, "`\(target)` is the target of two secrets or configs in \(subject)",
                  hint: "give one of them another `target:` (the other is at \(first.0.location))")
        }
    }

    /// Where Docker mounts a secret: `/run/secrets/<target or name>` unless the target is absolute.
    static func secretTarget(_ reference: FileReference) -> String {
        let target = reference.target ?? reference.source
        return target.hasPrefix("/") ? target : "/run/secrets/" + target
    }

    /// Where Docker mounts a config: `/<target or name>` unless the target is absolute.
    static func configTarget(_ reference: FileReference) -> String {
        let target = reference.target ?? reference.source
        return target.hasPrefix("/") ? target : "/" + target
    }

    private mutating func checkPorts() {
        for port in service.ports {
            for (value, key) in [(port.target, "target"), (port.published, "published")] {
                guard let value, !(1...65535).contains(value) else { continue }
                error(port.location, "port \(key) \(value) in \(subject) is out of range", hint: "ports are 1 to 65535")
            }
        }
    }

    private mutating func checkMisc() {
        if let grace = service.stopGracePeriod, grace < .zero {
            error(service.location(of: "stop_grace_period"), "`stop_grace_period` of \(subject) is negative", hint: "write a duration such as `10s`")
        }
        for limit in service.ulimits where limit.soft > limit.hard || limit.soft < 0 {
            error(service.location(of: "ulimits.\(limit.name)"),
                  "ulimit `\(limit.name)` of \(subject) has soft \(limit.soft) above hard \(limit.hard) or below zero",
                  hint: "the soft limit must be between 0 and the hard limit")
        }
        if let check = service.healthcheck {
            if let retries = check.retries, retries < 0 {
                error(service.keyLocations["healthcheck.retries"] ?? check.location,
                      "`healthcheck.retries` of \(subject) is negative", hint: "write 0 or more")
            }
            for (value, key) in [(check.interval, "interval"), (check.timeout, "timeout"), (check.startPeriod, "start_period")] {
                guard let value, value <= .zero else { continue }
                error(service.keyLocations["healthcheck.\(key)"] ?? check.location,
                      "`healthcheck.\(key)` of \(subject) must be positive", hint: "omit it to use Docker's default")
            }
        }
    }
}
