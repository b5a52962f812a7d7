/// Compares what runs on the engine with the spec the stack environment was last deployed with, and classifies
/// each difference (see ``DriftFinding/Kind``).
///
/// Pure: no I/O, no clock. Services are compared with the planner's own normalisation
/// (``Planner/comparable(_:to:)``), so a stack that `plan` calls unchanged shows no drift either.
public struct DriftDetector: Sendable {
    /// Update states in which Swarm, not the user, decided what runs.
    static let swarmInterventionStates: Set<String> = ["paused", "rollback_started", "rollback_paused", "rollback_completed"]

    public init() {}

    /// - Parameters:
    ///   - baseline: What was applied (or, without a successful run, what the spec wants).
    ///   - observed: The objects carrying the stack environment's ownership labels.
    ///   - status: Running and desired task counts per service (``ClusterDriver/status(_:)``).
    public func detect(baseline: DriftBaseline, observed: ObservedState, status: [ServiceStatusReport]) -> DriftReport {
        let wording = Wording(identity: observed.identity, isRun: baseline.runID != nil)
        var findings = serviceFindings(baseline, observed: observed, status: status, wording: wording)
        findings += objectFindings(baseline, observed: observed, wording: wording)
        let layerOrder = Dictionary(baseline.snapshot.layers.enumerated().map { ($1, $0) }) { first, _ in first }
        findings.sort { lhs, rhs in
            let left = (layerOrder[lhs.layer] ?? Int.max, lhs.layer, lhs.resource, lhs.dockerName, lhs.kind.rank)
            let right = (layerOrder[rhs.layer] ?? Int.max, rhs.layer, rhs.resource, rhs.dockerName, rhs.kind.rank)
            return left < right
        }
        return DriftReport(
            identity: observed.identity, baselineRunID: baseline.runID, findings: findings,
            notes: baseline.notes + Self.legacyNamingNotes(observed))
    }

    private func serviceFindings(
        _ baseline: DriftBaseline, observed: ObservedState, status: [ServiceStatusReport], wording: Wording
    ) -> [DriftFinding] {
        let snapshot = baseline.snapshot
        let unversionedNames = Set(snapshot.objects.filter {
            baseline.unversionedObjects.contains(ResourceID($0.kind, $0.name))
        }.map(\.dockerName))
        let live = Dictionary(observed.services.map { ($0.dockerName, $0) }) { first, _ in first }
        let counts = Dictionary(status.map { ($0.dockerName, $0) }) { first, _ in first }
        var findings: [DriftFinding] = []
        for service in snapshot.services {
            let resource = ResourceID(.service, service.name)
            func finding(_ kind: DriftFinding.Kind, _ detail: String) -> DriftFinding {
                DriftFinding(layer: service.layer, resource: resource, dockerName: service.dockerName, kind: kind, detail: detail)
            }
            guard let current = live[service.dockerName] else {
                findings.append(finding(.missing, wording.missing))
                continue
            }
            let comparable = Self.comparable(current.definition, to: service.definition, unversionedNames: unversionedNames)
            let fields = FieldDiff.changes(from: service.definition, to: comparable)
            if let state = current.updateState, Self.swarmInterventionStates.contains(state) {
                // Swarm's own doing explains the difference (if any): report it once, as Swarm's.
                let kind = DriftFinding.Kind.rolledBackBySwarm(updateState: state, message: current.updateMessage, fields: fields)
                findings.append(finding(kind, wording.intervention(state: state, message: current.updateMessage)))
            } else if !fields.isEmpty {
                findings.append(finding(.changedByHand(fields: fields), "changed by hand: " + fields.map(\.path).joined(separator: ", ")))
            }
            if let report = counts[service.dockerName], let target = Self.target(of: service.definition, report: report),
                report.runningTasks < target
            {
                let kind = DriftFinding.Kind.replicasBelowTarget(running: report.runningTasks, desired: target)
                findings.append(finding(kind, "replicas below target: \(report.runningTasks) of \(target) running"))
            }
        }
        let known = Set(snapshot.services.map(\.dockerName))
        for service in observed.services where !known.contains(service.dockerName) {
            findings.append(DriftFinding(
                layer: service.layer, resource: ResourceID(.service, service.name.isEmpty ? service.dockerName : service.name),
                dockerName: service.dockerName, kind: .extra, detail: wording.extra))
        }
        return findings
    }

    /// The live definition with what is not a difference removed: the planner's normalisation (the digest pin),
    /// and the versions of secrets whose name cannot be known here, which the live mount at the same path names.
    private static func comparable(
        _ live: ServiceDefinition, to applied: ServiceDefinition, unversionedNames: Set<String>
    ) -> ServiceDefinition {
        var live = Planner.comparable(live, to: applied)
        for index in live.secrets.indices {
            guard let wanted = applied.secrets.first(where: { $0.target == live.secrets[index].target }),
                unversionedNames.contains(wanted.objectName)
            else { continue }
            live.secrets[index].objectName = wanted.objectName
        }
        return live
    }

    /// Secrets still named the legacy way are not drift (`up` keeps them on purpose), but how many remain is worth a line.
    private static func legacyNamingNotes(_ observed: ObservedState) -> [String] {
        let count = DockerSecretNaming.legacyNamedSecrets(in: observed).count
        guard count > 0 else { return [] }
        return ["\(count) secret\(count == 1 ? "" : "s") still named by the legacy plain hash of the value (`sprocketctl up --rekey-secrets N` moves them)"]
    }

    /// How many tasks should run: the applied replica count, not the engine's desired count, since scaling a
    /// service down by hand lowers that too. Global services want one per eligible node, which only the engine
    /// knows; jobs finish by design, so they have no target.
    private static func target(of definition: ServiceDefinition, report: ServiceStatusReport) -> Int? {
        switch definition.mode {
        case DeploySpec.Mode.replicated.rawValue: definition.replicas ?? 1
        case DeploySpec.Mode.global.rawValue: report.desiredTasks
        default: nil
        }
    }

    private func objectFindings(_ baseline: DriftBaseline, observed: ObservedState, wording: Wording) -> [DriftFinding] {
        let live = observed.networks + observed.volumes + observed.configs + observed.secrets
        let liveKeys = Set(live.map { ObjectKey(kind: $0.kind, dockerName: $0.dockerName) })
        let liveNames = Set(live.map { ResourceID($0.kind, $0.name) })
        var findings: [DriftFinding] = []
        for object in baseline.snapshot.objects where !baseline.externalNames.contains(object.dockerName) {
            let id = ResourceID(object.kind, object.name)
            let isLive = baseline.unversionedObjects.contains(id)
                ? liveNames.contains(id) : liveKeys.contains(ObjectKey(kind: object.kind, dockerName: object.dockerName))
            guard !isLive else { continue }
            findings.append(DriftFinding(
                layer: object.layer, resource: id, dockerName: object.dockerName, kind: .missing, detail: wording.missing))
        }
        let known = Set(baseline.snapshot.objects.map { ObjectKey(kind: $0.kind, dockerName: $0.dockerName) })
        // An old config or secret version stays while a service's previous spec mounts it, so that Swarm's own
        // rollback keeps working; `up` keeps it on purpose, so it is not drift.
        let keptForRollback = Set(observed.services.flatMap(\.previousReferences))
        for object in live where !known.contains(ObjectKey(kind: object.kind, dockerName: object.dockerName)) {
            if [.config, .secret].contains(object.kind) && keptForRollback.contains(object.dockerName) { continue }
            // Without its value the current version's name is unknown, so no version can be called extra.
            if baseline.unversionedObjects.contains(ResourceID(object.kind, object.name)) { continue }
            findings.append(DriftFinding(
                layer: object.layer, resource: ResourceID(object.kind, object.name.isEmpty ? object.dockerName : object.name),
                dockerName: object.dockerName, kind: .extra, detail: wording.extra))
        }
        return findings
    }
}

/// Configs and secrets may share a Docker name, so objects are told apart by kind too.
private struct ObjectKey: Hashable {
    var kind: ResourceKind
    var dockerName: String
}

/// The details' wording, which names the baseline the engine was compared with.
private struct Wording {
    var identity: StackIdentity
    var isRun: Bool

    var source: String { isRun ? "the last applied spec" : "the current spec" }
    var missing: String { "missing: in \(source), not on the engine" }
    var extra: String { "extra: labelled as \(identity)'s, not in \(source)" }

    func intervention(state: String, message: String?) -> String {
        let what = state == "paused" ? "Swarm paused its last update" : "Swarm rolled its last update back (\(state))"
        return what + (message.map { ": \($0)" } ?? "")
    }
}
