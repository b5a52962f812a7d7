/// A volume as returned by `GET /volumes` and `GET /volumes/{name}`.
public struct Volume: Codable, Sendable, Equatable {
    /// The volume name.
    public var name: String
    /// The volume driver, `local` normally.
    public var driver: String?
    /// Where the volume lives on the host.
    public var mountpoint: String?
    /// Volume labels.
    public var labels: [String: String]?
    /// Driver options the volume was created with.
    public var options: [String: String]?
    /// `local` or `global`.
    public var scope: String?
    /// Creation time.
    public var createdAt: String?

    /// Creates a volume value (mostly useful in tests and fakes).
    public init(
        name: String, driver: String? = nil, mountpoint: String? = nil, labels: [String: String]? = nil,
        options: [String: String]? = nil, scope: String? = nil, createdAt: String? = nil
    ) {
        self.name = name
        self.driver = driver
        self.mountpoint = mountpoint
        self.labels = labels
        self.options = options
        self.scope = scope
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", driver = "Driver", mountpoint = "Mountpoint", labels = "Labels", options = "Options"
        case scope = "Scope", createdAt = "CreatedAt"
    }
}

/// The body of `POST /volumes/create`.
public struct VolumeCreateRequest: Codable, Sendable, Equatable {
    /// The volume name; Docker generates one when nil.
    public var name: String?
    /// The volume driver.
    public var driver: String?
    /// Driver options.
    public var driverOpts: [String: String]?
    /// Volume labels.
    public var labels: [String: String]?

    /// Creates a request.
    public init(
        name: String? = nil, driver: String? = nil, driverOpts: [String: String]? = nil,
        labels: [String: String]? = nil
    ) {
        self.name = name
        self.driver = driver
        self.driverOpts = driverOpts
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", driver = "Driver", driverOpts = "DriverOpts", labels = "Labels"
    }
}

/// The answer of `GET /volumes`.
public struct VolumeListResponse: Codable, Sendable, Equatable {
    /// The volumes (Docker may send null for none).
    public var volumes: [Volume]?
    /// Warnings, e.g. from volume drivers that could not be queried.
    public var warnings: [String]?

    /// Creates a response value.
    public init(volumes: [Volume]? = nil, warnings: [String]? = nil) {
        self.volumes = volumes
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case volumes = "Volumes", warnings = "Warnings"
    }
}
