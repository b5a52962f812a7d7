extension Applier {
    /// Restores every service the failed run changed, newest change first (so later layers before earlier ones):
    /// created services are removed, updated and removed ones are put back as they were observed before the run,
    /// with their secret and config references. Waits for convergence, then throws `rolled back: ...`.
    ///
    /// Networks, volumes, configs and secrets the run created are left: they belong to the spec, carry the
    /// stack's labels, and the next `up` uses or prunes them.
    ///
    /// Only what this run did is undone: a service is restored or removed only while it is still as this run left
    /// it (the spec hash this run applied, or gone when this run removed it). One changed since by someone else (a
    /// second run, `docker service update`) is left alone, and the run says so.
    func rollBack(_ changes: [PlannedChange], observed: ObservedState, desired: DesiredState, cause: any Error) async throws -> Never {
        let clock = ContinuousClock()
        let started = clock.now
        let current = Dictionary(((try? await driver.observe(desired.identity))?.services ?? observed.services).map { ($0.dockerName, $0) }) { first, _ in first }
        let applied = Dictionary(desired.layers.flatMap(\.services).map { ($0.dockerName, $0.specHash) }) { first, _ in first }
        var services: [PlannedChange] = []
        for change in changes where change.resource.kind == .service {
            let now = current[change.dockerName]
            let stillOurs = change.action == .delete ? now == nil : (now?.specHash != nil && now?.specHash == applied[change.dockerName])
            if stillOurs {
                services.append(change)
            } else {
                events(.warning("left \(change.resource) as it is: it changed after this run \(change.action == .delete ? "removed" : "applied") it, so it is not this run's to undo"))
            }
        }
        events(.rollbackStarted(cause: String(describing: cause), services: services.map(\.resource.name)))
        let before = Dictionary(observed.services.map { ($0.dockerName, $0) }) { first, _ in first }
        var restored: [String] = []
        var removed: [ObservedService] = []
        var failures: [String] = []
        var recordedFailures: [String] = []
        for change in services.reversed() {
            do {
                if let snapshot = before[change.dockerName] {
                    try await driver.restoreService(snapshot)
                    restored.append(change.dockerName)
                    events(.rollbackStep(service: change.resource.name, action: change.action == .delete ? "recreated" : "restored"))
                } else {
                    let created = ObservedService(
                        id: change.dockerName, dockerName: change.dockerName, layer: change.layer, name: change.resource.name,
                        specHash: nil, version: 0, definition: ServiceDefinition(image: ""))
                    try await driver.removeService(created)
                    removed.append(created)
                    events(.rollbackStep(service: change.resource.name, action: "removed"))
                }
            } catch {
                failures.append("\(change.resource): \(error)")
                recordedFailures.append("\(change.resource): \(SprocketError.recorded(error))")
            }
        }
        if failures.isEmpty {
            do {
                if !removed.isEmpty { try await driver.waitUntilRemoved(removed, timeout: LayerSpec.defaultTimeout) }
                try await waitForConvergence(
                    of: restored, layer: "rollback", timeout: LayerSpec.defaultTimeout, deadline: clock.now + LayerSpec.defaultTimeout)
            } catch {
                failures.append("after restoring: \(error)")
                recordedFailures.append("after restoring: \(SprocketError.recorded(error))")
            }
        }
        let names = services.map(\.resource.name)
        guard failures.isEmpty else {
            var error = SprocketError(
                .rollbackFailed,
                "the run failed and its rollback failed too\ncause: \(cause)\nrollback errors:\n" + failures.joined(separator: "\n"),
                hint: "`sprocketctl status` shows where each service stands; `sprocketctl rollback` restores the last successful run")
            error.recordedMessage = "the run failed and its rollback failed too\ncause: \(SprocketError.recorded(cause))\nrollback errors:\n"
                + recordedFailures.joined(separator: "\n")
            throw error
        }
        let elapsed = clock.now - started
        events(.rollbackFinished(services: names, seconds: elapsed.secondsValue))
        var error = SprocketError(
            .rolledBack, "rolled back: \(names.joined(separator: ", ")) restored to their state before this run\ncause: \(cause)",
            hint: "fix the cause and run `up` again; `up --no-rollback` leaves a failure in place for debugging")
        error.recordedMessage = "rolled back: \(names.joined(separator: ", ")) restored to their state before this run\ncause: \(SprocketError.recorded(cause))"
        throw error
    }
}
