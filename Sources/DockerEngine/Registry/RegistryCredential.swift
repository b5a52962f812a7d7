import Foundation

/// A user name and password (or access token) for one registry, and where it was found. The secret is kept out of
/// `description`: errors name the user and the source, never the secret.
public struct RegistryCredential: Sendable, CustomStringConvertible {
    public var username: String
    var secret: String
    /// `SPROCKET_REGISTRY_AUTH`, or the docker CLI's config file it came from.
    public var source: String

    public init(username: String, secret: String, source: String) {
        self.username = username
        self.secret = secret
        self.source = source
    }

    /// The `Authorization` value of HTTP Basic authentication.
    var basicAuthorization: String {
        "Basic " + Data("\(username):\(secret)".utf8).base64EncodedString()
    }

    public var description: String { "user \(username) (from \(source))" }
}
