import SecretPipeline
import SprocketCore
import Vault

/// What a run tells its operator besides the engine's events (``ApplyEvent``): each one is rendered by the CLI as
/// a line on stderr, or as one JSON event with `--json`. None carries a secret's value.
public enum RunNotice: Sendable {
    /// A manifest secret went through its hops (source → Vault → sealed store).
    case secretSynced(SecretManifestSyncer.Report)
    /// The layers up to Vault's converged in a run of their own, before Vault's credentials.
    case layersConverged(upTo: String, runID: String?)
    /// A Vault token was kept, renewed, minted or replaced.
    case vaultToken(VaultTokenKeeper.Report)
    /// The unattended unsealer's keys were derived again (or first).
    case unsealerKeys(VaultUnsealerKeys.Outcome)
    /// Tokens replaced by this or an earlier run were revoked once their consumers ran with the new ones.
    case tokensRevoked(Int)
    /// Roles, databases or buckets outside Docker were changed.
    case externalApplied(system: String, endpoint: String, changes: [ExternalChange], mutatingOperations: Int)
}

/// Where a run's notices go.
public typealias RunNoticeHandler = @Sendable (RunNotice) -> Void
