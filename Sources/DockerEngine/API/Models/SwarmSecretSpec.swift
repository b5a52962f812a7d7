/// The body of `POST /secrets/create`. Secrets are immutable apart from their labels: rotate by creating a new
/// name and re-pointing services.
public struct SwarmSecretSpec: Codable, Sendable, Equatable {
    /// The secret name.
    public var name: String?
    /// Secret labels.
    public var labels: [String: String]?
    /// The value, base64-encoded; only sent on create, never returned.
    public var data: String?
    /// External secret driver; nil for Swarm's built-in store.
    public var driver: DriverConfig?
    /// Templating driver, e.g. `golang`.
    public var templating: DriverConfig?

    /// Creates a secret spec; use ``init(name:labels:value:)`` to pass raw bytes.
    public init(
        name: String? = nil, labels: [String: String]? = nil, data: String? = nil, driver: DriverConfig? = nil,
        templating: DriverConfig? = nil
    ) {
        self.name = name
        self.labels = labels
        self.data = data
        self.driver = driver
        self.templating = templating
    }

    /// Creates a secret spec from the raw value, base64-encoding it.
    public init(name: String, labels: [String: String]? = nil, value: [UInt8]) {
        self.init(name: name, labels: labels, data: Base64.encode(value))
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", labels = "Labels", data = "Data", driver = "Driver", templating = "Templating"
    }
}
