import Foundation
import SecretPipeline
import SprocketCore
import Vault

/// The phase of `up` for a stack with a `secrets:` manifest: syncs every manifest secret (source -> Vault -> sealed store)
/// before the whole stack is planned, so the layers that mount them see their current values. A changed value
/// gives a new content-hashed Docker secret and the plan rolls exactly its consumers; nothing changed means no
/// Vault write and an unchanged plan.
///
/// Vault-backed entries need Vault unsealed: this step brings up the layers up to Vault's (after syncing the entries
/// without Vault, which those layers may consume), then checks the unseal gate. It runs before
/// ``VaultCredentialsPhase``, whose own first phase then finds nothing to change.
struct SecretSyncPhase {
    var settings: SecretPipelineSettings
    var gate: VaultUnsealGate?
    var notices: RunNoticeHandler
    /// The run's lease, held for the whole `up`.
    var lease: any StateLease

    func run(
        _ stack: StackSpec, deployment: Deployment, options: Planner.Options, command: String, rollsBack: Bool,
        events: @escaping ApplyEventHandler
    ) async throws {
        guard !stack.secretManifest.isEmpty else { return }
        let sync = ManifestSync(settings: settings, lease: lease)
        // Sources first: an unreachable Doppler stops `up` before anything (Vault's layers included) changes.
        let sourceValues = try await sync.readSources(stack)
        if let gate, let vault = stack.vault, stack.secretManifest.entries.contains(where: { $0.vault != nil }) {
            // Entries without Vault may be consumed in the layers brought up first: they are synced before them.
            var withoutVault = stack
            withoutVault.secretManifest.entries.removeAll { $0.vault != nil }
            if !withoutVault.secretManifest.isEmpty {
                _ = try await sync.apply(withoutVault, sourceValues: sourceValues, command: command)
            }
            try await bringUpVault(stack, vault: vault, gate: gate, deployment: deployment, options: options, command: command,
                                   rollsBack: rollsBack, events: events)
        }
        for report in try await sync.apply(stack, sourceValues: sourceValues, command: command) {
            notices(.secretSynced(report))
        }
    }

    private func bringUpVault(
        _ stack: StackSpec, vault: VaultSpec, gate: VaultUnsealGate, deployment: Deployment, options: Planner.Options, command: String,
        rollsBack: Bool, events: @escaping ApplyEventHandler
    ) async throws {
        guard let vaultIndex = stack.layers.firstIndex(where: { $0.name == vault.layer }) else { return }
        var first = stack
        first.layers = Array(stack.layers[...vaultIndex])
        // The manifest secrets are consumed after Vault's layer only, so this phase needs none of them.
        first.secretManifest = SecretManifest()
        let selected = Set(first.layers.map(\.name)).intersection(options.layers ?? Set(first.layers.map(\.name)))
        if !selected.isEmpty {
            let result = try await deployment.up(
                first, options: Planner.Options(layers: selected, prune: options.prune),
                command: "\(command) (layers up to \(vault.layer))", rollsBack: rollsBack, lease: lease)
            if result.applied { return }  // the layer gate unsealed Vault
        }
        let failed = try await gate.ensure(events: events).filter { !$0.passed }
        if !failed.isEmpty {
            throw SprocketError(
                .gateFailed, failed.map { "\($0.check): expected \($0.expected), saw \($0.seen)" }.joined(separator: "\n"),
                hint: "the manifest secrets need an unsealed Vault; nothing after layer \(vault.layer) changed (`sprocketctl vault status`)")
        }
    }
}
