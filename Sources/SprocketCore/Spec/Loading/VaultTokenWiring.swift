/// Turns each token of `vault.tokens` into a stack secret and mounts it in its consumers.
///
/// The secret (`vault-token-<name>`, source ``SecretSpec/Source/vaultToken(token:)``) goes into the layer of the
/// first consumer; every consumer mounts it at `/run/secrets/vault-token-<name>`. Consumers must run in layers
/// after Vault's: the token is minted once Vault is unsealed.
struct VaultTokenWiring {
    let diagnostics: SpecDiagnosticCollector

    func wire(_ stack: inout StackSpec) {
        guard let vault = stack.vault, let vaultLayer = stack.layers.firstIndex(where: { $0.name == vault.layer }) else { return }
        for token in vault.tokens {
            var consumerLayers: [Int] = []
            for consumer in token.consumers {
                guard let layerIndex = stack.layers.firstIndex(where: { layer in layer.services.contains { $0.name == consumer } }) else {
                    let names = stack.layers.flatMap(\.services).map(\.name)
                    diagnostics.error(
                        token.location, "token `\(token.name)` names consumer `\(consumer)`, which is not a service of this stack",
                        hint: SpecSuggestions.hint(for: consumer, in: names, otherwise: "list services declared in the layer files"))
                    continue
                }
                guard layerIndex > vaultLayer else {
                    diagnostics.error(
                        token.location,
                        "token `\(token.name)` goes to `\(consumer)` in layer `\(stack.layers[layerIndex].name)`, which starts before Vault is unsealed",
                        hint: "tokens are minted after layer `\(vault.layer)`: consumers must run in a later layer")
                    continue
                }
                consumerLayers.append(layerIndex)
                mount(token, in: consumer, layer: layerIndex, of: &stack)
            }
            guard let first = consumerLayers.min() else { continue }
            if stack.layers.flatMap(\.secrets).contains(where: { $0.name == token.secretName }) {
                diagnostics.error(token.location, "secret `\(token.secretName)` is declared in a layer and by `vault.tokens.\(token.name)`",
                                  hint: "remove the layer's declaration: the token's secret is added for you")
                continue
            }
            stack.layers[first].secrets.append(
                SecretSpec(name: token.secretName, source: .vaultToken(token: token.name), location: token.location))
        }
    }

    private func mount(_ token: VaultTokenSpec, in consumer: String, layer: Int, of stack: inout StackSpec) {
        guard let index = stack.layers[layer].services.firstIndex(where: { $0.name == consumer }) else { return }
        guard !stack.layers[layer].services[index].secrets.contains(where: { $0.source == token.secretName }) else { return }
        stack.layers[layer].services[index].secrets.append(FileReference(source: token.secretName, location: token.location))
    }
}
