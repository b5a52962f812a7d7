import DockerEngine
import SprocketCore
import Vault

/// The last NDJSON line of `up --json` and `down --json`: the outcome and how many API calls the run sent to
/// Docker and to Vault, of which how many could change something (a second `up` with nothing to do sends none).
struct RunSummary: Encodable {
    struct Calls: Encodable {
        var total: Int
        var mutating: Int

        init(total: Int, mutating: Int) {
            self.total = total
            self.mutating = mutating
        }

        init(_ stats: APICallStats) { self.init(total: stats.total, mutating: stats.mutating) }
    }

    var event = "summary"
    var outcome: String
    var runID: String?
    var changes: Int
    /// nil when the run never reached the Docker engine.
    var dockerCalls: Calls?
    /// nil for commands that never talk to Vault (`down`); `up` always says, zeros for a stack without Vault.
    var vaultCalls: Calls?
    var seconds: Double
}

extension RunSummary {
    /// The summary of a run that started at `started` and ended (`outcome`) with `result`, nil when it failed.
    init(outcome: String, result: Deployment.Result?, dockerCalls: APICallStats?, vaultCalls: APICallStats? = nil, started: ContinuousClock.Instant) {
        self.init(
            outcome: outcome, runID: result?.runID, changes: result?.plan.allChanges.count ?? 0, dockerCalls: dockerCalls.map(Calls.init),
            vaultCalls: vaultCalls.map(Calls.init), seconds: (ContinuousClock.now - started).secondsValue)
    }
}
