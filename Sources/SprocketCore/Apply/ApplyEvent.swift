/// Progress of a run, emitted by the core and drawn by the CLI (a live line on a terminal, NDJSON with `--json`).
public enum ApplyEvent: Sendable {
    case layerStarted(layer: String, changes: Int)
    case changeStarted(PlannedChange)
    case changeSucceeded(PlannedChange, seconds: Double)
    case changeFailed(PlannedChange, message: String)
    case waiting(layer: String, converged: Int, total: Int, pending: [String])
    /// Where each service of a layer stands while the layer converges (tasks running/desired, phase).
    case serviceProgress(layer: String, services: [ServiceConvergence])
    case layerSucceeded(layer: String, seconds: Double)
    case layerFailed(layer: String, message: String)
    case serviceFailed(service: String, reason: String, diagnosis: ServiceDiagnosis)
    /// One gate check of a converged layer, with what was expected and what was seen.
    case checkResult(GateCheckResult)
    /// A failed run starts restoring the services it changed.
    case rollbackStarted(cause: String, services: [String])
    case rollbackStep(service: String, action: String)
    case rollbackFinished(services: [String], seconds: Double)
    case warning(String)
    case note(String)
}

/// Receives events; must be cheap and must not throw.
public typealias ApplyEventHandler = @Sendable (ApplyEvent) -> Void
