import AsyncHTTPClient
import Foundation
import Logging
import SprocketCore
import SprocketTestSupport
import Synchronization
@testable import S3

/// Clients and IAM users on a private moto_server.
enum MotoFixtures {
    /// Any key pair works while moto does not authenticate.
    static let anyCredentials = S3Credentials(accessKeyID: "AKIAMOTOTEST00000000", secretAccessKey: "moto-accepts-anything")

    static func configuration(_ moto: MotoServer) -> S3ClientConfiguration {
        S3ClientConfiguration(endpoint: moto.endpoint, region: "us-east-1", pathStyle: true, requestTimeout: .seconds(20))
    }

    static func client(_ moto: MotoServer, credentials: S3Credentials = anyCredentials, logger: Logger = Logger(label: "test")) -> S3Client {
        S3Client(configuration: configuration(moto), credentials: credentials, logger: logger)
    }

    static func spec(_ moto: MotoServer, buckets: [S3BucketSpec]) -> S3Spec {
        S3Spec(
            layer: "data", endpoint: moto.endpoint, region: "us-east-1", pathStyle: true, buckets: buckets,
            location: SourceLocation(file: "stack.yaml", line: 1, column: 1))
    }

    static func bucketName(_ label: String) -> String { "it-\(label)-\(uniqueSuffix())" }

    /// Creates an IAM user allowed `s3:*` and returns its new key pair (moto's first unauthenticated requests).
    /// Three requests: start the server with `authenticatedAfter: 3` to have every later one checked.
    static func createUser(on moto: MotoServer, name: String) async throws -> S3Credentials {
        let iam = S3Client(configuration: configuration(moto), credentials: anyCredentials, service: "iam", http: .shared, logger: Logger(label: "iam"))
        func call(_ parameters: [(String, String)]) async throws -> S3XMLElement {
            let form = (parameters + [("Version", "2010-05-08")])
                .map { "\(SigV4Signer.encode($0.0, keepSlash: false))=\(SigV4Signer.encode($0.1, keepSlash: false))" }
                .joined(separator: "&")
            let response = try await iam.send(S3Client.Request(
                method: "POST", bucket: nil, key: nil, headers: [("content-type", "application/x-www-form-urlencoded")],
                body: Data(form.utf8)))
            return try iam.parse(response, what: "the IAM answer")
        }
        _ = try await call([("Action", "CreateUser"), ("UserName", name)])
        let key = try await call([("Action", "CreateAccessKey"), ("UserName", name)])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        _ = try await call([("Action", "PutUserPolicy"), ("UserName", name), ("PolicyName", "all-s3"), ("PolicyDocument", policy)])
        guard let created = key.child("CreateAccessKeyResult")?.child("AccessKey"), let id = created.value("AccessKeyId"),
            let secret = created.value("SecretAccessKey")
        else { throw MotoServerError("moto's CreateAccessKey answer has no key pair") }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret)
    }
}

/// Keeps every log line (message and metadata) a logger emits, to check that no secret reaches a log.
final class RecordingLogHandler: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        lines.withLock { $0.append("\(event.message) \(event.metadata ?? [:])") }
    }

    var recorded: [String] { lines.withLock { $0 } }

    var logger: Logger { Logger(label: "recorded") { _ in self } }
}
