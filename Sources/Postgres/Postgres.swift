/// PostgreSQL provider: roles, databases, schemas, grants and extensions from the spec (see README.md).
public enum PostgresProvider {}
