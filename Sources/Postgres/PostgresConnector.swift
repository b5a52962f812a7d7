import Logging
import SprocketCore

/// Opens sessions on one endpoint: as the admin to any database, or as a declared role with its secret.
struct PostgresConnector: Sendable {
    var endpoint: PostgresEndpoint
    var admin: PostgresSpec.Admin
    var adminPassword: SensitiveBytes
    var logger: Logger

    func admin(database: String) async throws -> PostgresSession {
        try await PostgresSession.open(
            endpoint, user: admin.user, password: adminPassword, passwordSecret: admin.passwordSecret, database: database, logger: logger)
    }

    /// Runs `body` with an admin session on `database` and closes it, also when `body` throws.
    func withAdmin<T: Sendable>(database: String, _ body: (PostgresSession) async throws -> T) async throws -> T {
        let session = try await admin(database: database)
        do {
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    func role(_ role: PostgresSpec.Role, password: SensitiveBytes, database: String) async throws -> PostgresSession {
        try await PostgresSession.open(
            endpoint, user: role.name, password: password, passwordSecret: role.passwordSecret, database: database, logger: logger)
    }

    /// Whether `password` logs `role` in. Authentication comes before the database's own checks, so a refusal for
    /// another reason (no CONNECT privilege, connection limit reached) still proves the password right.
    /// - Throws: when the server cannot be reached, or refuses the role before checking any password (pg_hba).
    func passwordMatches(_ role: PostgresSpec.Role, password: SensitiveBytes, database: String) async throws -> Bool {
        do {
            let session = try await PostgresSession.open(
                endpoint, user: role.name, password: password, passwordSecret: role.passwordSecret, database: database,
                logger: logger, translating: false)
            await session.close()
            return true
        } catch {
            switch PostgresErrorTranslator.sqlState(of: error) {
            case PostgresErrorTranslator.invalidPassword:
                return false
            case nil, "28000":
                throw PostgresErrorTranslator(endpoint: endpoint, passwordSecret: role.passwordSecret)
                    .connecting(error, user: role.name, database: database)
            default:
                return true
            }
        }
    }
}
