import Orchestration
import SecretPipeline
import SprocketCore
import Vault

/// Prints a run's notices (``RunNotice``): a line on stderr for each change, or one JSON event per notice with
/// `--json` (`secret-sync`, `vault-token`, `vault-unsealer-keys`, `external-applied`).
struct RunNoticeRenderer: Sendable {
    let console: Console
    let json: Bool

    var handler: RunNoticeHandler { { render($0) } }

    func render(_ notice: RunNotice) {
        switch notice {
        case .secretSynced(let report):
            if json {
                console.json(report)
            } else if report.action != .unchanged {
                console.err(SecretSyncLine.describe(report))
            }
        case .layersConverged(let layer, let runID):
            if !json { console.err("up: layers up to \(layer) converged (run \(runID ?? "-")); now Vault's credentials") }
        case .vaultToken(let report):
            if json {
                console.json(TokenEvent(token: report))
            } else if report.action != .kept {
                console.err(VaultTokenLine.describe(report))
            }
        case .unsealerKeys(let outcome):
            if json {
                console.json(UnsealerEvent(outcome: outcome.rawValue))
            } else {
                console.err("vault unsealer: \(outcome.rawValue) its keys (\(VaultUnsealerSecret.allCases.map(\.secretName).joined(separator: ", ")): "
                            + "the unseal shares Vault needs, no root token)")
            }
        case .tokensRevoked(let count):
            if !json { console.err("vault: revoked \(count) replaced token\(count == 1 ? "" : "s"), now that their consumers run with the new ones") }
        case .externalApplied(let system, let endpoint, let changes, let mutatingOperations):
            if json {
                console.json(ExternalAppliedEvent(system: system, endpoint: endpoint, changes: changes, mutatingOperations: mutatingOperations))
            } else {
                for line in ExternalProviders.render(changes, offline: false).dropFirst() { console.err(line) }
                console.err("up: \(system) at \(endpoint): \(changes.count) changes applied")
            }
        }
    }

    /// The event a token's report becomes in `up --json`.
    struct TokenEvent: Encodable {
        var event = "vault-token"
        var token: VaultTokenKeeper.Report
    }

    /// The event the unsealer's keys become in `up --json`.
    struct UnsealerEvent: Encodable {
        var event = "vault-unsealer-keys"
        var outcome: String
    }

    /// One line of `up --json` per system outside Docker that changed.
    struct ExternalAppliedEvent: Encodable {
        var event = "external-applied"
        var system: String
        var endpoint: String
        var changes: [ExternalChange]
        var mutatingOperations: Int
    }
}
