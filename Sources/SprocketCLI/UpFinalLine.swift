/// The last line `up` prints without `--json`: what the run did and how many calls changed Docker and Vault, so that
/// a rerun shows itself to be a no-op (`up: no changes: 0 mutating Docker calls, 0 mutating Vault calls`).
enum UpFinalLine {
    /// - Parameters:
    ///   - converged: What was applied (`web/prod converged (3 changes, run …)`); nil when the plan had no change.
    ///   - docker: Mutating Docker calls of the run.
    ///   - vault: Mutating Vault calls of the run.
    static func describe(converged: String?, docker: Int, vault: Int) -> String {
        let calls = "\(count(docker, "Docker")), \(count(vault, "Vault"))"
        if let converged { return "up: \(converged): \(calls)" }
        // Nothing planned, yet something may have changed before the plan: Vault unsealed again after a restart,
        // a token renewed, layers up to Vault's brought up by an earlier phase of this run.
        return docker == 0 && vault == 0 ? "up: no changes: \(calls)" : "up: nothing left to apply: \(calls)"
    }

    private static func count(_ number: Int, _ system: String) -> String {
        "\(number) mutating \(system) call\(number == 1 ? "" : "s")"
    }
}
