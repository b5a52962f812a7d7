import NIOCore
import NIOSSL
import PostgresNIO
import SprocketCore

/// Turns PostgresNIO's errors into ``SprocketError``s that name the endpoint, the role, the statement kind and a
/// remedy. Only the server's message and SQLSTATE are used: a `PSQLError`'s debug text carries the query, and a
/// query may carry a password verifier.
struct PostgresErrorTranslator {
    var endpoint: PostgresEndpoint
    /// The stack secret holding `user`'s password, named in authentication failures.
    var passwordSecret: String?

    static let unreachableHint = "check `postgres.host` and `postgres.port` (DigitalOcean: 25060) and that the server accepts "
        + "this machine (DigitalOcean: add it to the database's trusted sources)"

    /// SQLSTATE of a failed password (or an expired role).
    static let invalidPassword = "28P01"

    /// The server's SQLSTATE, when the error came from the server.
    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// An error of opening a connection as `user` to `database`.
    func connecting(_ error: any Error, user: String, database: String) -> SprocketError {
        let subject = "postgres \(endpoint.address)"
        guard let error = error as? PSQLError else {
            return SprocketError(.postgresConnection, "cannot connect to \(endpoint.description) as `\(user)`: \(error)", subject: subject)
        }
        if let info = error.serverInfo {
            let state = info[.sqlState] ?? "?"
            let message = info[.message] ?? "no message"
            switch state {
            case Self.invalidPassword:
                return SprocketError(
                    .postgresConnection, "the server at \(endpoint.address) refused the password of role `\(user)` (\(message))",
                    subject: subject,
                    hint: passwordSecret.map { "put the current password of `\(user)` in the stack secret `\($0)`" }
                        ?? "check the password of `\(user)`")
            case "28000":
                return SprocketError(
                    .postgresConnection, "the server at \(endpoint.address) does not let role `\(user)` log in to `\(database)`: \(message)",
                    subject: subject,
                    hint: "the server's pg_hba rules (DigitalOcean: trusted sources) must allow this machine, and the role needs LOGIN")
            case "3D000":
                return SprocketError(
                    .postgresConnection, "database `\(database)` does not exist on \(endpoint.address)", subject: subject,
                    hint: "set `postgres.database` to a database the admin can connect to (`defaultdb` on DigitalOcean)")
            default:
                return SprocketError(
                    .postgresConnection, "connecting to \(endpoint.address) as `\(user)` failed: \(message) (SQLSTATE \(state))", subject: subject)
            }
        }
        switch error.code {
        case .sslUnsupported:
            return SprocketError(
                .postgresConnection, "the server at \(endpoint.address) does not offer TLS, but sslmode is \(endpoint.sslMode.rawValue)",
                subject: subject, hint: "use the server's TLS port, or `sslmode: disable` for a server on a private network only")
        case .connectionError, .serverClosedConnection, .uncleanShutdown:
            return SprocketError(
                .postgresConnection, "cannot reach PostgreSQL at \(endpoint.address) as `\(user)`: \(reason(of: error.underlying))",
                subject: subject, hint: Self.unreachableHint)
        default:
            return SprocketError(
                .postgresConnection, "connecting to \(endpoint.address) as `\(user)` failed (\(error.code))", subject: subject)
        }
    }

    /// An error of a statement or catalog read of kind `kind` run as `user` in `database`.
    func running(_ error: any Error, kind: String, user: String, database: String) -> SprocketError {
        let subject = "postgres \(endpoint.address)/\(database)"
        guard let error = error as? PSQLError, let info = error.serverInfo else {
            let code = (error as? PSQLError).map { "\($0.code)" } ?? "\(type(of: error))"
            return SprocketError(
                .postgresStatement, "\(kind) as `\(user)` in `\(database)` failed: \(code)", subject: subject,
                hint: "the connection to \(endpoint.address) broke; run again")
        }
        let state = info[.sqlState] ?? "?"
        let message = info[.message] ?? "no message"
        let hint: String?
        if kind == "CREATE EXTENSION", ["0A000", "58P01", "42704"].contains(state) {
            hint = "the extension is not available (or not trusted) on this server; remove it from `extensions:`"
        } else if state == "42501" {
            hint = "`\(user)` lacks a privilege for this; it must be a member of the role that owns the object "
                + "(the provider grants that membership first)"
        } else if state == "55006" {
            hint = "other sessions are connected to the database; stop the services using it first"
        } else {
            hint = info[.hint]
        }
        return SprocketError(
            .postgresStatement, "\(kind) as `\(user)` in `\(database)` failed: \(message) (SQLSTATE \(state))", subject: subject, hint: hint)
    }

    /// Why a connection could not be made, in words: refused, timed out, name not found, or TLS.
    private func reason(of underlying: (any Error)?) -> String {
        guard let underlying else { return "the connection closed" }
        if let channelError = underlying as? ChannelError, case .connectTimeout = channelError {
            return "no answer within \(endpoint.connectTimeout.components.seconds) s (timed out)"
        }
        if underlying is NIOSSLError || underlying is BoringSSLError {
            return "TLS failed (\(underlying)); with sslmode=\(endpoint.sslMode.rawValue) the server's certificate must match "
                + "the `ca_certificate` secret" + (endpoint.sslMode == .verifyFull ? " and the host name" : "")
        }
        let text = String(describing: underlying)
        if text.localizedLowercase.contains("refused") { return "connection refused" }
        if text.localizedLowercase.contains("timeout") || text.localizedLowercase.contains("timed out") {
            return "no answer within \(endpoint.connectTimeout.components.seconds) s (timed out)"
        }
        return text
    }
}
