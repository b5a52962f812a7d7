/// The ordered changes one run will make, per layer, with a readable diff for each.
public struct Plan: Sendable, Hashable, Codable {
    public var identity: StackIdentity
    /// Layers in the order they are applied; a layer with no changes is kept (with no changes) so the
    /// applier can still gate on it.
    public var layers: [LayerPlan]
    /// Objects labelled with a layer the spec no longer has: removed last, in reverse layer order.
    public var orphanLayers: [LayerPlan]
    /// Changes the tool cannot make safely (e.g. a network whose driver changed); `up` refuses to start.
    public var blockers: [String]
    /// Facts worth telling that are not changes (an old secret kept for Swarm's rollback, ...).
    public var notes: [String]

    public init(
        identity: StackIdentity, layers: [LayerPlan], orphanLayers: [LayerPlan] = [], blockers: [String] = [],
        notes: [String] = []
    ) {
        self.identity = identity
        self.layers = layers
        self.orphanLayers = orphanLayers
        self.blockers = blockers
        self.notes = notes
    }

    public var allChanges: [PlannedChange] { (layers + orphanLayers).flatMap(\.changes) }
    public var hasChanges: Bool { !allChanges.isEmpty }

    /// Counts by action, for the summary line (`2 to create, 1 to update, 0 to delete`).
    public func count(_ action: PlannedChange.Action) -> Int { allChanges.filter { $0.action == action }.count }
}

public struct LayerPlan: Sendable, Hashable, Codable {
    public var layer: String
    public var changes: [PlannedChange]

    public init(layer: String, changes: [PlannedChange]) {
        self.layer = layer
        self.changes = changes
    }
}

public struct PlannedChange: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Action: String, Sendable, Hashable, Codable {
        case create
        case update
        case delete
    }

    public var action: Action
    public var resource: ResourceID
    public var layer: String
    public var dockerName: String
    /// Field-level differences for updates; empty for creates and deletes.
    public var fields: [FieldChange]
    /// Why, when it is not obvious (e.g. "old version, no longer referenced").
    public var reason: String?

    public init(
        action: Action, resource: ResourceID, layer: String, dockerName: String, fields: [FieldChange] = [],
        reason: String? = nil
    ) {
        self.action = action
        self.resource = resource
        self.layer = layer
        self.dockerName = dockerName
        self.fields = fields
        self.reason = reason
    }

    /// `~ service web: image a -> b, replicas 1 -> 2`.
    /// The reason of an update that changes no field but makes Swarm start the service's tasks again.
    public static let restartReasonPrefix = "restart: "

    /// Whether this change only restarts a service (see ``ObservedService/restartsExhausted``).
    public var isRestart: Bool { action == .update && fields.isEmpty && reason?.hasPrefix(Self.restartReasonPrefix) == true }

    public var description: String {
        let symbol = switch action {
        case .create: "+"
        case .update: "~"
        case .delete: "-"
        }
        var text = "\(symbol) \(resource)"
        if !fields.isEmpty { text += ": " + fields.map(\.description).joined(separator: ", ") }
        if let reason { text += " (\(reason))" }
        return text
    }
}

public struct FieldChange: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var old: String?
    public var new: String?

    public init(path: String, old: String?, new: String?) {
        self.path = path
        self.old = old
        self.new = new
    }

    public var description: String { "\(path) \(old ?? "(none)") -> \(new ?? "(none)")" }
}
