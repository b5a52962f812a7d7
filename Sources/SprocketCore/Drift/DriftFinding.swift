/// One difference between what runs on the engine and the spec the stack environment was last deployed with.
///
/// Its JSON form is flat, so that scripts read `kind` and `fields` without unwrapping an enum:
/// `{"layer":"app","resource":{"kind":"service","name":"api"},"dockerName":"shop-prod_api","kind":"changedByHand",
/// "detail":"...","fields":[{"path":"env","old":"[A=1]","new":"[A=1, X=1]"}]}`.
public struct DriftFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How the live object departs from the baseline.
    public enum Kind: Sendable, Hashable {
        /// The service's spec differs from the one deployed: someone changed it outside the tool.
        /// Each field change reads `applied -> live`.
        case changedByHand(fields: [FieldChange])
        /// Swarm paused or rolled back the service's last update (`UpdateStatus.State` is `paused` or
        /// `rollback_*`). `fields` is what the live spec differs by, `applied -> live` (often empty: a rollback
        /// usually returns to the applied spec after a failed update).
        case rolledBackBySwarm(updateState: String, message: String?, fields: [FieldChange])
        /// Deployed by the baseline, gone from the engine.
        case missing
        /// Carries this stack environment's ownership labels, but the baseline has no such object.
        case extra
        /// Fewer tasks run than the baseline asks for.
        case replicasBelowTarget(running: Int, desired: Int)

        /// The stable name used in JSON and tests (`changedByHand`, `rolledBackBySwarm`, ...).
        public var name: String {
            switch self {
            case .changedByHand: "changedByHand"
            case .rolledBackBySwarm: "rolledBackBySwarm"
            case .missing: "missing"
            case .extra: "extra"
            case .replicasBelowTarget: "replicasBelowTarget"
            }
        }

        /// The order of findings about the same object: what the object is, then how it runs.
        var rank: Int {
            switch self {
            case .missing: 0
            case .extra: 1
            case .changedByHand: 2
            case .rolledBackBySwarm: 3
            case .replicasBelowTarget: 4
            }
        }
    }

    /// The layer that declares the object (for extra objects: their `io.sprocket.layer` label).
    public var layer: String
    public var resource: ResourceID
    public var dockerName: String
    public var kind: Kind
    /// One readable line (without the field list, which ``fields`` holds).
    public var detail: String

    public init(layer: String, resource: ResourceID, dockerName: String, kind: Kind, detail: String) {
        self.layer = layer
        self.resource = resource
        self.dockerName = dockerName
        self.kind = kind
        self.detail = detail
    }

    /// The field changes of the finding, `applied -> live`; empty for kinds without any.
    public var fields: [FieldChange] {
        switch kind {
        case .changedByHand(let fields), .rolledBackBySwarm(_, _, let fields): fields
        case .missing, .extra, .replicasBelowTarget: []
        }
    }

    /// `service api (shop-prod_api): changed by hand: env`.
    public var description: String { "\(resource) (\(dockerName)): \(detail)" }

    private enum CodingKeys: String, CodingKey {
        case layer, resource, dockerName, kind, detail, fields, updateState, message, running, desired
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(layer, forKey: .layer)
        try container.encode(resource, forKey: .resource)
        try container.encode(dockerName, forKey: .dockerName)
        try container.encode(kind.name, forKey: .kind)
        try container.encode(detail, forKey: .detail)
        switch kind {
        case .changedByHand(let fields):
            try container.encode(fields, forKey: .fields)
        case .rolledBackBySwarm(let updateState, let message, let fields):
            try container.encode(updateState, forKey: .updateState)
            try container.encodeIfPresent(message, forKey: .message)
            try container.encode(fields, forKey: .fields)
        case .replicasBelowTarget(let running, let desired):
            try container.encode(running, forKey: .running)
            try container.encode(desired, forKey: .desired)
        case .missing, .extra:
            break
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        layer = try container.decode(String.self, forKey: .layer)
        resource = try container.decode(ResourceID.self, forKey: .resource)
        dockerName = try container.decode(String.self, forKey: .dockerName)
        detail = try container.decode(String.self, forKey: .detail)
        let name = try container.decode(String.self, forKey: .kind)
        switch name {
        case "changedByHand":
            kind = .changedByHand(fields: try container.decode([FieldChange].self, forKey: .fields))
        case "rolledBackBySwarm":
            kind = .rolledBackBySwarm(
                updateState: try container.decode(String.self, forKey: .updateState),
                message: try container.decodeIfPresent(String.self, forKey: .message),
                fields: try container.decodeIfPresent([FieldChange].self, forKey: .fields) ?? [])
        case "missing":
            kind = .missing
        case "extra":
            kind = .extra
        case "replicasBelowTarget":
            kind = .replicasBelowTarget(
                running: try container.decode(Int.self, forKey: .running),
                desired: try container.decode(Int.self, forKey: .desired))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown drift kind \(name)")
        }
    }
}
