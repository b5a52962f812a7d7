import Foundation

/// One run that changed something: what it wanted, what it did, and how it ended.
public struct RunRecord: Sendable, Codable, Hashable {
    public enum Outcome: String, Sendable, Codable, Hashable {
        case running
        case succeeded
        case failed
        /// Found still `running` by a later run: the process died mid-run.
        case interrupted
        /// Failed, and the services it had changed were restored to their state before the run.
        case rolledBack = "rolled-back"
        /// Stopped because another run took its lock over (recorded in the local folder only).
        case leaseLost = "lease-lost"
    }

    public var schemaVersion: Int
    public var id: String
    public var command: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var outcome: Outcome
    public var changes: [PlannedChange]
    /// The error, if the run failed (never a secret: errors are built without values).
    public var error: String?
    public var snapshot: SpecSnapshot

    public init(
        id: String, command: String, startedAt: Date, outcome: Outcome = .running, changes: [PlannedChange],
        snapshot: SpecSnapshot
    ) {
        self.schemaVersion = LocalStateStore.schemaVersion
        self.id = id
        self.command = command
        self.startedAt = startedAt
        self.outcome = outcome
        self.changes = changes
        self.snapshot = snapshot
    }

    /// A sortable, unique run ID: `20261129T010203.456Z-1a2b3c4d`. Milliseconds keep runs of the same second in
    /// start order (runs are listed by ID); the random suffix keeps two machines' runs apart.
    public static func makeID(at date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return formatter.string(from: date) + "-" + String(repeating: "0", count: 8 - suffix.count) + suffix
    }
}

/// The resolved desired state of a run, without any secret value: enough to show and restore what was deployed.
public struct SpecSnapshot: Sendable, Codable, Hashable {
    public struct Service: Sendable, Codable, Hashable {
        public var layer: String
        public var name: String
        public var dockerName: String
        public var specHash: String
        public var definition: ServiceDefinition
    }

    public struct Object: Sendable, Codable, Hashable {
        public var kind: ResourceKind
        public var layer: String
        public var name: String
        public var dockerName: String
    }

    public var layers: [String]
    public var services: [Service]
    public var objects: [Object]

    public init(_ desired: DesiredState) {
        layers = desired.layers.map(\.name)
        services = desired.layers.flatMap { layer in
            layer.services.map {
                Service(layer: layer.name, name: $0.name, dockerName: $0.dockerName, specHash: $0.specHash, definition: $0.definition)
            }
        }
        objects = desired.layers.flatMap { layer in
            layer.networks.map { Object(kind: .network, layer: layer.name, name: $0.name, dockerName: $0.dockerName) }
                + layer.volumes.map { Object(kind: .volume, layer: layer.name, name: $0.name, dockerName: $0.dockerName) }
                + (layer.configs + layer.secrets).map {
                    Object(kind: $0.kind, layer: layer.name, name: $0.name, dockerName: $0.dockerName)
                }
        }
    }
}
