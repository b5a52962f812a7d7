/// What `drift` compares the engine with: the resolved spec of the last successful run, or the current spec
/// when no run succeeded yet.
///
/// The last successful run, not the spec on disk, is the reference: a spec edited but not yet applied is a
/// pending change (what `plan` shows), not drift.
public struct DriftBaseline: Sendable, Hashable {
    /// The run whose snapshot this is; nil when the baseline is the current spec.
    public var runID: String?
    public var snapshot: SpecSnapshot
    /// Docker names of the external networks, volumes, configs and secrets the spec refers to. The tool does not
    /// own them and they carry no ownership labels, so the engine observation never lists them: drift skips them
    /// instead of calling them missing.
    public var externalNames: Set<String>
    /// Secrets whose value, and so whose fingerprinted Docker name, is not known here (a `generate:` secret
    /// read without the key or sealed store, or no secret naming key yet): they are matched by kind and logical name instead.
    public var unversionedObjects: Set<ResourceID>
    /// Facts about the choice of baseline, shown with the report.
    public var notes: [String]

    public init(
        runID: String?, snapshot: SpecSnapshot, externalNames: Set<String>, unversionedObjects: Set<ResourceID> = [],
        notes: [String] = []
    ) {
        self.runID = runID
        self.snapshot = snapshot
        self.externalNames = externalNames
        self.unversionedObjects = unversionedObjects
        self.notes = notes
    }

    /// The snapshot of one recorded run of `identity`.
    public init(run: RunRecord, identity: StackIdentity, notes: [String] = []) {
        // A snapshot does not record which objects are external; the tool names its own objects after the stack
        // environment and the logical name, so any other Docker name was given by the spec (`external: true`).
        let external = run.snapshot.objects.filter { !Self.isNamedByTool($0, identity: identity) }.map(\.dockerName)
        self.init(runID: run.id, snapshot: run.snapshot, externalNames: Set(external), notes: notes)
    }

    /// The current spec's desired state, for a stack environment with no successful run.
    public init(currentSpec desired: DesiredState) {
        var external: [String] = []
        var unversioned: [ResourceID] = []
        for layer in desired.layers {
            external += layer.networks.filter(\.isExternal).map(\.dockerName)
            external += layer.volumes.filter(\.isExternal).map(\.dockerName)
            external += (layer.configs + layer.secrets).filter(\.isExternal).map(\.dockerName)
            // No value, or no naming key yet to name it with: which version is current cannot be told by name.
            unversioned += (layer.configs + layer.secrets).filter { !$0.isExternal && ($0.content == nil || $0.secretNaming == .awaitingKey) }
                .map { ResourceID($0.kind, $0.name) }
        }
        self.init(
            runID: nil, snapshot: SpecSnapshot(desired), externalNames: Set(external), unversionedObjects: Set(unversioned),
            notes: ["no successful run of \(desired.identity) is recorded: comparing with the current spec instead"])
    }

    /// The baseline of the last run that succeeded, with a note when a later run did not; nil when none did.
    ///
    /// - Parameter runs: The recorded runs, oldest first (as ``LocalStateStore/runs()`` returns them).
    public static func lastSuccessfulRun(of runs: [RunRecord], identity: StackIdentity) -> DriftBaseline? {
        guard let index = runs.lastIndex(where: { $0.outcome == .succeeded }) else { return nil }
        let run = runs[index]
        var notes: [String] = []
        if let latest = runs.last, latest.id != run.id {
            // The cluster may be half way to the failed run's spec; the user should know which spec is the yardstick.
            notes.append(
                "the latest run \(latest.id) (`\(latest.command)`) \(Self.ending(latest.outcome)); "
                    + "comparing with the last successful run \(run.id)")
        }
        return DriftBaseline(run: run, identity: identity, notes: notes)
    }

    private static func isNamedByTool(_ object: SpecSnapshot.Object, identity: StackIdentity) -> Bool {
        switch object.kind {
        case .network, .volume: object.dockerName == identity.objectName(object.name)
        case .config, .secret: object.dockerName.hasPrefix(identity.versionedObjectName(object.name, suffix: ""))
        case .service: true
        }
    }

    private static func ending(_ outcome: RunRecord.Outcome) -> String {
        switch outcome {
        case .running: "has not finished"
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .interrupted: "was interrupted"
        case .rolledBack: "was rolled back"
        case .leaseLost: "lost its lock to another run"
        }
    }
}
