/// `vault.server`: the Vault service sprocketctl generates into `vault.layer` (its `vault.hcl`, storage, seal,
/// service, volume and optional route), so a stack does not hand-write them.
///
/// Credentials (S3 keys, a transit token, KMS keys) are names of stack secrets: they reach the container as
/// files under `/run/secrets/` and are exported into Vault's own process only, never written into the Docker
/// config, the service's environment, its labels or its command line.
public struct VaultServerSpec: Sendable, Hashable {
    public enum Storage: Sendable, Hashable {
        /// `storage "s3"`: the bucket, optional endpoint (Spaces, MinIO), region and path inside the bucket.
        case s3(bucket: String, endpoint: String?, region: String, path: String?, pathStyle: Bool, accessKeySecret: String, secretKeySecret: String)
        /// `storage "raft"` on a named volume (single node, local use).
        case raft(volume: String)
        /// `storage "file"` on a named volume (local use).
        case file(volume: String)
    }

    public enum Seal: Sendable, Hashable {
        /// `seal "transit"`: auto-unseal through another Vault's transit engine; the token is a stack secret.
        case transit(address: String, keyName: String, mountPath: String, tokenSecret: String)
        /// `seal "awskms"`: auto-unseal through AWS KMS; keys from stack secrets (or the node's instance role when absent).
        case awskms(region: String, kmsKeyID: String, accessKeySecret: String?, secretKeySecret: String?)
    }

    /// Which server the image runs: HashiCorp Vault or OpenBao, its open-source fork with the same HTTP API but
    /// not the same storage backends.
    public enum Flavor: String, Sendable, Hashable {
        case hashicorpVault = "HashiCorp Vault"
        case openBao = "OpenBao"

        /// The storage backends generated here that this server has. OpenBao 2.x ships `raft` and `postgresql`
        /// only: a `file` or `s3` stanza makes its task crash-loop with `unknown storage type …`.
        public func supports(_ storage: Storage) -> Bool {
            switch (self, storage) {
            case (.hashicorpVault, _), (.openBao, .raft): true
            case (.openBao, .s3), (.openBao, .file): false
            }
        }
    }

    /// The server is known from `binary` (`bao` is OpenBao); `binary` itself defaults to `bao` when the image is
    /// OpenBao's (a repository named `openbao`, e.g. `openbao/openbao:2.7` or `sprocket-local/openbao:2.7.2`),
    /// else to `vault`.
    public var flavor: Flavor { binary == "bao" ? .openBao : .hashicorpVault }

    /// The `binary` default for an image: `bao` for an OpenBao image, else `vault`.
    public static func defaultBinary(forImage image: String) -> String {
        let withoutDigest = image.split(separator: "@").first.map(String.init) ?? image
        let lastPart = withoutDigest.split(separator: "/").last.map(String.init) ?? withoutDigest
        let repository = lastPart.split(separator: ":").first.map(String.init) ?? lastPart
        return repository.lowercased() == "openbao" ? "bao" : "vault"
    }

    /// The storage's name in the configuration (`storage "raft"`).
    public var storageKind: String {
        switch storage {
        case .s3: "s3"
        case .raft: "raft"
        case .file: "file"
        }
    }

    /// The service name (default `vault`): the DNS name other services use.
    public var name: String
    public var image: String
    /// `vault` for HashiCorp's image, `bao` for OpenBao's.
    public var binary: String
    /// The declared network the service joins (and Traefik reaches it on, when routed).
    public var network: String
    /// A host port published in host mode for 8200, for `up` on the node itself to reach it (nil: none).
    public var publish: Int?
    public var ui: Bool
    public var storage: Storage
    public var seal: Seal?
    /// A route to the UI/API at this subdomain (nil: not routed).
    public var routeSubdomain: String?
    /// How other services reach it by name: a virtual IP (needs IPVS) or DNS round robin.
    public var endpointMode: DeploySpec.EndpointMode = .vip
    public var location: SourceLocation

    public init(
        name: String = "vault", image: String, binary: String = "vault", network: String, publish: Int? = nil, ui: Bool = true,
        storage: Storage, seal: Seal? = nil, routeSubdomain: String? = nil, location: SourceLocation
    ) {
        self.name = name
        self.image = image
        self.binary = binary
        self.network = network
        self.publish = publish
        self.ui = ui
        self.storage = storage
        self.seal = seal
        self.routeSubdomain = routeSubdomain
        self.location = location
    }

    /// The config's name and where Vault reads it.
    public static let configName = "vault-hcl"
    public static let configPath = "/vault/config/vault.hcl"
    public static let dataPath = "/vault/data"

    /// A stack secret the service mounts and the environment variable of Vault's process it is exported as.
    public struct Credential: Sendable, Hashable {
        public var secret: String
        public var variable: String
    }

    /// The stack secrets the service mounts, each with the environment variable it is exported as.
    public var credentialSecrets: [Credential] {
        var credentials: [Credential] = []
        if case .s3(_, _, _, _, _, let access, let secret) = storage {
            credentials.append(Credential(secret: access, variable: "AWS_ACCESS_KEY_ID"))
            credentials.append(Credential(secret: secret, variable: "AWS_SECRET_ACCESS_KEY"))
        }
        if case .transit(_, _, _, let token) = seal {
            credentials.append(Credential(secret: token, variable: "VAULT_TOKEN"))
        }
        if case .awskms(_, _, let access, let secret) = seal, let access, let secret,
            !credentials.contains(where: { $0.variable == "AWS_ACCESS_KEY_ID" })
        {
            credentials.append(Credential(secret: access, variable: "AWS_ACCESS_KEY_ID"))
            credentials.append(Credential(secret: secret, variable: "AWS_SECRET_ACCESS_KEY"))
        }
        return credentials
    }
}
