import Foundation
import SecretPipeline
import SprocketCore
import Vault

/// The phase of `up` for a stack whose later layers mount credentials that exist only once Vault is initialised (`vault.tokens`,
/// the keys of `vault.unsealer`): the layers up to Vault's first, then Vault itself (initialised, unsealed, mounts
/// and policies), then the tokens (minted, renewed or replaced) and the unsealer's keys (derived from the key file),
/// and only then the whole stack, so the layers that mount them as Docker secrets see their current values.
///
/// On a settled stack every step is a no-op: the first phase plans no change, Vault is unsealed, every token and
/// the unsealer's keys are kept, and the second phase plans no change.
struct VaultCredentialsPhase {
    var settings: SecretPipelineSettings
    var gate: VaultUnsealGate
    var notices: RunNoticeHandler
    /// The run's lease, held for the whole `up`.
    var lease: any StateLease

    /// Runs the first phase and keeps the tokens. Returns whether the first phase applied a change.
    func run(
        _ stack: StackSpec, deployment: Deployment, options: Planner.Options, command: String, rollsBack: Bool,
        events: @escaping ApplyEventHandler
    ) async throws -> Bool {
        guard let vault = stack.vault, !vault.tokens.isEmpty || vault.unsealer != nil,
            let vaultIndex = stack.layers.firstIndex(where: { $0.name == vault.layer })
        else { return false }
        var first = stack
        first.layers = Array(stack.layers[...vaultIndex])
        let selected = Set(first.layers.map(\.name)).intersection(options.layers ?? Set(first.layers.map(\.name)))
        var applied = false
        if !selected.isEmpty {
            let result = try await deployment.up(
                first, options: Planner.Options(layers: selected, prune: options.prune), command: "\(command) (layers up to \(vault.layer))",
                rollsBack: rollsBack, lease: lease)
            applied = result.applied
            if applied { notices(.layersConverged(upTo: vault.layer, runID: result.runID)) }
        }
        if !applied {
            let failed = try await gate.ensure(events: events).filter { !$0.passed }
            if !failed.isEmpty {
                throw SprocketError(
                    .gateFailed, failed.map { "\($0.check): expected \($0.expected), saw \($0.seen)" }.joined(separator: "\n"),
                    hint: "the tokens need an unsealed Vault; nothing after layer \(vault.layer) changed (`sprocketctl vault status`)")
            }
        }
        try await withSealedStore(of: stack, command: "\(command) (vault credentials)") { store, identity in
            try await keepTokens(stack, store: store, identity: identity)
            try keepUnsealerKeys(stack, store: store)
        }
        return applied
    }

    /// After the whole stack was deployed (its consumers run with the new tokens): revokes the tokens this or an
    /// earlier run replaced. Nothing to revoke: no Vault call.
    func revokeReplacedTokens(_ stack: StackSpec, command: String) async throws {
        guard stack.vault?.tokens.isEmpty == false else { return }
        let revoked = try await withSealedStore(of: stack, command: "\(command) (revoking replaced vault tokens)") { store, identity in
            try await gate.revokeRetiredTokens(store: store, identity: identity, lease: lease)
        }
        if revoked > 0 { notices(.tokensRevoked(revoked)) }
    }

    /// Runs `body` with the stack environment's sealed store, once the run's lease still holds.
    private func withSealedStore<T>(
        of stack: StackSpec, command: String, _ body: (SealedSecretStore, StackIdentity) async throws -> T
    ) async throws -> T {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        try await lease.check(before: command)
        return try await body(try settings.sealedStore(of: identity), identity)
    }

    /// The unsealer's key file and passphrase, derived once from the operator's key file (again only after Vault
    /// was initialised anew). Without the operator's passphrase the ones derived before are kept unchecked.
    private func keepUnsealerKeys(_ stack: StackSpec, store: SealedSecretStore) throws {
        guard stack.vault?.unsealer != nil else { return }
        let held = try VaultUnsealerSecret.allCases.allSatisfy { try store.value(named: $0.storeKey) != nil }
        if held && (gate.passphrase ?? "").isEmpty { return }
        let outcome: VaultUnsealerKeys.Outcome?
        do {
            outcome = try gate.keepUnsealerKeys(store: store)
        } catch {
            throw SprocketError(
                .gateFailed, "the unsealer's keys could not be derived: \(error)", subject: gate.keyFile,
                hint: "nothing after layer \(stack.vault?.layer ?? "?") changed; set SPROCKET_VAULT_PASSPHRASE to the key file's passphrase")
        }
        guard let outcome, outcome != .kept else { return }
        notices(.unsealerKeys(outcome))
    }

    private func keepTokens(_ stack: StackSpec, store: SealedSecretStore, identity: StackIdentity) async throws {
        guard stack.vault?.tokens.isEmpty == false else { return }
        let reports: [VaultTokenKeeper.Report]
        do {
            reports = try await gate.keepTokens(store: store, identity: identity, lease: lease)
        } catch let lost as SprocketError where lost.code == .leaseLost {
            // Not a Vault problem: the run stops with the lease-lost exit code and message, as before any other write.
            throw lost
        } catch {
            throw SprocketError(
                .gateFailed, "Vault tokens could not be kept: \(error)", subject: stack.vault?.address,
                hint: "nothing after layer \(stack.vault?.layer ?? "?") changed; check the policies the tokens name and `sprocketctl vault status`")
        }
        for report in reports { notices(.vaultToken(report)) }
    }
}
