import Foundation

/// The commands' shared workflow: load, resolve secrets, observe, plan, lock, apply, record.
///
/// Holds no global state; everything it touches comes in through ``DeploymentContext``.
public struct Deployment: Sendable {
    public var context: DeploymentContext

    public init(context: DeploymentContext) {
        self.context = context
    }

    /// A plan and the inputs it was made from.
    public struct Prepared: Sendable {
        public var stack: StackSpec
        public var desired: DesiredState
        public var observed: ObservedState
        public var plan: Plan
        public var secrets: [String: SecretMaterial]
    }

    /// The outcome of `up` or `down`.
    public struct Result: Sendable {
        public var plan: Plan
        public var runID: String?
        public var applied: Bool
    }

    /// The local state folder; it always holds the sealed secret store, whatever backend holds the history.
    public func store(for identity: StackIdentity) -> LocalStateStore {
        LocalStateStore(directory: context.stateDirectory(identity), identity: identity)
    }

    /// The backend holding history, state and lock: the context's (`--state s3://…`) or the local folder.
    public func stateStore(for identity: StackIdentity) throws -> any StateStore {
        try context.stateStoreFactory?(identity) ?? store(for: identity)
    }

    /// Plans against the cluster (or against nothing, offline). Writes nothing unless `generateSecrets` (only
    /// `up`, under the lock, asks for that).
    /// - Parameter fence: Called before the secret naming key is written to the sealed store (`up`: its lease check).
    public func prepare(
        _ stack: StackSpec, options: Planner.Options, offline: Bool, generateSecrets: Bool = false,
        fence: (@Sendable (String) async throws -> Void)? = nil
    ) async throws -> Prepared {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        let secrets = try resolveSecrets(stack, identity: identity, offline: offline, generate: generateSecrets && !offline)
        let observed: ObservedState
        if offline {
            observed = .empty(identity)
        } else {
            observed = try await context.driver().observe(identity)
        }
        // The engine is observed first: a secret deployed under its legacy name is kept, which only the engine tells.
        let desired = try await desiredState(
            stack, secrets: secrets, observed: observed, options: options, createsNamingKey: generateSecrets && !offline, fence: fence)
        let plan = Planner(options: options).plan(desired: desired, observed: observed)
        return Prepared(stack: stack, desired: desired, observed: observed, plan: plan, secrets: secrets)
    }

    /// Takes the stack environment's lock once for a whole run made of several steps (`up`: secrets, Vault, the
    /// external resources, the layers), hands its lease to `body`, and releases it afterwards.
    public func withRunLease<T>(_ identity: StackIdentity, command: String, _ body: (any StateLease) async throws -> T) async throws -> T {
        try await stateStore(for: identity).withRunLease(
            command: command, recordingLossIn: store(for: identity), now: context.now, redactor: context.redactor,
            pause: context.leaseCheckPausePoint, warn: { context.events(.warning($0)) }, body)
    }

    /// Brings the cluster to the spec. With no changes it writes nothing and makes no mutating call.
    /// - Parameter lease: the run's lease when the caller holds the lock already (``withRunLease(_:command:_:)``);
    ///   nil: the lock is taken for this call only.
    public func up(
        _ stack: StackSpec, options: Planner.Options, command: String, rollsBack: Bool = true, lease: (any StateLease)? = nil
    ) async throws -> Result {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        let store = try stateStore(for: identity)
        if let lease {
            return try await up(stack, options: options, command: command, rollsBack: rollsBack, store: store, lease: lease)
        }
        return try await withRunLease(identity, command: command) { lease in
            try await up(stack, options: options, command: command, rollsBack: rollsBack, store: store, lease: lease)
        }
    }

    private func up(
        _ stack: StackSpec, options: Planner.Options, command: String, rollsBack: Bool, store: any StateStore, lease: any StateLease
    ) async throws -> Result {
        for run in try await store.markInterruptedRuns(now: context.now()) {
            context.events(.warning("run \(run.id) (\(run.command)) was interrupted; this run re-plans from the cluster"))
        }
        let prepared = try await prepare(stack, options: options, offline: false, generateSecrets: true) { operation in
            try await lease.check(before: operation)
        }
        // A blocker is a difference too, even when it is the only one: never report "no changes" over it.
        guard prepared.plan.blockers.isEmpty else {
            throw SprocketError(
                .unsupportedChange, prepared.plan.blockers.joined(separator: "\n"),
                hint: "nothing was changed; resolve the listed changes and run again")
        }
        // A placeholder name must never reach the engine: `prepare` created the naming key (or failed) above.
        if let unnamed = prepared.desired.layers.flatMap(\.secrets).first(where: { $0.secretNaming == .awaitingKey }) {
            throw SprocketError(
                .secretStore, "secret '\(unnamed.name)' has no name: the secret naming key could not be created",
                subject: self.store(for: StackIdentity(stack: stack.name, environment: stack.environment)).sealedSecretsPath,
                hint: "check that the state folder is writable, and run again")
        }
        guard prepared.plan.hasChanges else {
            try await checkSettled(StackIdentity(stack: stack.name, environment: stack.environment), layers: options.layers)
            return Result(plan: prepared.plan, runID: nil, applied: false)
        }
        let runID = try await record(prepared.plan, desired: prepared.desired, store: store, lease: lease, command: command) {
            var applier = Applier(
                driver: try await fenced(lease), concurrency: context.concurrency, gate: context.gate, rollsBackOnFailure: rollsBack,
                events: context.events)
            applier.lease = lease
            try await applier.apply(prepared.plan, desired: prepared.desired, observed: prepared.observed)
        }
        var state = try await store.load()
        state.secretFingerprints = fingerprints(prepared.secrets)
        state.updatedAt = context.now()
        state.lastRunID = runID
        state.lastSuccessfulRunID = runID
        try await lease.check(before: "saving the state")
        try await store.save(state)
        return Result(plan: prepared.plan, runID: runID, applied: true)
    }

    /// How long a no-change `up` waits for services that do not run as declared.
    static let settleBudget: Duration = .seconds(20)

    /// With nothing to change, `up` still must not report success over services that do not run as declared
    /// (tasks Swarm cannot place after a drain, a crash loop): a read-only look at their status, no mutating call.
    ///
    /// Swarm retries unplaced tasks with a backoff (a node just made active again takes a few seconds), so a stuck
    /// service gets up to ``settleBudget`` to start before `up` fails.
    private func checkSettled(_ identity: StackIdentity, layers: Set<String>?) async throws {
        let deadline = ContinuousClock.now + Self.settleBudget
        var warned = false
        var stuck: [ServiceStatusReport] = []
        while true {
            let reports = try await context.driver().status(identity)
            stuck = reports.filter { report in
                (layers?.contains(report.layer) ?? true) && report.runningTasks < report.desiredTasks && report.lastError != nil
            }
            guard !stuck.isEmpty else { return }
            guard ContinuousClock.now < deadline else { break }
            if !warned {
                context.events(.warning(
                    "nothing to change, but \(stuck.map(\.name).joined(separator: ", ")) do not run as declared; waiting up to "
                        + "\(Int(Self.settleBudget.secondsValue)) s for Swarm to place them"))
                warned = true
            }
            try await Task.sleep(for: .seconds(1))
        }
        throw SprocketError(
            .convergence,
            "nothing to change, but \(stuck.count) service(s) do not run as declared:\n"
                + stuck.map { "  \($0.name) (layer \($0.layer)): \($0.runningTasks)/\($0.desiredTasks) running; \($0.lastError ?? "")" }
                .joined(separator: "\n"),
            hint: "the spec matches, the swarm does not: fix what the reason says (a drained or missing node, a constraint, a crashing image), "
                + "then `sprocketctl verify`")
    }

    /// Removes every object of the stack environment; volumes only with `removeVolumes`.
    /// - Parameter lease: the run's lease when the caller holds the lock already (``withRunLease(_:command:_:)``);
    ///   nil: the lock is taken for this call only.
    public func down(_ identity: StackIdentity, removeVolumes: Bool, command: String, lease: (any StateLease)? = nil) async throws -> Result {
        let store = try stateStore(for: identity)
        if let lease {
            return try await down(identity, removeVolumes: removeVolumes, command: command, store: store, lease: lease)
        }
        return try await withRunLease(identity, command: command) { lease in
            try await down(identity, removeVolumes: removeVolumes, command: command, store: store, lease: lease)
        }
    }

    private func down(
        _ identity: StackIdentity, removeVolumes: Bool, command: String, store: any StateStore, lease: any StateLease
    ) async throws -> Result {
        let observed = try await context.driver().observe(identity)
        var plan = Planner().plan(desired: DesiredState(identity: identity, layers: []), observed: observed)
        if !removeVolumes {
            for index in plan.orphanLayers.indices {
                let kept = plan.orphanLayers[index].changes.filter { $0.resource.kind == .volume }
                plan.notes += kept.map { "keeping volume \($0.dockerName) (pass --volumes to remove data volumes)" }
                plan.orphanLayers[index].changes.removeAll { $0.resource.kind == .volume }
            }
        }
        guard plan.hasChanges else { return Result(plan: plan, runID: nil, applied: false) }
        let desired = DesiredState(identity: identity, layers: [])
        let runID = try await record(plan, desired: desired, store: store, lease: lease, command: command) {
            try await Applier(driver: try await fenced(lease), concurrency: context.concurrency, events: context.events)
                .apply(plan, desired: desired, observed: observed)
        }
        var state = try await store.load()
        state.lastRunID = runID
        state.updatedAt = context.now()
        try await lease.check(before: "saving the state")
        try await store.save(state)
        return Result(plan: plan, runID: runID, applied: true)
    }

    /// The context's driver behind the lease's fence (and the test pause points, when the context has them).
    func fenced(_ lease: any StateLease) async throws -> any ClusterDriver {
        FencedClusterDriver(base: try await context.driver(), lease: lease, pausePoint: context.pausePoint)
    }

    /// Records the run as `running`, performs it, then records how it ended (even when it failed).
    private func record(
        _ plan: Plan, desired: DesiredState, store: any StateStore, lease: any StateLease, command: String,
        _ body: () async throws -> Void
    ) async throws -> String {
        try await record(plan, snapshot: SpecSnapshot(desired), store: store, lease: lease, command: command, body)
    }

    /// A run that lost its lease writes nothing shared: its record goes to the local state folder only, as
    /// `lease-lost`, and the shared state keeps the other run's word.
    func record(
        _ plan: Plan, snapshot: SpecSnapshot, store: any StateStore, lease: any StateLease, command: String,
        _ body: () async throws -> Void
    ) async throws -> String {
        let started = context.now()
        var run = RunRecord(
            id: RunRecord.makeID(at: started), command: command, startedAt: started, changes: plan.allChanges,
            snapshot: snapshot)
        try await lease.check(before: "recording the run")
        try await store.record(run)
        do {
            try await body()
            run.outcome = .succeeded
        } catch let lost as SprocketError where lost.code == .leaseLost {
            run.outcome = .leaseLost
            run.error = context.redactor.redact(SprocketError.recorded(lost))
            run.finishedAt = context.now()
            try? self.store(for: store.identity).record(run)
            throw lost
        } catch {
            run.outcome = (error as? SprocketError)?.code == .rolledBack ? .rolledBack : .failed
            // Never what a service said (a check's body, log lines): only what ``SprocketError/recordedMessage`` keeps.
            run.error = context.redactor.redact(SprocketError.recorded(error))
            run.finishedAt = context.now()
            try? await store.record(run)
            var state = (try? await store.load()) ?? StackState(identity: store.identity)
            state.lastRunID = run.id
            state.updatedAt = run.finishedAt
            try? await store.save(state)
            throw error
        }
        run.finishedAt = context.now()
        try await lease.check(before: "recording the run's outcome")
        try await store.record(run)
        return run.id
    }

    /// The values of the stack's secrets without looking at the cluster (what external providers need);
    /// `generate` creates missing generated values, as `up` does.
    public func secrets(for stack: StackSpec, generate: Bool = false) throws -> [String: SecretMaterial] {
        try resolveSecrets(stack, identity: StackIdentity(stack: stack.name, environment: stack.environment), offline: false, generate: generate)
    }

    private func resolveSecrets(_ stack: StackSpec, identity: StackIdentity, offline: Bool, generate: Bool) throws -> [String: SecretMaterial] {
        let needsStore = stack.layers.contains { layer in
            layer.secrets.contains { $0.source.usesSealedStore }
        }
        let sealedStore = needsStore ? try sealedStore(identity, creating: generate) : nil
        return try SecretResolver(
            processEnvironment: context.processEnvironment, store: sealedStore, isOffline: offline, generatesMissing: generate,
            redactor: context.redactor
        ).resolve(stack)
    }

    /// The stack environment's sealed store. Without `creating`, a missing key file means nothing was ever sealed:
    /// no key is created just to look (nil).
    private func sealedStore(_ identity: StackIdentity, creating: Bool) throws -> SealedSecretStore? {
        guard creating || FileManager.default.fileExists(atPath: context.keyFilePath) else { return nil }
        let key = try SecretKey.loadOrCreate(at: context.keyFilePath)
        return try SealedSecretStore(path: store(for: identity).sealedSecretsPath, key: key, identity: identity)
    }

    /// The desired state, its Docker secrets named under the stack environment's naming key (``DockerSecretNaming``).
    /// The key is created only by a mutating run (`createsNamingKey`: `up`, under its lease) and only when a secret
    /// needs a keyed name; a plan without a key shows such a secret with a placeholder name.
    func desiredState(
        _ stack: StackSpec, secrets: [String: SecretMaterial], observed: ObservedState, options: Planner.Options, createsNamingKey: Bool,
        fence: (@Sendable (String) async throws -> Void)? = nil
    ) async throws -> DesiredState {
        let identity = observed.identity
        var naming = DesiredStateBuilder.SecretNamingInputs(
            key: try sealedStore(identity, creating: false).flatMap { try SecretNamingKey.stored(in: $0) },
            deployedNames: Set(observed.secrets.map(\.dockerName)), rekeyLimit: options.rekeySecrets, rekeyLayers: options.layers)
        let desired = DesiredStateBuilder(stack: stack, secrets: secrets, secretNaming: naming).build()
        let needsKey = desired.layers.flatMap(\.secrets).contains { $0.secretNaming == .awaitingKey }
        guard needsKey, createsNamingKey, let store = try sealedStore(identity, creating: true) else { return desired }
        try await fence?("creating the secret naming key in the sealed store")
        naming.key = try SecretNamingKey.storedOrCreated(in: store)
        return DesiredStateBuilder(stack: stack, secrets: secrets, secretNaming: naming).build()
    }

    private func fingerprints(_ secrets: [String: SecretMaterial]) -> [String: String] {
        // A stack without secret values needs no key: do not create one just to fingerprint nothing.
        guard secrets.values.contains(where: { $0.content != nil }),
            let key = try? SecretKey.loadOrCreate(at: context.keyFilePath)
        else { return [:] }
        return secrets.compactMapValues { material in material.content.map { key.fingerprint($0.bytes) } }
    }
}
