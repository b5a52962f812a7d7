/// The kinds of Swarm objects the tool manages, in the order a layer creates them.
public enum ResourceKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case network
    case volume
    case config
    case secret
    case service

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.rank < rhs.rank }
}

/// A managed object by kind and logical name (the name in the spec, not the Docker name).
public struct ResourceID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var kind: ResourceKind
    public var name: String

    public init(_ kind: ResourceKind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    public static func < (lhs: ResourceID, rhs: ResourceID) -> Bool {
        (lhs.kind, lhs.name) < (rhs.kind, rhs.name)
    }

    public var description: String { "\(kind.rawValue) \(name)" }
}

/// A stack in one environment: the unit of ownership, naming, locking and state.
public struct StackIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var stack: String
    public var environment: String

    public init(stack: String, environment: String) {
        self.stack = stack
        self.environment = environment
    }

    /// `<stack>-<env>`: the prefix of every Docker object name, so environments never clash.
    public var prefix: String { "\(stack)-\(environment)" }

    /// The Docker name of a network, volume or service.
    public func objectName(_ logicalName: String) -> String { "\(prefix)_\(logicalName)" }

    /// The Docker name of one version of a config or secret.
    public func versionedObjectName(_ logicalName: String, suffix: String) -> String {
        "\(prefix)_\(logicalName)_\(suffix)"
    }

    public var description: String { "\(stack)/\(environment)" }
}

/// The labels that mark an object as the tool's. They are part of the interface: users filter on them.
public enum OwnershipLabel {
    public static let stack = "io.sprocket.stack"
    public static let environment = "io.sprocket.env"
    public static let layer = "io.sprocket.layer"
    public static let name = "io.sprocket.name"
    public static let specHash = "io.sprocket.spec-hash"

    /// The labels of an object of `identity` declared by `layer` under `name` (the spec hash is added separately).
    public static func labels(for identity: StackIdentity, layer: String, name: String) -> [String: String] {
        [
            stack: identity.stack,
            environment: identity.environment,
            OwnershipLabel.layer: layer,
            OwnershipLabel.name: name,
        ]
    }
}
