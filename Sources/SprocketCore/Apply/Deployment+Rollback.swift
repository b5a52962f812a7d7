extension Deployment {
    /// Restores the service specs of an earlier successful run (`rollback [--to RUN]`): services of that run are
    /// updated or recreated to its definitions, services it did not have are removed. Networks, volumes, configs
    /// and secrets are not recreated: the configs and secrets that run mounted must still exist (their values
    /// are never kept in state), or the rollback refuses before changing anything.
    ///
    /// Without `runID`, the target is the successful run before the last successful one.
    public func rollback(_ identity: StackIdentity, to runID: String?, command: String) async throws -> Result {
        let store = try stateStore(for: identity)
        return try await withRunLease(identity, command: command) { lease in
            try await rollback(identity, to: runID, command: command, store: store, lease: lease)
        }
    }

    private func rollback(
        _ identity: StackIdentity, to runID: String?, command: String, store: any StateStore, lease: any StateLease
    ) async throws -> Result {
        let target = try rollbackTarget(in: try await store.runs(), runID: runID, identity: identity)
        let observed = try await context.driver().observe(identity)
        let desired = DesiredState(
            identity: identity,
            layers: target.snapshot.layers.map { layer in
                DesiredLayer(
                    name: layer,
                    services: target.snapshot.services.filter { $0.layer == layer }.map {
                        DesiredService(name: $0.name, dockerName: $0.dockerName, definition: $0.definition)
                    })
            })
        try checkReferences(of: desired, exist: observed, run: target.id)
        let plan = Self.servicePlan(desired: desired, observed: observed)
        guard plan.hasChanges else { return Result(plan: plan, runID: nil, applied: false) }
        let runID = try await record(plan, snapshot: target.snapshot, store: store, lease: lease, command: command) {
            var applier = Applier(driver: try await fenced(lease), concurrency: context.concurrency, rollsBackOnFailure: true, events: context.events)
            applier.lease = lease
            try await applier.apply(plan, desired: desired, observed: observed)
        }
        var state = try await store.load()
        state.lastRunID = runID
        state.lastSuccessfulRunID = runID
        state.updatedAt = context.now()
        try await lease.check(before: "saving the state")
        try await store.save(state)
        return Result(plan: plan, runID: runID, applied: true)
    }

    private func rollbackTarget(in runs: [RunRecord], runID: String?, identity: StackIdentity) throws -> RunRecord {
        let successful = runs.filter { $0.outcome == .succeeded }
        if let runID {
            guard let run = runs.first(where: { $0.id == runID }) else {
                throw SprocketError(
                    .stateCorrupt, "no run \(runID) in the history of \(identity)", subject: runID,
                    hint: "`sprocketctl history` lists the runs")
            }
            guard run.outcome == .succeeded else {
                throw SprocketError(
                    .unsupportedChange, "run \(runID) ended \(run.outcome.rawValue); only a successful run can be restored",
                    subject: runID, hint: "pick a run whose outcome is `succeeded` in `sprocketctl history`")
            }
            return run
        }
        guard successful.count >= 2 else {
            throw SprocketError(
                .unsupportedChange, "\(identity) has no earlier successful run to go back to",
                hint: "`sprocketctl history` lists the runs; name one with `--to`")
        }
        return successful[successful.count - 2]
    }

    /// The configs, secrets and networks an old run mounted must still exist: their contents cannot be recreated.
    private func checkReferences(of desired: DesiredState, exist observed: ObservedState, run: String) throws {
        let existing = Set((observed.configs + observed.secrets + observed.networks).map(\.dockerName))
        var missing: [String] = []
        for service in desired.layers.flatMap(\.services) {
            let ownObjects = service.definition.referencedObjectNames.filter { $0.hasPrefix(desired.identity.prefix + "_") }
            let ownNetworks = service.definition.networks.map(\.network).filter { $0.hasPrefix(desired.identity.prefix + "_") }
            for name in (ownObjects + ownNetworks).sorted() where !existing.contains(name) {
                missing.append("service \(service.name) needs \(name)")
            }
        }
        guard missing.isEmpty else {
            throw SprocketError(
                .unsupportedChange, "run \(run) cannot be restored; objects it used are gone:\n" + missing.joined(separator: "\n"),
                hint: "secret values are never kept in state; restore with `up` from that run's spec instead (nothing was changed)")
        }
    }

    /// Creates, updates and removals of services only, against the observed state.
    static func servicePlan(desired: DesiredState, observed: ObservedState) -> Plan {
        let observedByName = Dictionary(observed.services.map { ($0.name, $0) }) { first, _ in first }
        let wanted = Set(desired.layers.flatMap(\.services).map(\.name))
        var layers: [LayerPlan] = []
        for layer in desired.layers {
            var changes = observed.services.filter { $0.layer == layer.name && !wanted.contains($0.name) }.map {
                PlannedChange(action: .delete, resource: ResourceID(.service, $0.name), layer: layer.name, dockerName: $0.dockerName, reason: "not in the restored run")
            }
            for service in layer.services {
                if let current = observedByName[service.name] {
                    let fields = FieldDiff.changes(from: Planner.comparable(current.definition, to: service.definition), to: service.definition)
                    if !fields.isEmpty {
                        changes.append(PlannedChange(action: .update, resource: ResourceID(.service, service.name), layer: layer.name, dockerName: service.dockerName, fields: fields))
                    }
                } else {
                    changes.append(PlannedChange(action: .create, resource: ResourceID(.service, service.name), layer: layer.name, dockerName: service.dockerName))
                }
            }
            layers.append(LayerPlan(layer: layer.name, changes: changes))
        }
        let known = Set(desired.layers.map(\.name))
        let orphans = observed.services.filter { !known.contains($0.layer) && !wanted.contains($0.name) }.map {
            PlannedChange(action: .delete, resource: ResourceID(.service, $0.name), layer: $0.layer, dockerName: $0.dockerName, reason: "not in the restored run")
        }
        return Plan(identity: desired.identity, layers: layers, orphanLayers: orphans.isEmpty ? [] : [LayerPlan(layer: "(other layers)", changes: orphans)])
    }
}
