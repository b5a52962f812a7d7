import SprocketCore

/// A failed S3 request: what S3 said (its XML `<Code>` and `<Message>`), on which bucket and key, at which endpoint.
///
/// Never carries a credential: S3's error bodies name at most the access key ID, and the signer's secret is not
/// part of any message built here.
public struct S3Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failures callers act on; anything else is ``other``.
    public enum Kind: Sendable, Hashable {
        /// 412: an `If-Match` or `If-None-Match` condition did not hold.
        case preconditionFailed
        case noSuchBucket
        case noSuchKey
        /// The bucket has no policy, CORS or lifecycle configuration (S3 answers 404 with its own code).
        case noSuchConfiguration
        case bucketAlreadyOwnedByYou
        case bucketAlreadyExists
        case bucketNotEmpty
        case accessDenied
        case invalidBucketName
        case signatureDoesNotMatch
        case invalidAccessKeyID
        case missingCredentials
        case invalidConfiguration
        /// The endpoint could not be reached or did not answer in time.
        case transport
        case other
    }

    public var kind: Kind
    /// S3's error code (`NoSuchBucket`), or a code of ours for transport problems.
    public var code: String
    public var message: String
    public var status: Int?
    public var method: String?
    public var bucket: String?
    public var key: String?
    public var endpoint: String?

    public init(
        kind: Kind, code: String, message: String, status: Int? = nil, method: String? = nil, bucket: String? = nil,
        key: String? = nil, endpoint: String? = nil
    ) {
        self.kind = kind
        self.code = code
        self.message = message
        self.status = status
        self.method = method
        self.bucket = bucket
        self.key = key
        self.endpoint = endpoint
    }

    /// The kind of an S3 error code (and the status, for bodiless answers such as HEAD's).
    static func kind(code: String, status: Int) -> Kind {
        switch code {
        case "PreconditionFailed": .preconditionFailed
        case "NoSuchBucket": .noSuchBucket
        case "NoSuchKey": .noSuchKey
        case "NoSuchBucketPolicy", "NoSuchCORSConfiguration", "NoSuchLifecycleConfiguration": .noSuchConfiguration
        case "BucketAlreadyOwnedByYou": .bucketAlreadyOwnedByYou
        case "BucketAlreadyExists": .bucketAlreadyExists
        case "BucketNotEmpty": .bucketNotEmpty
        case "AccessDenied", "AllAccessDisabled": .accessDenied
        case "InvalidBucketName": .invalidBucketName
        case "SignatureDoesNotMatch": .signatureDoesNotMatch
        case "InvalidAccessKeyId": .invalidAccessKeyID
        default:
            switch status {
            case 412: .preconditionFailed
            case 403: .accessDenied
            default: .other
            }
        }
    }

    /// Where it happened: `s3://bucket/key at https://endpoint`.
    public var subject: String {
        var target = bucket.map { "s3://\($0)" + (key.map { "/\($0)" } ?? "") } ?? "S3"
        if let endpoint { target += " at \(endpoint)" }
        return target
    }

    /// What to do about it.
    public var hint: String? {
        switch kind {
        case .preconditionFailed: "the object changed (or appeared) since it was read; read it again"
        case .noSuchBucket: "create the bucket (declare it under `s3.buckets`), or check the name, endpoint and region"
        case .accessDenied: "the credentials may not do this; check the key's permissions and the bucket policy"
        case .invalidBucketName: "bucket names are 3-63 lowercase letters, digits, dots and hyphens"
        case .signatureDoesNotMatch: "the secret key does not match the access key ID; check the credentials (and the region)"
        case .invalidAccessKeyID: "the access key ID is unknown to this endpoint; check the credentials and the endpoint"
        case .missingCredentials: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name the stack secrets in `s3.credentials`"
        case .transport: "check that the endpoint is reachable from here (URL, port, DNS, firewall)"
        case .bucketAlreadyExists: "bucket names are global on AWS and Spaces; pick another name"
        case .bucketNotEmpty: "empty the bucket first (`down --destroy-data` does)"
        default: nil
        }
    }

    public var description: String {
        let what = [method, status.map { "-> \($0)" }].compactMap { $0 }.joined(separator: " ")
        var text = "\(subject): \(code): \(message)" + (what.isEmpty ? "" : " (\(what))")
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }

    /// The project's user-facing error for this failure.
    public var sprocketError: SprocketError {
        let code = SprocketError.Code(rawValue: kind == .transport ? "s3-unreachable" : "s3")
        return SprocketError(code, "\(self.code): \(message)", subject: subject, hint: hint)
    }
}

extension S3Error {
    /// Runs `body`, turning an ``S3Error`` into the project's ``SprocketError`` for callers outside this module.
    static func translating<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as S3Error {
            throw error.sprocketError
        }
    }
}
