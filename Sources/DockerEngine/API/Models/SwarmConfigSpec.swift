/// The body of `POST /configs/create`. Configs are immutable apart from their labels.
public struct SwarmConfigSpec: Codable, Sendable, Equatable {
    /// The config name.
    public var name: String?
    /// Config labels.
    public var labels: [String: String]?
    /// The content, base64-encoded (standard alphabet, with padding).
    public var data: String?
    /// Templating driver, e.g. `golang`.
    public var templating: DriverConfig?

    /// Creates a config spec; use ``init(name:labels:content:templating:)`` to pass raw bytes.
    public init(
        name: String? = nil, labels: [String: String]? = nil, data: String? = nil, templating: DriverConfig? = nil
    ) {
        self.name = name
        self.labels = labels
        self.data = data
        self.templating = templating
    }

    /// Creates a config spec from raw content, base64-encoding it.
    public init(name: String, labels: [String: String]? = nil, content: [UInt8], templating: DriverConfig? = nil) {
        self.init(name: name, labels: labels, data: Base64.encode(content), templating: templating)
    }

    /// The decoded content, or nil when `data` is absent or not valid base64.
    public var content: [UInt8]? { data.flatMap(Base64.decode) }

    enum CodingKeys: String, CodingKey {
        case name = "Name", labels = "Labels", data = "Data", templating = "Templating"
    }
}
