/// A Swarm config or secret as returned by `GET /configs`, `GET /secrets` and their inspect routes.
///
/// Both share this envelope and differ only in their spec; use the ``SwarmConfig`` and ``SwarmSecret`` aliases.
public struct SwarmObject<SpecType: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    /// The spec type, so that `SwarmConfig.Spec` and `SwarmSecret.Spec` name ``SwarmConfigSpec`` and
    /// ``SwarmSecretSpec``.
    public typealias Spec = SpecType

    /// The object ID.
    public var id: String
    /// The object's version.
    public var version: ObjectVersion?
    /// Creation time.
    public var createdAt: String?
    /// Last update time.
    public var updatedAt: String?
    /// Name, labels and (for configs) data.
    public var spec: Spec?

    /// Creates a value (mostly useful in tests and fakes).
    public init(
        id: String, version: ObjectVersion? = nil, createdAt: String? = nil, updatedAt: String? = nil,
        spec: Spec? = nil
    ) {
        self.id = id
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID", version = "Version", createdAt = "CreatedAt", updatedAt = "UpdatedAt", spec = "Spec"
    }
}

/// A Swarm config (non-secret file content); its data is returned on inspect.
public typealias SwarmConfig = SwarmObject<SwarmConfigSpec>

/// A Swarm secret; Docker never returns its data.
public typealias SwarmSecret = SwarmObject<SwarmSecretSpec>
