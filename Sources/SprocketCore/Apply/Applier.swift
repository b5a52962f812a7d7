/// Carries out a ``Plan`` layer by layer. It never re-plans: what it does is what the plan showed.
///
/// Inside a layer: obsolete services go first (and their tasks must stop), then obsolete networks and volumes,
/// then new networks, volumes, configs and secrets, then services are created or updated concurrently, then the
/// layer waits until every service converged, and only then are old config and secret versions collected.
/// A failure stops the run before the next layer starts.
public struct Applier: Sendable {
    public var driver: any ClusterDriver
    public var concurrency: Int
    public var pollInterval: Duration
    public var logLines: Int
    public var events: ApplyEventHandler
    /// Checks a converged layer before the next one starts (nil: convergence alone gates).
    public var gate: (any LayerGate)?
    /// On failure, restore every service this run changed to what it was before (`--no-rollback` turns it off).
    public var rollsBackOnFailure: Bool
    /// Checked before a rollback starts: a run that lost its lease never rolls back (another run owns the
    /// stack environment now, and may have changed what this run would restore).
    public var lease: (any StateLease)?

    public init(
        driver: any ClusterDriver, concurrency: Int = 8, pollInterval: Duration = .milliseconds(500),
        logLines: Int = 20, gate: (any LayerGate)? = nil, rollsBackOnFailure: Bool = false,
        events: @escaping ApplyEventHandler
    ) {
        self.driver = driver
        self.gate = gate
        self.rollsBackOnFailure = rollsBackOnFailure
        self.concurrency = concurrency
        self.pollInterval = pollInterval
        self.logLines = logLines
        self.events = events
    }

    public func apply(_ plan: Plan, desired: DesiredState, observed: ObservedState) async throws {
        guard plan.blockers.isEmpty else {
            throw SprocketError(
                .unsupportedChange, plan.blockers.joined(separator: "\n"),
                hint: "nothing was changed; resolve the listed changes and run again")
        }
        let journal = ChangeJournal()
        do {
            for layerPlan in plan.layers {
                try Task.checkCancellation()
                let layer = desired.layer(named: layerPlan.layer)
                try await applyLayer(layerPlan, desiredLayer: layer, observed: observed, journal: journal)
            }
            // Orphaned layers have no known order: stop every service first, so that no config, secret or
            // network of one orphaned layer is still in use by a service of another when it is removed.
            let orphanServices = plan.orphanLayers.flatMap(\.changes).filter { $0.resource.kind == .service }
            if !orphanServices.isEmpty {
                try await removeServices(
                    LayerPlan(layer: "(removed layers)", changes: orphanServices), observed: observed,
                    timeout: LayerSpec.defaultTimeout, journal: journal)
            }
        } catch {
            if let lost = error as? SprocketError, lost.code == .leaseLost { throw lost }
            guard rollsBackOnFailure, !(error is CancellationError), !journal.changes.isEmpty else { throw error }
            do {
                try await lease?.check(before: "rolling back \(journal.changes.count) changes")
            } catch var lost as SprocketError where lost.code == .leaseLost {
                lost.cause = SprocketError.recorded(error)
                throw lost
            }
            // With the engine gone (stopped, restarting) a rollback cannot run either; say so instead of failing twice.
            if let engineError = error as? SprocketError, engineError.code == .engineUnreachable {
                var stopped = SprocketError(
                    .engineUnreachable,
                    "the run stopped because the Docker daemon became unavailable; nothing was rolled back\n\(engineError)",
                    subject: engineError.subject,
                    hint: "once `docker info` shows `Swarm: active` again, run `up`: it re-plans from what the cluster reports")
                stopped.recordedMessage = "the run stopped because the Docker daemon became unavailable; nothing was rolled back\n\(engineError.recordedDescription)"
                throw stopped
            }
            try await rollBack(journal.changes, observed: observed, desired: desired, cause: error)
        }
        // Removals of networks, volumes and old config/secret versions wait until every layer is done: a later
        // layer's services may still use them until their own update detaches them.
        let removals = (plan.layers + plan.orphanLayers).reversed().flatMap(\.changes).filter { $0.action == .delete && $0.resource.kind != .service }
        try await removeUnused(removals, observed: observed)
    }

    private func applyLayer(_ plan: LayerPlan, desiredLayer: DesiredLayer?, observed: ObservedState, journal: ChangeJournal) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        events(.layerStarted(layer: plan.layer, changes: plan.changes.filter { $0.action != .delete || $0.resource.kind == .service }.count))
        do {
            try await removeServices(plan, observed: observed, timeout: desiredLayer?.timeout ?? LayerSpec.defaultTimeout, journal: journal)
            if let desiredLayer {
                try await createObjects(plan, layer: desiredLayer)
                try await applyServices(plan, layer: desiredLayer, observed: observed, journal: journal)
                try await waitForConvergence(desiredLayer, deadline: started + desiredLayer.timeout)
                try await runGate(desiredLayer)
            }
        } catch {
            events(.layerFailed(layer: plan.layer, message: String(describing: error)))
            throw error
        }
        events(.layerSucceeded(layer: plan.layer, seconds: (clock.now - started).secondsValue))
    }

    private func runGate(_ layer: DesiredLayer) async throws {
        guard let gate else { return }
        let results = try await gate.evaluate(layer: layer, events: events)
        let failed = results.filter { !$0.passed }
        guard !failed.isEmpty else { return }
        let lines = failed.map { "  \($0.check): expected \($0.expected), saw \($0.seen)" }
        var error = SprocketError(
            .gateFailed, "layer \(layer.name) failed its gate checks\n" + lines.joined(separator: "\n"), subject: "layer \(layer.name)",
            hint: "later layers were not deployed; fix the failing checks and run `up` again")
        // What a check saw (a response's body, the probe's log lines) is shown, never recorded: it may hold a secret.
        error.recordedMessage = "layer \(layer.name) failed its gate checks\n"
            + failed.map { "  \($0.check): expected \($0.expected) (what it saw is not recorded)" }.joined(separator: "\n")
        throw error
    }

    /// Removes networks and volumes, then old config and secret versions (re-checking just before that no
    /// service spec or previous spec refers to them any more).
    private func removeUnused(_ removals: [PlannedChange], observed: ObservedState) async throws {
        let networksAndVolumes = removals.filter { $0.resource.kind == .network || $0.resource.kind == .volume }
        try await run(networksAndVolumes) { change in
            guard let object = observed.objects(of: change.resource.kind).first(where: { $0.dockerName == change.dockerName }) else { return }
            try await driver.removeObject(object)
        }
        try await collectGarbage(removals.filter { $0.resource.kind == .config || $0.resource.kind == .secret }, observed: observed)
    }

    func removeServices(_ plan: LayerPlan, observed: ObservedState, timeout: Duration, journal: ChangeJournal? = nil) async throws {
        let removals = plan.changes.filter { $0.action == .delete && $0.resource.kind == .service }
        let byDockerName = Dictionary(observed.services.map { ($0.dockerName, $0) }) { first, _ in first }
        let services = removals.compactMap { byDockerName[$0.dockerName] }
        try await run(removals) { change in
            guard let service = byDockerName[change.dockerName] else { return }
            try await driver.removeService(service)
            journal?.record(change)
        }
        if !services.isEmpty { try await driver.waitUntilRemoved(services, timeout: timeout) }
    }

    private func createObjects(_ plan: LayerPlan, layer: DesiredLayer) async throws {
        let creates = plan.changes.filter { $0.action == .create && $0.resource.kind != .service }
        try await run(creates.filter { $0.resource.kind == .network || $0.resource.kind == .volume }) { change in
            if change.resource.kind == .network, let network = layer.networks.first(where: { $0.name == change.resource.name }) {
                try await driver.createNetwork(network)
            } else if let volume = layer.volumes.first(where: { $0.name == change.resource.name }) {
                try await driver.createVolume(volume)
            }
        }
        try await run(creates.filter { $0.resource.kind == .config || $0.resource.kind == .secret }) { change in
            guard let object = (layer.configs + layer.secrets).first(where: { $0.dockerName == change.dockerName }) else { return }
            try await driver.createObject(object)
        }
    }

    private func applyServices(_ plan: LayerPlan, layer: DesiredLayer, observed: ObservedState, journal: ChangeJournal) async throws {
        let changes = plan.changes.filter { $0.resource.kind == .service && $0.action != .delete }
        let desiredByName = Dictionary(layer.services.map { ($0.name, $0) }) { first, _ in first }
        let observedByName = Dictionary(observed.services.map { ($0.name, $0) }) { first, _ in first }
        try await run(changes) { change in
            guard let service = desiredByName[change.resource.name] else { return }
            // Recorded before the call: a call that fails after the engine accepted it must still be undone. Not
            // a conflict: the name was taken, or the service changed since it was read, by someone else, whose
            // work a rollback must leave alone.
            journal.record(change)
            do {
                if change.action == .update, let current = observedByName[service.name] {
                    try await driver.updateService(service, current: current)
                } else {
                    try await driver.createService(service)
                }
            } catch let error as SprocketError where error.code == .conflict {
                journal.forget(change)
                throw error
            }
        }
    }

    /// Polls until every service of the layer converged, a service failed, or the layer's deadline passed.
    private func waitForConvergence(_ layer: DesiredLayer, deadline: ContinuousClock.Instant) async throws {
        try await waitForConvergence(of: layer.services.map(\.dockerName), layer: layer.name, timeout: layer.timeout, deadline: deadline)
    }

    /// Reads the services' state until they converged, one failed, or the deadline passed.
    ///
    /// With the driver's live activity feed, it re-reads as soon as an event concerns one of the services, and
    /// then again after 25, 50, 100, … ms (the orchestrator's task state trails its events), else on a 1 s timer;
    /// without a feed it polls every ``pollInterval``. Either way it also wakes when a service says its answer will
    /// change (``ServiceConvergence/recheckIn``).
    func waitForConvergence(of names: [String], layer: String, timeout: Duration, deadline: ContinuousClock.Instant) async throws {
        guard !names.isEmpty else { return }
        let feed = await driver.activityFeed(for: names)
        defer { feed?.close() }
        var burst: Duration?
        var lastReport: [ServiceConvergence] = []
        while true {
            try Task.checkCancellation()
            lastReport = try await driver.convergence(of: names)
            let failed = lastReport.compactMap { status -> (String, String)? in
                if case .failed(let reason) = status.phase { return (status.dockerName, reason) }
                return nil
            }
            if !failed.isEmpty {
                try await reportFailures(failed, layer: layer)
            }
            let pending = lastReport.filter { $0.phase != .converged }
            events(.serviceProgress(layer: layer, services: lastReport))
            events(.waiting(layer: layer, converged: names.count - pending.count, total: names.count, pending: pending.map(\.dockerName)))
            if pending.isEmpty { return }
            if ContinuousClock.now >= deadline {
                let reasons = pending.map { ($0.dockerName, "not converged after \(timeout.goStyle): \($0.runningTasks)/\($0.desiredTasks) tasks running") }
                try await reportFailures(reasons, layer: layer)
            }
            let recheck = lastReport.compactMap(\.recheckIn).min().map { max($0, .milliseconds(20)) }
            guard let feed else {
                try await Task.sleep(for: min(pollInterval, recheck ?? pollInterval))
                continue
            }
            let limit = [Self.eventFallbackInterval, burst, recheck].compactMap { $0 }.min() ?? Self.eventFallbackInterval
            if await feed.next(upTo: min(limit, max(.zero, deadline - ContinuousClock.now) + .milliseconds(20))) {
                burst = .milliseconds(25)
            } else if let current = burst {
                burst = current * 2 < Self.eventFallbackInterval ? current * 2 : nil
            }
        }
    }

    /// How often a convergence wait re-reads the cluster when events are followed and none arrives.
    static let eventFallbackInterval: Duration = .seconds(1)

    private func reportFailures(_ failures: [(String, String)], layer: String) async throws -> Never {
        var sections: [String] = []
        var recorded: [String] = []
        for (service, reason) in failures {
            let diagnosis = (try? await driver.diagnose(serviceNamed: service, logLines: logLines))
                ?? ServiceDiagnosis(taskErrors: [], logLines: [])
            events(.serviceFailed(service: service, reason: reason, diagnosis: diagnosis))
            var section = "service \(service): \(reason)"
            if !diagnosis.taskErrors.isEmpty {
                section += "\n  task errors:\n" + diagnosis.taskErrors.prefix(5).map { "    \($0)" }.joined(separator: "\n")
            }
            // The log lines are shown, never recorded: a container may print a secret.
            recorded.append(section + (diagnosis.logLines.isEmpty ? "" : "\n  (its last \(diagnosis.logLines.count) log lines are not recorded)"))
            if !diagnosis.logLines.isEmpty {
                section += "\n  last \(diagnosis.logLines.count) log lines:\n" + diagnosis.logLines.map { "    | \($0)" }.joined(separator: "\n")
            }
            sections.append(section)
        }
        var error = SprocketError(
            .convergence, "layer \(layer) did not converge\n" + sections.joined(separator: "\n"), subject: "layer \(layer)",
            hint: "fix the failing service and run `up` again; later layers were not deployed (`sprocketctl status` shows the rest)")
        error.recordedMessage = "layer \(layer) did not converge\n" + recorded.joined(separator: "\n")
        throw error
    }

    /// Deletes old config and secret versions, re-checking just before that nothing refers to them any more.
    private func collectGarbage(_ deletions: [PlannedChange], observed: ObservedState) async throws {
        guard !deletions.isEmpty else { return }
        let referenced = try await driver.referencedObjectNames()
        try await run(deletions) { change in
            guard let object = observed.objects(of: change.resource.kind).first(where: { $0.dockerName == change.dockerName }) else { return }
            if referenced.contains(object.dockerName) {
                events(.warning("kept \(object.kind.rawValue) \(object.dockerName): a service still refers to it"))
                return
            }
            try await driver.removeObject(object)
        }
    }

    /// Runs changes concurrently with events; throws one error naming every failed change.
    private func run(_ changes: [PlannedChange], _ operation: @escaping @Sendable (PlannedChange) async throws -> Void) async throws {
        guard !changes.isEmpty else { return }
        let events = self.events
        let failures = await forEachConcurrently(changes, limit: concurrency) { change in
            let clock = ContinuousClock()
            let started = clock.now
            events(.changeStarted(change))
            do {
                try await operation(change)
                let elapsed = clock.now - started
                events(.changeSucceeded(change, seconds: elapsed.secondsValue))
            } catch {
                events(.changeFailed(change, message: String(describing: error)))
                throw error
            }
        }
        guard !failures.isEmpty else { return }
        if failures.count == 1, let error = failures.first?.1 { throw error }
        throw SprocketError(
            .engine, failures.map { "\($0.0.resource): \($0.1)" }.joined(separator: "\n"),
            hint: "nothing after these changes was started; fix the causes and run `up` again")
    }

}
