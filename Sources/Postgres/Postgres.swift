import SprocketCore

/// PostgreSQL provider: roles, databases, schemas, grants and extensions from the spec's `postgres:` section,
/// provisioned through an admin role that is not a superuser. ``PostgresProvisioner`` is the entry point;
/// docs/postgres.md describes what is reconciled and how.
public enum PostgresProvider {
    /// The system name in plan output, statuses and errors.
    public static let system = "postgres"
}

extension PostgresProvider {
    /// Checks names, owners, grantees and required secrets of `spec` before anything is sent anywhere.
    /// - Throws: ``SprocketError`` (`postgres-spec`) listing every problem.
    public static func validate(_ spec: PostgresSpec) throws {
        try PostgresSpecCheck.validate(spec)
    }
}
