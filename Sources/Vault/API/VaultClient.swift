import AsyncHTTPClient
import Foundation
import SprocketCore
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// A client for HashiCorp Vault's HTTP API (also OpenBao): init, seal and unseal, health, mounts, KV v2,
/// ACL policies and tokens.
///
/// One client owns one `HTTPClient`; call ``shutdown()`` exactly once when done.
///
/// ```swift
/// let vault = try VaultClient(configuration: try .fromEnvironment(environment), logger: logger)
/// let status = try await vault.sealStatus()
/// let secret = try await vault.readSecret(at: try VaultKVPath(mount: "platform", path: "prod/db"))
/// try await vault.shutdown()
/// ```
///
/// Errors are ``VaultClientError`` values that name the API path. Tokens, unseal keys and secret values are
/// ``VaultSecretString``/``VaultSecretData`` and never appear in errors, logs or descriptions.
public final class VaultClient: Sendable {
    /// Where Vault is; the token here is the initial one (see ``setToken(_:)``).
    public let configuration: VaultClientConfiguration

    /// Where every call this client sends is counted; shared with the other clients of a run when passed in.
    public let calls: VaultCallCounter

    let logger: Logger
    let http: HTTPClient
    private let currentToken: Mutex<VaultSecretString?>

    /// Creates a client. No connection is made until the first call.
    ///
    /// - Parameters:
    ///   - configuration: Address, token, CA file, namespace.
    ///   - logger: Receives `trace` lines per request (method, path, status; never bodies or headers).
    ///   - calls: Counts every request sent; pass one counter to all the clients of a run to count the run.
    /// - Throws: ``VaultClientError/invalidConfiguration(_:)`` when the CA file cannot be read.
    public init(configuration: VaultClientConfiguration, logger: Logger, calls: VaultCallCounter = VaultCallCounter()) throws {
        self.configuration = configuration
        self.logger = logger
        self.calls = calls
        self.currentToken = Mutex(configuration.token)
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        httpConfiguration.timeout.connect = .seconds(5)
        httpConfiguration.redirectConfiguration = .disallow
        if let caPath = configuration.caCertificatePath {
            var tls = TLSConfiguration.makeClientConfiguration()
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caPath))
            } catch {
                throw VaultClientError.invalidConfiguration(
                    "cannot read the CA certificate file \(caPath) (VAULT_CACERT): \(error)")
            }
            httpConfiguration.tlsConfiguration = tls
        }
        self.http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration,
            backgroundActivityLogger: logger)
    }

    /// Closes all connections. Call exactly once.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// The token sent with authenticated calls from now on (e.g. the root token right after ``initialize(shares:threshold:)``).
    public func setToken(_ token: VaultSecretString?) {
        currentToken.withLock { $0 = token }
    }

    /// Whether a token is set.
    public var hasToken: Bool { currentToken.withLock { $0 != nil } }

    var token: VaultSecretString? { currentToken.withLock { $0 } }
}
