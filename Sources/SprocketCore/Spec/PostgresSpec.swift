/// `postgres:` in stack.yaml: the managed PostgreSQL the stack provisions roles, databases, schemas, extensions
/// and grants on, through an admin role that need not be a superuser (CREATEROLE and CREATEDB suffice).
///
/// Names are already interpolated for the selected environment (`sprocket_${subdomain}`); passwords and the CA
/// certificate are named stack secrets, never values.
public struct PostgresSpec: Sendable, Hashable, Codable {
    /// libpq's `sslmode` values. `require` encrypts without verifying the certificate, as libpq does.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable, Codable {
        case disable
        case prefer
        case require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// The role `sprocketctl` connects as to provision everything else.
    public struct Admin: Sendable, Hashable, Codable {
        public var user: String
        public var passwordSecret: String
        public var location: SourceLocation

        public init(user: String, passwordSecret: String, location: SourceLocation) {
            self.user = user
            self.passwordSecret = passwordSecret
            self.location = location
        }
    }

    /// A login role a service connects as.
    public struct Role: Sendable, Hashable, Codable {
        public var name: String
        public var passwordSecret: String
        /// `CONNECTION LIMIT`; nil means unlimited (PostgreSQL's -1).
        public var connectionLimit: Int?
        public var location: SourceLocation

        public init(name: String, passwordSecret: String, connectionLimit: Int? = nil, location: SourceLocation) {
            self.name = name
            self.passwordSecret = passwordSecret
            self.connectionLimit = connectionLimit
            self.location = location
        }
    }

    /// A schema inside a database; its owner defaults to the database's owner.
    public struct Schema: Sendable, Hashable, Codable {
        public var name: String
        public var owner: String?
        public var location: SourceLocation

        public init(name: String, owner: String? = nil, location: SourceLocation) {
            self.name = name
            self.owner = owner
            self.location = location
        }
    }

    /// One `grants:` entry. Its level follows from the keys: no `schema` is the database itself, `schema` alone is
    /// the schema, `schema` with `tables: all` is every table in it now and (as default privileges) later.
    public struct Grant: Sendable, Hashable, Codable {
        public enum Level: Sendable, Hashable, Codable {
            case database
            case schema(String)
            case allTables(inSchema: String)
        }

        public var role: String
        public var level: Level
        /// Upper-case privilege names, `ALL` expanded and `TEMP` spelled `TEMPORARY`, as PostgreSQL reports them.
        public var privileges: [String]
        public var location: SourceLocation

        public init(role: String, level: Level, privileges: [String], location: SourceLocation) {
            self.role = role
            self.level = level
            self.privileges = privileges
            self.location = location
        }
    }

    public struct Database: Sendable, Hashable, Codable {
        public var name: String
        public var owner: String
        public var extensions: [String]
        public var schemas: [Schema]
        public var grants: [Grant]
        public var location: SourceLocation

        public init(
            name: String, owner: String, extensions: [String] = [], schemas: [Schema] = [], grants: [Grant] = [],
            location: SourceLocation
        ) {
            self.name = name
            self.owner = owner
            self.extensions = extensions
            self.schemas = schemas
            self.grants = grants
            self.location = location
        }

        /// The owner of `schema`: its declared owner, else the database's. For `public` (not declared) the
        /// database's owner too, since PostgreSQL 15 makes the database owner own `public`.
        public func owner(ofSchema schema: String) -> String {
            schemas.first { $0.name == schema }?.owner ?? owner
        }
    }

    /// The layer before whose services the resources are provisioned; nil means before the first layer.
    public var layer: String?
    public var host: String
    public var port: Int
    /// The database the admin connects to (`defaultdb` on DigitalOcean, `postgres` elsewhere).
    public var database: String
    public var sslMode: SSLMode
    /// The stack secret holding the CA certificate (PEM) that `verify-ca`/`verify-full` check the server against.
    public var caCertificateSecret: String?
    public var admin: Admin
    public var roles: [Role]
    public var databases: [Database]
    /// How `sprocketctl` reaches the server: straight over TCP, or from a one-shot Swarm job inside the cluster.
    public var reach: PostgresReach = .direct
    public var location: SourceLocation

    public init(
        layer: String? = nil, host: String, port: Int = 5432, database: String = "postgres", sslMode: SSLMode = .prefer,
        caCertificateSecret: String? = nil, admin: Admin, roles: [Role] = [], databases: [Database] = [],
        location: SourceLocation
    ) {
        self.layer = layer
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
        self.caCertificateSecret = caCertificateSecret
        self.admin = admin
        self.roles = roles
        self.databases = databases
        self.location = location
    }

    /// Every stack secret the spec names: the admin's password, each role's password and the CA certificate.
    public var secretNames: [String] {
        [admin.passwordSecret] + roles.map(\.passwordSecret) + (caCertificateSecret.map { [$0] } ?? [])
    }

    public func role(named name: String) -> Role? {
        roles.first { $0.name == name }
    }
}
