import Foundation
import SprocketCore
import SprocketTestSupport
import Synchronization
import Testing
@testable import S3

/// The bucket provisioner against a real S3 API (moto_server): create, converge, re-run without changes, tear down.
@Suite("S3 bucket provisioning (moto)")
struct S3BucketProvisionerTests {
    static let location = SourceLocation(file: "stack.yaml", line: 1, column: 1)

    static func policy(bucket: String, actions: JSONValue) -> JSONValue {
        .object([
            "Version": .string("2012-10-17"),
            "Statement": .array([
                .object([
                    "Sid": .string("PublicRead"), "Effect": .string("Allow"), "Principal": .string("*"), "Action": actions,
                    "Resource": .string("arn:aws:s3:::\(bucket)/*"),
                ])
            ]),
        ])
    }

    static func replays(_ name: String) -> S3BucketSpec {
        S3BucketSpec(
            name: name, versioning: true,
            lifecycle: [.init(prefix: "tmp/", expireDays: 7, location: location), .init(prefix: "logs/", expireDays: 30, location: location)],
            cors: [.init(origins: ["https://example.org"], methods: ["GET", "PUT"], headers: ["*"], maxAgeSeconds: 3600, location: location)],
            policy: policy(bucket: name, actions: .array([.string("s3:GetObject"), .string("s3:ListBucket")])),
            consumers: ["api"], location: location)
    }

    @Test("the fence is asked before each change and each teardown; once it refuses (a lost lease), no further request changes anything")
    func fencedPerChange() async throws {
        try await MotoServer.withServer { moto in
            let first = MotoFixtures.bucketName("fenced")
            let second = MotoFixtures.bucketName("fenced")
            let spec = MotoFixtures.spec(moto, buckets: [S3BucketSpec(name: first, location: Self.location), S3BucketSpec(name: second, location: Self.location)])
            let provisioner = S3BucketProvisioner(spec: spec, credentials: MotoFixtures.anyCredentials)
            let planned = try await provisioner.plan()
            let lost = SprocketError(.leaseLost, "this run lost its lock to pid 1 on other (test)")
            let asked = Mutex<[String]>([])
            let refusingSecond: LeaseFence = { operation in
                let count = asked.withLock { $0.append(operation); return $0.count }
                if count == 2 { throw lost }
            }
            let error = await #expect(throws: SprocketError.self) { try await provisioner.apply(planned, fence: refusingSecond) }
            #expect(error?.code == .leaseLost)
            #expect(asked.withLock { $0 } == ["s3: create bucket \(first)", "s3: create bucket \(second)"])
            #expect(provisioner.client.mutatingRequestCount == 1)
            let s3 = MotoFixtures.client(moto)
            #expect(try await s3.bucketExists(first))
            #expect(try await s3.bucketExists(second) == false)

            asked.withLock { $0 = [] }
            _ = try await provisioner.apply(try await provisioner.plan(), fence: { _ in })
            let before = provisioner.client.mutatingRequestCount
            await #expect(throws: SprocketError.self) { try await provisioner.teardown(destroyData: true, dryRun: false, fence: refusingSecond) }
            #expect(provisioner.client.mutatingRequestCount == before + 1, "only the first bucket was deleted")
            #expect(try await s3.bucketExists(first) == false)
            #expect(try await s3.bucketExists(second))
            _ = try await provisioner.teardown(destroyData: true, dryRun: false, fence: { _ in })
        }
    }

    @Test("buckets are created with versioning, policy, CORS and lifecycle; a re-run makes no mutating request")
    func createsThenConverges() async throws {
        try await MotoServer.withServer { moto in
            let first = MotoFixtures.bucketName("replays")
            let second = MotoFixtures.bucketName("plain")
            let spec = MotoFixtures.spec(moto, buckets: [Self.replays(first), S3BucketSpec(name: second, location: Self.location)])
            let provisioner = S3BucketProvisioner(spec: spec, credentials: MotoFixtures.anyCredentials)

            let planned = try await provisioner.plan()
            #expect(provisioner.client.mutatingRequestCount == 0, "plan must not mutate")
            #expect(planned.map(\.kind) == ["bucket", "bucket-versioning", "bucket-policy", "bucket-cors", "bucket-lifecycle", "bucket"])
            #expect(planned.allSatisfy { $0.action == .create })
            let report = try await provisioner.apply(planned, fence: { _ in })
            #expect(report.applied == planned)
            #expect(report.mutatingOperations == 6)

            let s3 = MotoFixtures.client(moto)
            #expect(try await s3.bucketExists(first))
            #expect(try await s3.bucketExists(second))
            #expect(try await s3.bucketVersioning(first) == .enabled)
            #expect(try await s3.bucketVersioning(second) == .unversioned)
            let stored = try #require(try await s3.bucketPolicy(first))
            #expect(S3PolicyComparison.equivalent(stored, Self.replays(first).policy ?? .null))
            #expect(Set(try await s3.bucketLifecycle(first).map(\.effect)) == ["expire `tmp/*` after 7 days", "expire `logs/*` after 30 days"])
            #expect(try await s3.bucketCORS(first).map(\.normalized) == [
                S3CORSRule(allowedOrigins: ["https://example.org"], allowedMethods: ["GET", "PUT"], allowedHeaders: ["*"], maxAgeSeconds: 3600),
            ])

            // The second run, with a fresh provisioner as a new process would have.
            let again = S3BucketProvisioner(spec: spec, credentials: MotoFixtures.anyCredentials)
            let replanned = try await again.plan()
            #expect(replanned.isEmpty, "\(replanned)")
            let noop = try await again.apply(replanned, fence: { _ in })
            #expect(noop.mutatingOperations == 0)
            #expect(again.client.mutatingRequestCount == 0)
        }
    }

    @Test("a changed rule is updated; a policy equal in meaning but written differently is not")
    func updatesOnlyRealDifferences() async throws {
        try await MotoServer.withServer { moto in
            let name = MotoFixtures.bucketName("upd")
            var bucket = Self.replays(name)
            let provisioner = S3BucketProvisioner(spec: MotoFixtures.spec(moto, buckets: [bucket]), credentials: MotoFixtures.anyCredentials)
            _ = try await provisioner.apply(try await provisioner.plan(), fence: { _ in })

            // Same meaning: actions reordered; a one-item list written as a plain value.
            bucket.policy = Self.policy(bucket: name, actions: .array([.string("s3:ListBucket"), .string("s3:GetObject")]))
            bucket.lifecycle = [.init(prefix: "logs/", expireDays: 30, location: Self.location), .init(prefix: "tmp/", expireDays: 3, location: Self.location)]
            bucket.cors = []
            bucket.versioning = false
            let changed = S3BucketProvisioner(spec: MotoFixtures.spec(moto, buckets: [bucket]), credentials: MotoFixtures.anyCredentials)
            let planned = try await changed.plan()
            #expect(planned.map(\.kind) == ["bucket-versioning", "bucket-cors", "bucket-lifecycle"], "\(planned)")
            #expect(planned.first { $0.kind == "bucket-cors" }?.action == .delete)
            #expect(planned.first { $0.kind == "bucket-versioning" }?.details == ["versioning enabled -> suspended"])
            _ = try await changed.apply(planned, fence: { _ in })
            #expect(try await changed.plan().isEmpty)

            let s3 = MotoFixtures.client(moto)
            #expect(try await s3.bucketCORS(name).isEmpty)
            #expect(try await s3.bucketVersioning(name) == .suspended)
            #expect(Set(try await s3.bucketLifecycle(name).map(\.expireDays)) == [30, 3])
        }
    }

    @Test("teardown keeps every bucket without destroyData, naming why; with it, empties (all versions) and deletes")
    func teardownKeepsData() async throws {
        try await MotoServer.withServer { moto in
            let full = MotoFixtures.bucketName("full")
            let empty = MotoFixtures.bucketName("empty")
            let spec = MotoFixtures.spec(moto, buckets: [Self.replays(full), S3BucketSpec(name: empty, location: Self.location)])
            let provisioner = S3BucketProvisioner(spec: spec, credentials: MotoFixtures.anyCredentials)
            _ = try await provisioner.apply(try await provisioner.plan(), fence: { _ in })
            let s3 = MotoFixtures.client(moto)
            try await s3.putObject(full, "replays/1.dem", body: Array("one".utf8))
            try await s3.putObject(full, "replays/1.dem", body: Array("one, again".utf8))

            let before = provisioner.client.mutatingRequestCount
            let kept = try await provisioner.teardown(destroyData: false, dryRun: false, fence: { _ in })
            #expect(kept.removed.isEmpty)
            #expect(kept.kept.count == 2)
            #expect(kept.kept.contains { $0.contains(full) && $0.contains("holds 1 objects") && $0.contains("--destroy-data") })
            #expect(kept.kept.contains { $0.contains(empty) && $0.contains("empty") })
            #expect(provisioner.client.mutatingRequestCount == before)
            #expect(try await s3.getObject(full, "replays/1.dem")?.body == Array("one, again".utf8))

            let dry = try await provisioner.teardown(destroyData: true, dryRun: true, fence: { _ in })
            #expect(dry.removed.map(\.name).sorted() == [full, empty].sorted())
            #expect(dry.removed.first { $0.name == full }?.destroysData == true)
            #expect(try await s3.bucketExists(full))

            let destroyed = try await provisioner.teardown(destroyData: true, dryRun: false, fence: { _ in })
            #expect(destroyed.removed.count == 2)
            #expect(try await !s3.bucketExists(full))
            #expect(try await !s3.bucketExists(empty))
        }
    }

    @Test("conditional writes: If-None-Match on create and If-Match on replace fail as preconditionFailed; listing pages")
    func conditionalWritesAndPaging() async throws {
        try await MotoServer.withServer { moto in
            let s3 = MotoFixtures.client(moto)
            let bucket = MotoFixtures.bucketName("cond")
            try await s3.createBucket(bucket)
            try await s3.createBucket(bucket)  // already ours: not an error
            let etag = try await s3.putObject(bucket, "lock", body: [1], condition: .ifAbsent)
            let refused = await #expect(throws: S3Error.self) { try await s3.putObject(bucket, "lock", body: [2], condition: .ifAbsent) }
            #expect(refused?.kind == .preconditionFailed)
            #expect(refused?.key == "lock" && refused?.bucket == bucket)
            let replaced = try await s3.putObject(bucket, "lock", body: [3], condition: .ifMatch(etag))
            #expect(replaced != etag)
            let stale = await #expect(throws: S3Error.self) { try await s3.putObject(bucket, "lock", body: [4], condition: .ifMatch(etag)) }
            #expect(stale?.kind == .preconditionFailed)
            #expect(try await s3.getObject(bucket, "lock") == S3Object(body: [3], etag: replaced))
            #expect(try await s3.headObject(bucket, "lock") == replaced)

            for index in 0..<5 { try await s3.putObject(bucket, "page/\(index) with space+plus", body: [UInt8(index)]) }
            let listed = try await s3.listObjects(bucket, prefix: "page/", pageSize: 2)
            #expect(listed.map(\.key) == (0..<5).map { "page/\($0) with space+plus" })
            try await s3.deleteObject(bucket, "page/0 with space+plus")
            #expect(try await s3.getObject(bucket, "page/0 with space+plus") == nil)
            #expect(try await s3.listBuckets().contains(bucket))

            let missing = await #expect(throws: S3Error.self) { try await s3.listObjects("it-no-such-\(uniqueSuffix())") }
            #expect(missing?.kind == .noSuchBucket)
            #expect(missing?.description.contains(moto.endpoint) == true)
        }
    }

    @Test("an invalid bucket name is refused by the endpoint as a typed error naming bucket and endpoint")
    func invalidBucketName() async throws {
        try await MotoServer.withServer { moto in
            let error = await #expect(throws: S3Error.self) { try await MotoFixtures.client(moto).createBucket("ab") }
            #expect(error?.kind == .invalidBucketName)
            #expect(error?.description.contains("s3://ab at \(moto.endpoint)") == true)
            #expect(error?.hint?.contains("3-63") == true)
        }
    }
}
