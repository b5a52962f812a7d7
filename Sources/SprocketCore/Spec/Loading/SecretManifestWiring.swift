/// Turns each entry of the `secrets:` manifest into a stack secret and mounts it in its consumers.
///
/// The secret (named like the entry, source ``SecretSpec/Source/manifest(name:)``) goes into the layer of the
/// first consumer; every consumer mounts it at its target. An entry provisioned to Vault must only be consumed in
/// layers after Vault's: `up` syncs it once Vault is unsealed.
struct SecretManifestWiring {
    let diagnostics: SpecDiagnosticCollector

    func wire(_ stack: inout StackSpec) {
        let vaultLayer = stack.vault.flatMap { vault in stack.layers.firstIndex { $0.name == vault.layer } }
        for entry in stack.secretManifest.entries {
            if stack.layers.flatMap(\.secrets).contains(where: { $0.name == entry.name }) {
                diagnostics.error(entry.location, "secret `\(entry.name)` is declared in a layer and in `secrets:`",
                                  hint: "keep one: the manifest adds the layer secret for you")
                continue
            }
            var consumerLayers: [Int] = []
            for consumer in entry.consumers {
                guard let layerIndex = stack.layers.firstIndex(where: { layer in layer.services.contains { $0.name == consumer.service } }) else {
                    let names = stack.layers.flatMap(\.services).map(\.name)
                    diagnostics.error(
                        consumer.location, "secret `\(entry.name)` names consumer `\(consumer.service)`, which is not a service of this stack",
                        hint: SpecSuggestions.hint(for: consumer.service, in: names, otherwise: "list services declared in the layer files"))
                    continue
                }
                if entry.vault != nil, let vaultLayer, layerIndex <= vaultLayer {
                    diagnostics.error(
                        consumer.location,
                        "secret `\(entry.name)` goes to `\(consumer.service)` in layer `\(stack.layers[layerIndex].name)`, which starts before Vault is unsealed",
                        hint: "Vault-backed secrets are synced after layer `\(stack.layers[vaultLayer].name)`: consumers must run in a later layer")
                    continue
                }
                consumerLayers.append(layerIndex)
                mount(entry.name, consumer, layer: layerIndex, of: &stack)
            }
            guard let first = consumerLayers.min() else { continue }
            stack.layers[first].secrets.append(SecretSpec(name: entry.name, source: .manifest(name: entry.name), location: entry.location))
        }
    }

    /// Entries no service mounts: the credentials `sprocketctl` itself uses (the PostgreSQL admin, the CA, a role
    /// password only the provider sets, the S3 keys). Each becomes a secret of the layer its system is provisioned
    /// in (else the first layer), so it is resolved, synced and kept like any other; anything else is an error.
    /// Runs after `postgres:` and `s3:` are read.
    func placeProviderCredentials(_ stack: inout StackSpec) {
        var providerLayer: [String: String?] = [:]
        if let postgres = stack.postgres {
            for name in postgres.secretNames { providerLayer[name] = postgres.layer }
        }
        if let credentials = stack.s3?.credentials {
            for name in [credentials.accessKeySecret, credentials.secretKeySecret] where providerLayer[name] == nil {
                providerLayer[name] = stack.s3?.layer
            }
        }
        for entry in stack.secretManifest.entries where entry.consumers.isEmpty {
            guard let layerName = providerLayer[entry.name] else {
                diagnostics.error(
                    entry.location, "`secrets.\(entry.name)` has no `consumers`",
                    hint: "name the services that mount it, e.g. `consumers: [{service: api, target: /run/secrets/\(entry.name)}]`; "
                        + "only credentials named by `postgres:` or `s3.credentials` may have none")
                continue
            }
            guard let index = layerName.flatMap({ name in stack.layers.firstIndex { $0.name == name } }) ?? stack.layers.indices.first,
                !stack.layers.flatMap(\.secrets).contains(where: { $0.name == entry.name })
            else { continue }
            stack.layers[index].secrets.append(SecretSpec(name: entry.name, source: .manifest(name: entry.name), location: entry.location))
        }
    }

    private func mount(_ name: String, _ consumer: SecretManifestEntry.Consumer, layer: Int, of stack: inout StackSpec) {
        guard let index = stack.layers[layer].services.firstIndex(where: { $0.name == consumer.service }) else { return }
        guard !stack.layers[layer].services[index].secrets.contains(where: { $0.source == name }) else {
            diagnostics.error(consumer.location, "service `\(consumer.service)` mounts secret `\(name)` twice",
                              hint: "list each consumer once in `secrets.\(name).consumers`")
            return
        }
        stack.layers[layer].services[index].secrets.append(FileReference(source: name, target: consumer.target, location: consumer.location))
    }
}
