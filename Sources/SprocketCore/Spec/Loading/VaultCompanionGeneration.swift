/// Adds the services of `vault.unsealer` and `vault.renewer` (sprocketctl's `vault watch` and
/// `vault renew-tokens`) to the stack, with the Docker secrets they mount.
///
/// Neither may run in `vault.layer`: the unsealer's keys and the consumers' tokens exist only once `up` has
/// initialised Vault after that layer converged. So each goes into a later layer, which `up` deploys after the
/// gate that initialises and unseals Vault (the same two phases as the tokens, see `UpVaultCredentials`).
struct VaultCompanionGeneration {
    let diagnostics: SpecDiagnosticCollector

    func generate(_ stack: inout StackSpec) {
        guard let vault = stack.vault, let vaultIndex = stack.layers.firstIndex(where: { $0.name == vault.layer }) else { return }
        for companion in [vault.unsealer, vault.renewer].compactMap(\.self) {
            generate(companion, vault: vault, vaultIndex: vaultIndex, into: &stack)
        }
    }

    private func generate(_ companion: VaultCompanionSpec, vault: VaultSpec, vaultIndex: Int, into stack: inout StackSpec) {
        let key = "vault.\(companion.role.rawValue)"
        let name = companion.role.serviceName
        guard let address = companion.address ?? vault.server.map({ "http://\($0.name):8200" }) else {
            diagnostics.error(companion.location, "`\(key)` needs `address`: the stack runs no `vault.server` to reach by name",
                              hint: "give Vault's address as the swarm's tasks reach it, e.g. `address: https://vault.internal:8200`")
            return
        }
        let network = companion.network ?? vault.server?.network
        if let network, !stack.layers.flatMap(\.networks).contains(where: { $0.name == network }) {
            diagnostics.error(companion.location, "`\(key)` joins network `\(network)`, which no layer declares",
                              hint: "declare it under `networks:`, or set `\(key).network`")
            return
        }
        if let clash = stack.layers.first(where: { $0.services.contains { $0.name == name } }) {
            diagnostics.error(companion.location, "`\(key)` generates service `\(name)`, which layer `\(clash.name)` already declares",
                              hint: "rename the hand-written service")
            return
        }
        let mounted: [String]
        switch companion.role {
        case .unsealer:
            mounted = VaultUnsealerSecret.allCases.map(\.secretName)
        case .renewer:
            guard !vault.tokens.isEmpty else {
                diagnostics.error(companion.location, "`\(key)` has no tokens to renew: `vault.tokens` is empty",
                                  hint: "declare `vault.tokens`, or remove `\(key)`")
                return
            }
            mounted = vault.tokens.map(\.secretName)
        }
        guard let layerIndex = layer(for: companion, mounting: mounted, vaultIndex: vaultIndex, in: stack) else { return }
        var service = ServiceSpec(name: name, image: companion.image, location: companion.location)
        service.entrypoint = [RunnerImage.executablePath]
        service.command = Self.arguments(companion, address: address, secrets: mounted)
        service.networks = network.map { [NetworkAttachment(name: $0, location: companion.location)] } ?? []
        // Readable by the process only (Docker's default is 0444).
        service.secrets = mounted.map { FileReference(source: $0, mode: 0o400, location: companion.location) }
        service.stopGracePeriod = .seconds(5)
        if companion.role == .unsealer {
            // Its secrets are unseal keys: keep them (and the task that reads them) on managers, whose Raft store holds them anyway.
            service.deploy.placement.constraints = ["node.role == manager"]
            for secret in VaultUnsealerSecret.allCases where !stack.layers.flatMap(\.secrets).contains(where: { $0.name == secret.secretName }) {
                stack.layers[layerIndex].secrets.append(
                    SecretSpec(name: secret.secretName, source: .vaultUnsealer(secret), location: companion.location))
            }
        }
        stack.layers[layerIndex].services.append(service)
    }

    /// `vault watch` or `vault renew-tokens`, reading what it needs from the mounted secrets only.
    static func arguments(_ companion: VaultCompanionSpec, address: String, secrets: [String]) -> [String] {
        let interval = "\(companion.interval.components.seconds * 1000 + companion.interval.components.attoseconds / 1_000_000_000_000_000)ms"
        switch companion.role {
        case .unsealer:
            return ["vault", "watch", "--addr", address, "--interval", interval, "--json",
                    "--key-file", "/run/secrets/\(VaultUnsealerSecret.keyFile.secretName)",
                    "--passphrase-file", "/run/secrets/\(VaultUnsealerSecret.passphrase.secretName)"]
        case .renewer:
            return ["vault", "renew-tokens", "--addr", address, "--interval", interval, "--json"] + secrets.map { "/run/secrets/\($0)" }
        }
    }

    /// The declared layer, or the default: the first layer after Vault's (unsealer), or the one declaring the last
    /// token's secret (renewer). It must come after Vault's and not before any secret it mounts.
    private func layer(for companion: VaultCompanionSpec, mounting secrets: [String], vaultIndex: Int, in stack: StackSpec) -> Int? {
        let key = "vault.\(companion.role.rawValue)"
        let declaring = secrets.compactMap { secret in stack.layers.firstIndex { $0.secrets.contains { $0.name == secret } } }
        let earliest = max(vaultIndex + 1, declaring.max() ?? 0)
        guard let wanted = companion.layer else {
            guard earliest < stack.layers.count else {
                diagnostics.error(
                    companion.location, "`\(key)` needs a layer after `\(stack.layers[vaultIndex].name)` (Vault's) to run in, and there is none",
                    hint: "what it mounts exists only once Vault is initialised: add a layer after `\(stack.layers[vaultIndex].name)`")
                return nil
            }
            return earliest
        }
        guard let index = stack.layers.firstIndex(where: { $0.name == wanted }) else {
            diagnostics.error(companion.location, "`\(key).layer` names `\(wanted)`, which is not a layer of this stack",
                              hint: "one of: \(stack.layers.map(\.name).joined(separator: ", "))")
            return nil
        }
        guard index >= earliest else {
            diagnostics.error(
                companion.location, "`\(key).layer` is `\(wanted)`, but it must run after Vault's layer and the secrets it mounts",
                hint: "use layer `\(stack.layers[min(earliest, stack.layers.count - 1)].name)` or a later one")
            return nil
        }
        return index
    }
}
