import S3

/// A fresh bucket on a throwaway moto server, for tests of state on S3: a client, the credentials moto accepts,
/// and the `--state` URL and `AWS_*` environment a `sprocketctl` process needs.
public struct MotoStateBucket {
    public let moto: MotoServer
    public let bucket: String
    public let client: S3Client
    /// Credentials moto accepts (it checks none unless told to).
    public var credentials: S3Credentials { Self.credentials }
    static let credentials = S3Credentials(accessKeyID: "AKIAMOTOTEST00000000", secretAccessKey: "moto-accepts-anything")

    /// `s3://bucket/<prefix>?endpoint=…&region=us-east-1&path_style=true` plus `extra` query items (`&lease_seconds=6`).
    public func stateURL(prefix: String = "st", extra: String = "") -> String {
        "s3://\(bucket)/\(prefix)?endpoint=\(moto.endpoint)&region=us-east-1&path_style=true\(extra)"
    }

    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` for the CLI.
    public var awsEnvironment: [String: String] {
        ["AWS_ACCESS_KEY_ID": credentials.accessKeyID, "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey]
    }

    /// Starts moto, creates a bucket named `<prefix>-<unique>`, runs `body`, and stops moto whether it succeeds or throws.
    public static func with<T>(prefix: String, _ body: (MotoStateBucket) async throws -> T) async throws -> T {
        try await MotoServer.withServer { moto in
            let client = S3Client(
                configuration: S3ClientConfiguration(endpoint: moto.endpoint, region: "us-east-1", pathStyle: true), credentials: Self.credentials)
            let state = MotoStateBucket(moto: moto, bucket: "\(prefix)-\(uniqueSuffix())", client: client)
            try await client.createBucket(state.bucket)
            return try await body(state)
        }
    }
}
