import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SprocketCore
import Synchronization

/// One open connection as one role to one database: catalog reads, and mutating statements that are logged
/// (redacted) and counted, so a run can report how many statements changed something.
final class PostgresSession: Sendable {
    let user: String
    let database: String
    private let connection: PostgresConnection
    private let translator: PostgresErrorTranslator
    private let logger: Logger
    private let mutations = Atomic<Int>(0)

    /// PostgresNIO logs queries at trace level, and a query may carry a password verifier: it gets no logger.
    private static let silent = Logger(label: "sprocket.postgres.driver", factory: { _ in SwiftLogNoOpLogHandler() })
    private static let connectionIDs = Atomic<Int>(0)

    private init(user: String, database: String, connection: PostgresConnection, translator: PostgresErrorTranslator, logger: Logger) {
        self.user = user
        self.database = database
        self.connection = connection
        self.translator = translator
        self.logger = logger
    }

    /// Opens a connection as `user` with `password`.
    /// - Parameter translating: false to get PostgresNIO's own error (to read its SQLSTATE) instead of a ``SprocketError``.
    /// - Throws: ``SprocketError`` naming the endpoint and role: unreachable, refused password, TLS, unknown database.
    static func open(
        _ endpoint: PostgresEndpoint, user: String, password: SensitiveBytes, passwordSecret: String?, database: String,
        logger: Logger, translating: Bool = true
    ) async throws -> PostgresSession {
        let translator = PostgresErrorTranslator(endpoint: endpoint, passwordSecret: passwordSecret)
        let configuration = try endpoint.configuration(
            user: user, password: String(decoding: password.bytes, as: UTF8.self), database: database)
        do {
            // PostgresNIO's connect timeout is a deadline for TCP, TLS and startup together: a silent peer times out.
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                id: connectionIDs.wrappingAdd(1, ordering: .relaxed).newValue, logger: silent)
            return PostgresSession(user: user, database: database, connection: connection, translator: translator, logger: logger)
        } catch {
            throw translating ? translator.connecting(error, user: user, database: database) : error
        }
    }

    /// How many mutating statements this session ran.
    var mutationCount: Int { mutations.load(ordering: .relaxed) }

    /// Rows of a catalog read, every column as text (cast in SQL: `rolcanlogin::text`); NULL is nil.
    func rows(_ query: PostgresQuery, kind: String) async throws -> [[String?]] {
        do {
            var result: [[String?]] = []
            for try await row in try await connection.query(query, logger: Self.silent) {
                result.append(try row.map { try $0.decode(String?.self) })
            }
            return result
        } catch {
            throw translator.running(error, kind: kind, user: user, database: database)
        }
    }

    /// Runs a statement that changes something; logs its loggable text and counts it.
    func execute(_ statement: PostgresStatement) async throws {
        logger.info("postgres: \(statement.loggable)", metadata: ["database": "\(database)"])
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement.sql), logger: Self.silent)
            mutations.add(1, ordering: .relaxed)
        } catch {
            throw translator.running(error, kind: statement.kind, user: user, database: database)
        }
    }

    func close() async {
        try? await connection.close()
    }
}

