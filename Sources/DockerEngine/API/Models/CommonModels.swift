import Foundation

/// Swarm's optimistic-concurrency version of an object. Updates must send the `index` they last read.
public struct ObjectVersion: Codable, Sendable, Equatable, Hashable {
    /// The version index; it grows with every change.
    public var index: UInt64?

    /// Creates a version.
    public init(index: UInt64? = nil) {
        self.index = index
    }

    enum CodingKeys: String, CodingKey {
        case index = "Index"
    }
}

/// A driver name with options; Docker uses this shape for log drivers, volume drivers, secret drivers and
/// config/secret templating.
public struct DriverConfig: Codable, Sendable, Equatable, Hashable {
    /// The driver's name, e.g. `json-file` or `local`.
    public var name: String?
    /// Driver-specific options.
    public var options: [String: String]?

    /// Creates a driver configuration.
    public init(name: String? = nil, options: [String: String]? = nil) {
        self.name = name
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case options = "Options"
    }
}

/// A JSON object with no fields that Docker uses as a marker, such as `"Mode": {"Global": {}}`.
///
/// It always encodes as `{}` (never `null`) and decodes from any object, ignoring fields it does not know.
public struct EmptyObject: Codable, Sendable, Equatable, Hashable {
    /// Creates the empty object.
    public init() {}

    /// Accepts any JSON object.
    public init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: AnyCodingKey.self)
    }

    /// Writes `{}`. Asking for a keyed container is what makes the encoder emit an object rather than nothing.
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: AnyCodingKey.self)
    }
}

/// A coding key for objects whose keys are not known in advance.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// The `{"ID": "…"}` answer of the config and secret create endpoints.
struct IDResponse: Decodable {
    var id: String

    enum CodingKeys: String, CodingKey {
        case id = "ID"
    }
}

/// Base64 for config and secret `Data` fields. Docker's Go side uses standard base64 with padding.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { [UInt8]($0) }
    }
}
