import Foundation

/// An operator's inventory of one stack environment, built from the spec by ``StackInventoryBuilder``: what runs,
/// how it is reached, which secrets exist (names, sources and consumers, never values), the Vault tokens and their
/// expiry, configs, volumes, databases and buckets. Encoded as `docs --json`, drawn as Markdown by
/// ``StackInventoryMarkdownRenderer``; every list is sorted so the output can be diffed in CI.
public struct StackInventory: Sendable, Hashable, Codable {
    public struct Service: Sendable, Hashable, Codable {
        public var name: String
        public var layer: String
        public var image: String
        /// `3`, `global`, `job`.
        public var replicas: String
        /// `8080:80/tcp (host)`.
        public var ports: [String]
        public var networks: [String]
        /// The healthcheck command, nil when the image's own (or none) is used.
        public var healthcheck: String?
        public var placement: [String]
        public var endpointMode: String
    }

    public struct Secret: Sendable, Hashable, Codable {
        public var name: String
        public var layer: String
        /// `environment PG_ADMIN`, `file ./x`, `generated (32 alphanumeric)`, `external`, `vault token platform`; for a
        /// `secrets:` manifest entry its own source (`doppler sprocket/prd JWT_SECRET`), see ``SecretSourceText``.
        public var source: String
        /// The Vault KV v2 field the value passes through on its way to the Docker secret (`platform/prod/jwt#value`),
        /// nil when it goes there directly.
        public var vault: String?
        /// Services mounting it, plus `postgres role …` and `s3 bucket …` that take it as a credential.
        public var consumers: [String]
    }

    public struct VaultToken: Sendable, Hashable, Codable {
        public var name: String
        public var secret: String
        public var policies: [String]
        /// `period 768h` or `ttl 720h`.
        public var lifetime: String
        public var consumers: [String]
        /// As last recorded in the local sealed store (nil: unknown here, or not minted yet).
        public var expiresAt: Date?
    }

    public struct Config: Sendable, Hashable, Codable {
        public var name: String
        public var layer: String
        public var source: String
        public var consumers: [String]
    }

    public struct Volume: Sendable, Hashable, Codable {
        public var name: String
        public var layer: String
        public var driver: String
        public var consumers: [String]
    }

    public struct PostgresRole: Sendable, Hashable, Codable {
        public var name: String
        public var passwordSecret: String
        public var connectionLimit: Int?
    }

    public struct PostgresDatabase: Sendable, Hashable, Codable {
        public var name: String
        public var owner: String
        public var extensions: [String]
        public var schemas: [String]
        /// `role: PRIVILEGES on level`.
        public var grants: [String]
    }

    public struct Postgres: Sendable, Hashable, Codable {
        public var host: String
        public var port: Int
        public var sslMode: String
        public var admin: String
        public var roles: [PostgresRole]
        public var databases: [PostgresDatabase]
    }

    public struct Bucket: Sendable, Hashable, Codable {
        public var name: String
        public var endpoint: String
        public var region: String
        public var versioning: Bool?
        public var lifecycle: [String]
        public var consumers: [String]
    }

    public var stack: String
    public var environment: String
    public var description: String?
    /// In deploy order, with what each needs.
    public var layers: [String]
    public var services: [Service]
    public var routes: [RouteEntry]
    public var secrets: [Secret]
    public var vaultTokens: [VaultToken]
    public var configs: [Config]
    public var volumes: [Volume]
    public var postgres: Postgres?
    public var buckets: [Bucket]
}
