/// A network as returned by `GET /networks` and `GET /networks/{id}`.
public struct NetworkResource: Codable, Sendable, Equatable {
    /// The network name.
    public var name: String?
    /// The network ID (Docker spells this key `Id` here).
    public var id: String
    /// Creation time.
    public var created: String?
    /// `local` or `swarm`.
    public var scope: String?
    /// `overlay`, `bridge`, …
    public var driver: String?
    /// IPv6 enabled.
    public var enableIPv6: Bool?
    /// Address management.
    public var ipam: NetworkIPAM?
    /// No external connectivity.
    public var `internal`: Bool?
    /// Standalone containers may attach (overlay only).
    public var attachable: Bool?
    /// The swarm routing-mesh network.
    public var ingress: Bool?
    /// Driver options.
    public var options: [String: String]?
    /// Network labels.
    public var labels: [String: String]?

    /// Creates a network value (mostly useful in tests and fakes).
    public init(
        name: String? = nil, id: String, created: String? = nil, scope: String? = nil, driver: String? = nil,
        enableIPv6: Bool? = nil, ipam: NetworkIPAM? = nil, internal: Bool? = nil, attachable: Bool? = nil,
        ingress: Bool? = nil, options: [String: String]? = nil, labels: [String: String]? = nil
    ) {
        self.name = name
        self.id = id
        self.created = created
        self.scope = scope
        self.driver = driver
        self.enableIPv6 = enableIPv6
        self.ipam = ipam
        self.internal = `internal`
        self.attachable = attachable
        self.ingress = ingress
        self.options = options
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", id = "Id", created = "Created", scope = "Scope", driver = "Driver"
        case enableIPv6 = "EnableIPv6", ipam = "IPAM", `internal` = "Internal", attachable = "Attachable"
        case ingress = "Ingress", options = "Options", labels = "Labels"
    }
}

/// The body of `POST /networks/create`.
public struct NetworkCreateRequest: Codable, Sendable, Equatable {
    /// The network name.
    public var name: String
    /// Refuse to create a second network with the same name (ignored from API 1.44, which always checks).
    public var checkDuplicate: Bool?
    /// `overlay` for swarm services, `bridge` for local containers.
    public var driver: String?
    /// No external connectivity.
    public var `internal`: Bool?
    /// Let standalone containers attach (overlay only).
    public var attachable: Bool?
    /// Address management.
    public var ipam: NetworkIPAM?
    /// Enable IPv6.
    public var enableIPv6: Bool?
    /// Driver options, e.g. `encrypted` for overlay.
    public var options: [String: String]?
    /// Network labels.
    public var labels: [String: String]?

    /// Creates a request.
    public init(
        name: String, checkDuplicate: Bool? = nil, driver: String? = nil, internal: Bool? = nil,
        attachable: Bool? = nil, ipam: NetworkIPAM? = nil, enableIPv6: Bool? = nil,
        options: [String: String]? = nil, labels: [String: String]? = nil
    ) {
        self.name = name
        self.checkDuplicate = checkDuplicate
        self.driver = driver
        self.internal = `internal`
        self.attachable = attachable
        self.ipam = ipam
        self.enableIPv6 = enableIPv6
        self.options = options
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", checkDuplicate = "CheckDuplicate", driver = "Driver", `internal` = "Internal"
        case attachable = "Attachable", ipam = "IPAM", enableIPv6 = "EnableIPv6", options = "Options"
        case labels = "Labels"
    }
}

/// The answer of `POST /networks/create`.
public struct NetworkCreateResponse: Codable, Sendable, Equatable {
    /// The new network's ID.
    public var id: String
    /// A warning, if any (empty when none).
    public var warning: String?

    /// Creates a response value.
    public init(id: String, warning: String? = nil) {
        self.id = id
        self.warning = warning
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", warning = "Warning"
    }
}

/// IP address management for a network.
public struct NetworkIPAM: Codable, Sendable, Equatable {
    /// IPAM driver, `default` normally.
    public var driver: String?
    /// Address pools.
    public var config: [Config]?
    /// Driver options.
    public var options: [String: String]?

    /// Creates IPAM settings.
    public init(driver: String? = nil, config: [Config]? = nil, options: [String: String]? = nil) {
        self.driver = driver
        self.config = config
        self.options = options
    }

    /// One address pool.
    public struct Config: Codable, Sendable, Equatable {
        /// e.g. `10.0.9.0/24`.
        public var subnet: String?
        /// Sub-range to allocate from.
        public var ipRange: String?
        /// Gateway address.
        public var gateway: String?
        /// Reserved addresses by name.
        public var auxiliaryAddresses: [String: String]?

        /// Creates a pool.
        public init(
            subnet: String? = nil, ipRange: String? = nil, gateway: String? = nil,
            auxiliaryAddresses: [String: String]? = nil
        ) {
            self.subnet = subnet
            self.ipRange = ipRange
            self.gateway = gateway
            self.auxiliaryAddresses = auxiliaryAddresses
        }

        enum CodingKeys: String, CodingKey {
            case subnet = "Subnet", ipRange = "IPRange", gateway = "Gateway"
            case auxiliaryAddresses = "AuxiliaryAddresses"
        }
    }

    enum CodingKeys: String, CodingKey {
        case driver = "Driver", config = "Config", options = "Options"
    }
}
