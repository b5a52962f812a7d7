/// `GET /api/version`: `{"Version":"3.1.2","Codename":"comte","startDate":"…"}` (note the capitalised keys).
public struct TraefikVersion: Sendable, Equatable, Codable {
    /// The version, e.g. `3.1.2` or `2.11.10`.
    public var version: String
    /// The release codename.
    public var codename: String?
    /// When this Traefik started (RFC 3339), as sent.
    public var startDate: String?

    enum CodingKeys: String, CodingKey {
        case version = "Version"
        case codename = "Codename"
        case startDate
    }

    /// The major version number (2 or 3), nil when `version` does not start with a number (e.g. `dev`).
    public var majorVersion: Int? {
        Int(version.drop { $0 == "v" }.prefix { $0.isNumber })
    }
}
