import NIOSSL
import PostgresNIO
import SprocketCore

/// Where and how to reach the server: host, port, sslmode and the CA certificate, turned into PostgresNIO
/// configurations for any role and database.
struct PostgresEndpoint: Sendable {
    var host: String
    var port: Int
    var sslMode: PostgresSpec.SSLMode
    /// PEM of the CA that `verify-ca`/`verify-full` trust; nil means the system's trust store.
    var caCertificatePEM: SensitiveBytes?
    var connectTimeout: Duration = .seconds(10)

    /// `db.example.com:25060`, as errors name it.
    var address: String { "\(host):\(port)" }

    /// `db.example.com:25060 (sslmode=require)`.
    var description: String { "\(address) (sslmode=\(sslMode.rawValue))" }

    /// A PostgresNIO configuration for `user` on `database`.
    func configuration(user: String, password: String, database: String) throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: try tls())
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000)
        return configuration
    }

    /// libpq's meaning of each sslmode: `prefer`/`require` encrypt without checking the certificate;
    /// `verify-ca` checks the chain only; `verify-full` also checks the host name.
    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable:
            return .disable
        case .prefer, .require:
            tls.certificateVerification = .none
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        if sslMode == .verifyCA || sslMode == .verifyFull, let caCertificatePEM {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(caCertificatePEM.bytes))
            } catch {
                throw SprocketError(
                    .postgresConnection, "the CA certificate for \(address) is not valid PEM", subject: "postgres \(address)",
                    hint: "put the server's CA certificate (-----BEGIN CERTIFICATE-----…) in the `ca_certificate` secret")
            }
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw SprocketError(.postgresConnection, "cannot set up TLS for \(address): \(error)", subject: "postgres \(address)")
        }
        return sslMode == .prefer ? .prefer(context) : .require(context)
    }
}

extension SprocketError.Code {
    /// The server cannot be reached, refused the login, or TLS failed.
    public static let postgresConnection = SprocketError.Code(rawValue: "postgres-connection")
    /// The admin role lacks an attribute the provider needs (CREATEROLE, CREATEDB).
    public static let postgresPermission = SprocketError.Code(rawValue: "postgres-permission")
    /// A statement or catalog read failed on the server.
    public static let postgresStatement = SprocketError.Code(rawValue: "postgres-statement")
    /// The `postgres:` spec cannot be provisioned as written (a name, a grantee, a secret).
    public static let postgresSpec = SprocketError.Code(rawValue: "postgres-spec")
}
