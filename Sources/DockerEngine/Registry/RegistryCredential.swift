import Foundation
import SprocketCore

/// A user name and password (or access token) for one registry, and where it was found. The secret is kept out of
/// `description`: errors name the user and the source, never the secret.
public struct RegistryCredential: Sendable, CustomStringConvertible {
    public var username: String
    var secret: String
    /// `SPROCKET_REGISTRY_AUTH`, or the docker CLI's config file it came from.
    public var source: String

    public init(username: String, secret: String, source: String) {
        // Learned here, whatever its source: output and logs redact it from now on.
        SecretRedactor.shared.register(secret, name: "registry-credential")
        self.username = username
        self.secret = secret
        self.source = source
    }

    /// The `Authorization` value of HTTP Basic authentication.
    var basicAuthorization: String {
        "Basic " + Data("\(username):\(secret)".utf8).base64EncodedString()
    }

    /// The engine's `X-Registry-Auth` value for `serverAddress`: base64url of `{"username","password","serveraddress"}`,
    /// as `docker stack deploy --with-registry-auth` sends it, so that every node can pull a private image.
    func engineHeader(serverAddress: String) -> String {
        struct Payload: Encodable {
            var username: String
            var password: String
            var serveraddress: String
        }
        let json = (try? JSONEncoder().encode(Payload(username: username, password: secret, serveraddress: serverAddress))) ?? Data()
        return json.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    public var description: String { "user \(username) (from \(source))" }
}
