/// A Docker Engine API version such as `1.41`, as sent in the `API-Version` header and used in `/v1.41/…` paths.
public struct DockerAPIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major part (always 1 so far).
    public let major: Int
    /// The minor part.
    public let minor: Int

    /// The oldest API this client supports: Docker Engine 20.10.
    public static let minimumSupported = DockerAPIVersion(major: 1, minor: 41)
    /// The newest API whose fields the models here were checked against; newer daemons are spoken to at this version.
    public static let maximumSupported = DockerAPIVersion(major: 1, minor: 45)

    /// Creates a version from its parts.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `"1.41"`; returns nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0 else {
            return nil
        }
        self.init(major: major, minor: minor)
    }

    /// Picks the version to speak with a daemon that supports up to `server`.
    ///
    /// - Returns: `min(server, maximumSupported)`.
    /// - Throws: ``DockerClientError/unsupportedAPIVersion(server:minimum:)`` when the daemon is older than 1.41.
    public static func negotiated(withServer server: DockerAPIVersion) throws(DockerClientError) -> DockerAPIVersion {
        guard server >= minimumSupported else {
            throw .unsupportedAPIVersion(server: server.description, minimum: minimumSupported.description)
        }
        return min(server, maximumSupported)
    }

    /// Orders by major, then minor.
    public static func < (lhs: DockerAPIVersion, rhs: DockerAPIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// `"1.41"`.
    public var description: String { "\(major).\(minor)" }

    /// The path prefix for this version, `"/v1.41"`.
    var pathPrefix: String { "/v\(description)" }
}
