/// Checks the syntax of every name: the stack, its environments, layers, resources and services, plus
/// secret sources and the layer timeouts that are not names but belong to no service.
struct NameCheck {
    let stack: StackSpec

    func run(into diagnostics: inout [SpecDiagnostic]) {
        if !SpecNameRules.isStackName(stack.name) {
            let fix = stack.kind == .compose ? "set `name:` in the Compose file" : "rename `stack:`"
            diagnostics.append(SpecDiagnostic(stack.location, "invalid stack name `\(stack.name)`",
                                              hint: "\(fix): \(SpecNameRules.stackHint)"))
        }
        for environment in Set([stack.environment] + stack.declaredEnvironments).sorted() where !SpecNameRules.isStackName(environment) {
            diagnostics.append(SpecDiagnostic(stack.location, "invalid environment name `\(environment)`",
                                              hint: "environment names are \(SpecNameRules.stackHint)"))
        }
        for layer in stack.layers {
            checkName(layer.name, kind: "layer", at: layer.location, into: &diagnostics)
            if layer.timeout <= .zero {
                diagnostics.append(SpecDiagnostic(layer.timeoutLocation ?? layer.location, "the timeout of layer `\(layer.name)` must be positive",
                                                  hint: "write a duration such as `5m`"))
            }
            for network in layer.networks { checkName(network.name, kind: "network", at: network.location, into: &diagnostics) }
            for volume in layer.volumes { checkName(volume.name, kind: "volume", at: volume.location, into: &diagnostics) }
            for config in layer.configs { checkName(config.name, kind: "config", at: config.location, into: &diagnostics) }
            for secret in layer.secrets {
                checkName(secret.name, kind: "secret", at: secret.location, into: &diagnostics)
                checkSource(secret, into: &diagnostics)
            }
            for service in layer.services {
                checkName(service.name, kind: "service", at: service.location, into: &diagnostics)
                let dockerName = "\(stack.name)-\(stack.environment)_\(service.name)"
                if dockerName.count > 63 {
                    diagnostics.append(SpecDiagnostic(service.location, "the Docker name `\(dockerName)` of service `\(service.name)` is longer than 63 characters",
                                                      hint: "Swarm service names are DNS labels; shorten the service, stack or environment name"))
                }
            }
        }
    }

    private func checkName(_ name: String, kind: String, at location: SourceLocation, into diagnostics: inout [SpecDiagnostic]) {
        guard !SpecNameRules.isResourceName(name) else { return }
        diagnostics.append(SpecDiagnostic(location, "invalid \(kind) name `\(name)`", hint: SpecNameRules.resourceHint))
    }

    private func checkSource(_ secret: SecretSpec, into diagnostics: inout [SpecDiagnostic]) {
        switch secret.source {
        case .generate(let length, let alphabet):
            if !(8...4096).contains(length) {
                diagnostics.append(SpecDiagnostic(secret.location(of: "generate.length"), "generated secret `\(secret.name)` has length \(length), outside 8...4096",
                                                  hint: "choose a length from 8 to 4096; 32 is the default"))
            }
            if alphabet.characters.count < 2 {
                diagnostics.append(SpecDiagnostic(secret.location(of: "generate.alphabet"), "the alphabet of secret `\(secret.name)` has fewer than 2 distinct characters",
                                                  hint: "use `alphanumeric`, `hex`, `base64url`, `ascii-printable` or a longer literal alphabet"))
            }
        case .environment(let variable):
            if !SpecNameRules.isPortableVariableName(variable) {
                diagnostics.append(SpecDiagnostic(secret.location(of: "environment"), "secret `\(secret.name)` reads the invalid variable name `\(variable)`",
                                                  hint: "name an environment variable: letters, digits and `_`, not starting with a digit"))
            }
        case .local(let name):
            if !LocalSecretStore.isValidName(name) {
                diagnostics.append(SpecDiagnostic(secret.location, "secret `\(secret.name)` names the invalid local secret `\(name)`",
                                                  hint: LocalSecretStore.nameHint))
            }
        case .file, .external, .vaultToken, .vaultUnsealer, .manifest, .doppler:
            break
        }
    }
}
