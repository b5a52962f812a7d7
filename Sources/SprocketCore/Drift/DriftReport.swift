/// Everything `drift` found for one stack environment, in a stable order: by layer (baseline order, then
/// unknown layers by name), then kind of object, name, Docker name and kind of finding.
public struct DriftReport: Sendable, Hashable, Encodable {
    public var identity: StackIdentity
    /// The run the engine was compared with; nil when it was compared with the current spec.
    public var baselineRunID: String?
    public var findings: [DriftFinding]
    /// Facts worth telling that are not drift (which baseline was used and why).
    public var notes: [String]

    public init(identity: StackIdentity, baselineRunID: String?, findings: [DriftFinding], notes: [String] = []) {
        self.identity = identity
        self.baselineRunID = baselineRunID
        self.findings = findings
        self.notes = notes
    }

    public var hasDrift: Bool { !findings.isEmpty }

    /// The findings grouped by layer, in report order.
    public var layers: [(layer: String, findings: [DriftFinding])] {
        var groups: [(layer: String, findings: [DriftFinding])] = []
        for finding in findings {
            if groups.last?.layer == finding.layer {
                groups[groups.count - 1].findings.append(finding)
            } else {
                groups.append((finding.layer, [finding]))
            }
        }
        return groups
    }

    private enum CodingKeys: String, CodingKey {
        case stack, environment, baseline, baselineRunID, drift, findings, notes
    }

    /// `{"stack":..., "environment":..., "baseline":"lastSuccessfulRun"|"currentSpec", "baselineRunID":...,
    /// "drift":true, "findings":[...], "notes":[...]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(identity.stack, forKey: .stack)
        try container.encode(identity.environment, forKey: .environment)
        try container.encode(baselineRunID == nil ? "currentSpec" : "lastSuccessfulRun", forKey: .baseline)
        try container.encodeIfPresent(baselineRunID, forKey: .baselineRunID)
        try container.encode(hasDrift, forKey: .drift)
        try container.encode(findings, forKey: .findings)
        try container.encode(notes, forKey: .notes)
    }
}
