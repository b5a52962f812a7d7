/// A network declared by a layer (`networks:`).
public struct NetworkSpec: Sendable, Hashable {
    public var name: String
    /// Set for `external: true`: the network is not created, only used; this is its real name.
    public var externalName: String?
    public var driver: String
    public var attachable: Bool
    public var isInternal: Bool
    public var driverOptions: [String: String]
    public var labels: [String: String]
    public var location: SourceLocation

    public var isExternal: Bool { externalName != nil }

    public init(
        name: String,
        externalName: String? = nil,
        driver: String = "overlay",
        attachable: Bool = false,
        isInternal: Bool = false,
        driverOptions: [String: String] = [:],
        labels: [String: String] = [:],
        location: SourceLocation
    ) {
        self.name = name
        self.externalName = externalName
        self.driver = driver
        self.attachable = attachable
        self.isInternal = isInternal
        self.driverOptions = driverOptions
        self.labels = labels
        self.location = location
    }
}

/// A named volume declared by a layer (`volumes:`).
public struct VolumeSpec: Sendable, Hashable {
    public var name: String
    public var externalName: String?
    public var driver: String
    public var driverOptions: [String: String]
    public var labels: [String: String]
    public var location: SourceLocation

    public var isExternal: Bool { externalName != nil }

    public init(
        name: String,
        externalName: String? = nil,
        driver: String = "local",
        driverOptions: [String: String] = [:],
        labels: [String: String] = [:],
        location: SourceLocation
    ) {
        self.name = name
        self.externalName = externalName
        self.driver = driver
        self.driverOptions = driverOptions
        self.labels = labels
        self.location = location
    }
}
