import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
@testable import S3

/// moto with authentication on: wrong credentials are clear errors, and the secret key never leaks.
@Suite("S3 credentials (moto with IAM authentication)")
struct S3CredentialTests {
    @Test("a wrong secret, an unknown key and a consumer's bad key are named errors that never show the secret")
    func wrongCredentials() async throws {
        try await MotoServer.withServer(authenticatedAfter: 3) { moto in
            let good = try await MotoFixtures.createUser(on: moto, name: "provisioner-\(uniqueSuffix())")
            let canary = "CANARY\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
            let recorder = RecordingLogHandler()
            let bucket = MotoFixtures.bucketName("auth")

            let wrongSecret = S3Credentials(accessKeyID: good.accessKeyID, secretAccessKey: canary)
            let signature = await #expect(throws: S3Error.self) {
                try await MotoFixtures.client(moto, credentials: wrongSecret, logger: recorder.logger).createBucket(bucket)
            }
            #expect(signature?.kind == .signatureDoesNotMatch)
            #expect(signature?.hint?.contains("secret key does not match") == true)

            let unknown = S3Credentials(accessKeyID: "AKIAUNKNOWN000000000", secretAccessKey: canary)
            let unknownError = await #expect(throws: S3Error.self) {
                try await MotoFixtures.client(moto, credentials: unknown, logger: recorder.logger).listBuckets()
            }
            #expect(unknownError?.kind == .invalidAccessKeyID)

            // The good key works: the provisioner creates the bucket; the consumer with a bad secret fails its check.
            let spec = MotoFixtures.spec(moto, buckets: [S3BucketSpec(name: bucket, consumers: ["api", "worker"], location: S3BucketProvisionerTests.location)])
            let provisioner = S3BucketProvisioner(
                spec: spec, credentials: good, consumerCredentials: ["worker": wrongSecret], logger: recorder.logger)
            _ = try await provisioner.apply(try await provisioner.plan(), fence: { _ in })
            let checks = await provisioner.check()
            #expect(checks.map(\.check) == ["s3 \(bucket) as api", "s3 \(bucket) as worker"])
            #expect(checks.map(\.passed) == [true, false])
            #expect(checks[1].seen.contains("SignatureDoesNotMatch"))

            let planError = await #expect(throws: SprocketError.self) {
                try await S3BucketProvisioner(spec: spec, credentials: wrongSecret, logger: recorder.logger).plan()
            }
            #expect(planError?.subject?.contains(moto.endpoint) == true)

            let texts = [signature.map { "\($0)" }, unknownError.map { "\($0)" }, planError.map { "\($0)" }].compactMap { $0 }
                + checks.map { "\($0)" } + recorder.recorded
                + ["\(wrongSecret)", String(reflecting: wrongSecret), "\(provisioner)", String(reflecting: provisioner)]
            #expect(!recorder.recorded.isEmpty, "the client logs its requests at trace level")
            for text in texts { #expect(!text.contains(canary), "secret leaked: \(text)") }
        }
    }
}
