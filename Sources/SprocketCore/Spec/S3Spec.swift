/// `s3:` in stack.yaml: the S3-compatible storage (AWS, DigitalOcean Spaces, MinIO) whose buckets the stack
/// declares, and the credentials its services receive.
///
/// The S3 module's `S3BucketProvisioner` reconciles the buckets before the services of ``layer`` start.
/// Values are already interpolated for the selected environment (`sprocket-${subdomain}-replays`).
public struct S3Spec: Sendable, Hashable {
    /// The stack secrets holding the access key ID and the secret key (their values never appear in the spec).
    public struct Credentials: Sendable, Hashable {
        public var accessKeySecret: String
        public var secretKeySecret: String

        public init(accessKeySecret: String, secretKeySecret: String) {
            self.accessKeySecret = accessKeySecret
            self.secretKeySecret = secretKeySecret
        }
    }

    /// The layer before whose services the buckets are provisioned; nil means before the first layer.
    public var layer: String?
    /// `https://fra1.digitaloceanspaces.com`, `http://127.0.0.1:9000`; nil means AWS (`https://s3.<region>.amazonaws.com`).
    public var endpoint: String?
    public var region: String
    /// Path-style addressing (`endpoint/bucket/key`), needed by MinIO and emulators; else virtual-host style.
    public var pathStyle: Bool
    /// nil: the provider uses `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` from the environment.
    public var credentials: Credentials?
    public var buckets: [S3BucketSpec]
    public var location: SourceLocation

    public init(
        layer: String? = nil, endpoint: String? = nil, region: String, pathStyle: Bool = false, credentials: Credentials? = nil,
        buckets: [S3BucketSpec], location: SourceLocation
    ) {
        self.layer = layer
        self.endpoint = endpoint
        self.region = region
        self.pathStyle = pathStyle
        self.credentials = credentials
        self.buckets = buckets
        self.location = location
    }
}

/// One bucket of `s3.buckets`. A setting left out (nil) is left as it is on the bucket; an empty list removes it.
public struct S3BucketSpec: Sendable, Hashable {
    /// One rule of `lifecycle:`: objects under `prefix` expire after `expireDays` days.
    public struct LifecycleRule: Sendable, Hashable {
        public var prefix: String
        public var expireDays: Int
        public var location: SourceLocation

        public init(prefix: String, expireDays: Int, location: SourceLocation) {
            self.prefix = prefix
            self.expireDays = expireDays
            self.location = location
        }
    }

    /// One rule of `cors:`.
    public struct CORSRule: Sendable, Hashable {
        public var origins: [String]
        public var methods: [String]
        public var headers: [String]
        public var exposeHeaders: [String]
        public var maxAgeSeconds: Int?
        public var location: SourceLocation

        public init(
            origins: [String], methods: [String], headers: [String] = [], exposeHeaders: [String] = [], maxAgeSeconds: Int? = nil,
            location: SourceLocation
        ) {
            self.origins = origins
            self.methods = methods
            self.headers = headers
            self.exposeHeaders = exposeHeaders
            self.maxAgeSeconds = maxAgeSeconds
            self.location = location
        }
    }

    /// The methods S3 accepts in a CORS rule.
    public static let corsMethods = ["GET", "PUT", "POST", "DELETE", "HEAD"]

    /// The bucket's name after interpolation, valid by S3's naming rules (checked at load).
    public var name: String
    public var versioning: Bool?
    public var lifecycle: [LifecycleRule]?
    public var cors: [CORSRule]?
    /// The bucket policy as JSON (from `policy: {file: …}` or an inline mapping), compared semantically.
    public var policy: JSONValue?
    /// Services that receive the credentials as Docker secrets (and whose credentials the gate check uses).
    public var consumers: [String]
    public var location: SourceLocation

    public init(
        name: String, versioning: Bool? = nil, lifecycle: [LifecycleRule]? = nil, cors: [CORSRule]? = nil, policy: JSONValue? = nil,
        consumers: [String] = [], location: SourceLocation
    ) {
        self.name = name
        self.versioning = versioning
        self.lifecycle = lifecycle
        self.cors = cors
        self.policy = policy
        self.consumers = consumers
        self.location = location
    }
}
