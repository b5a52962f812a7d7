import Foundation
import S3
import SprocketCore
import Vault

/// Where `vault snapshot` writes or reads a snapshot: a local file (mode 0600, refused inside a git work tree git
/// does not ignore), or an object in a bucket, `s3://bucket/key?endpoint=…&region=…&path_style=true` (the same URL
/// form as `--state`; credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, never from the URL). The bucket
/// is how an OpenBao's data is kept off its server, OpenBao having no `s3` storage (docs/openbao.md).
enum VaultSnapshotLocation: CustomStringConvertible {
    /// The error code of a snapshot location that cannot be used.
    static let errorCode = SprocketError.Code(rawValue: "vault-snapshot")

    case file(String)
    case object(S3StateLocation, key: String)

    init(_ text: String, environment: [String: String]) throws {
        guard S3StateLocation.isS3(text) else {
            self = .file(text)
            return
        }
        let location = try S3StateLocation(url: text, environment: environment)
        guard !location.prefix.isEmpty else {
            throw SprocketError(
                Self.errorCode, "\(text) names a bucket but no object key", subject: text,
                hint: "write s3://\(location.bucket)/vault/openbao.snap?endpoint=…")
        }
        self = .object(location, key: location.prefix)
    }

    var description: String {
        switch self {
        case .file(let path): path
        case .object(let location, let key): "s3://\(location.bucket)/\(key) at \(location.configuration.endpoint)"
        }
    }

    func write(_ snapshot: Data, environment: [String: String]) async throws {
        switch self {
        case .file(let path):
            try GitWorkTreeGuard().check(path)
            try AtomicFile.write(Array(snapshot), to: path, permissions: 0o600)
        case .object(let location, let key):
            try await Self.client(location, environment).putObject(location.bucket, key, body: Array(snapshot), contentType: "application/gzip")
        }
    }

    func read(environment: [String: String]) async throws -> Data {
        switch self {
        case .file(let path):
            guard let bytes = try AtomicFile.read(path) else { throw VaultCustodyError.missing(path: path) }
            return Data(bytes)
        case .object(let location, let key):
            guard let object = try await Self.client(location, environment).getObject(location.bucket, key) else {
                throw SprocketError(Self.errorCode, "no snapshot at \(self)", subject: description,
                                    hint: "check the bucket and key (`vault snapshot save` prints where it wrote)")
            }
            return Data(object.body)
        }
    }

    private static func client(_ location: S3StateLocation, _ environment: [String: String]) throws -> S3Client {
        S3Client(configuration: location.configuration, credentials: try S3Credentials.fromEnvironment(environment))
    }
}
