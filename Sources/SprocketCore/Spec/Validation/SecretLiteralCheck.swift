/// The leak guard of `validate`: a secret pasted into `environment:`, `command:`, labels or a config of the spec
/// ends up in git, in the service spec and in `docker inspect`. Each finding names the place, never the value.
struct SecretLiteralCheck {
    let stack: StackSpec

    static let hint = "declare it under `secrets:` (from the environment, a file, Doppler or `generate`) and mount it; "
        + "if it is not a secret, list its name under the service's `not_secret:`"

    func run(into diagnostics: inout [SpecDiagnostic]) {
        for layer in stack.layers {
            for service in layer.services {
                check(service, into: &diagnostics)
            }
            for config in layer.configs {
                if case .external = config.source { continue }
                // Whole files: only the unmistakable formats, not entropy (hashes and certificates are fine there).
                let text = String(decoding: config.content ?? [], as: UTF8.self)
                if let kind = SecretLiteralDetector.classify(text, checkEntropy: false) {
                    diagnostics.append(SpecDiagnostic(
                        config.location, "config `\(config.name)` contains what looks like \(kind)", hint: Self.hint))
                }
            }
        }
    }

    private func check(_ service: ServiceSpec, into diagnostics: inout [SpecDiagnostic]) {
        for variable in service.environment where !service.notSecret.contains(variable.name) {
            if let kind = SecretLiteralDetector.classify(variable.value) {
                // A value from an env file may be kept out of git, but it still lands in the service spec.
                let fromEnvFile = variable.location.file != service.location.file
                diagnostics.append(SpecDiagnostic(
                    variable.location,
                    "environment variable `\(variable.name)` of service `\(service.name)` looks like \(kind): its value would be "
                        + "visible in \(fromEnvFile ? "" : "git, ")the service spec and `docker inspect`",
                    hint: Self.hint))
            }
        }
        for (key, value) in (service.labels.merging(service.deploy.labels) { first, _ in first }).sorted(by: { $0.key < $1.key })
        where !service.notSecret.contains(key) {
            if let kind = SecretLiteralDetector.classify(value) {
                diagnostics.append(SpecDiagnostic(
                    service.labelPositions[key]?.entry ?? service.location,
                    "label `\(key)` of service `\(service.name)` looks like \(kind)", hint: Self.hint))
            }
        }
        for (what, arguments) in [("command", service.command ?? []), ("entrypoint", service.entrypoint ?? [])] {
            for argument in arguments {
                guard let kind = SecretLiteralDetector.classify(argument) else { continue }
                diagnostics.append(SpecDiagnostic(
                    service.location, "an argument of `\(what)` of service `\(service.name)` looks like \(kind)", hint: Self.hint))
                break
            }
        }
    }
}
