import Foundation

/// The `filters` query parameter of Docker's list endpoints: a map from filter name to accepted values,
/// sent as JSON such as `{"label":["io.sprocket.stack=web"]}`.
///
/// ```swift
/// let filters = DockerFilters.label("io.sprocket.stack", "web").label("io.sprocket.env")
/// ```
public struct DockerFilters: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// Filter name → values. Docker ORs values of one name and ANDs different names.
    public private(set) var values: [String: [String]]

    /// Creates filters from a map.
    public init(_ values: [String: [String]] = [:]) {
        self.values = values
    }

    /// Creates filters from a literal such as `["name": ["web"]]`.
    public init(dictionaryLiteral elements: (String, [String])...) {
        self.init(Dictionary(elements, uniquingKeysWith: +))
    }

    /// True when no filter is set, in which case no `filters` parameter is sent.
    public var isEmpty: Bool { values.isEmpty }

    /// Adds `value` under `name`, keeping earlier values.
    public mutating func add(_ name: String, _ value: String) {
        values[name, default: []].append(value)
    }

    /// Returns a copy with `value` added under `name`.
    public func adding(_ name: String, _ value: String) -> DockerFilters {
        var copy = self
        copy.add(name, value)
        return copy
    }

    /// Filters on a label: `key=value`, or only the label's presence when `value` is nil.
    public static func label(_ key: String, _ value: String? = nil) -> DockerFilters {
        DockerFilters().label(key, value)
    }

    /// Returns a copy that also filters on a label: `key=value`, or only its presence when `value` is nil.
    public func label(_ key: String, _ value: String? = nil) -> DockerFilters {
        adding("label", value.map { "\(key)=\($0)" } ?? key)
    }

    /// The JSON document Docker expects, with sorted keys so requests are deterministic.
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding [String: [String]] cannot fail; the fallback only satisfies the type checker.
        guard let data = try? encoder.encode(values) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The query item for this filter set, or none when empty.
    var queryItems: [(String, String)] {
        isEmpty ? [] : [("filters", jsonString())]
    }
}
