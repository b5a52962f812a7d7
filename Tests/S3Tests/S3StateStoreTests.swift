import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
@testable import S3

/// State on S3 (moto): history like the local store, writes only on change, the leased lock, migration.
@Suite("S3 state store (moto)")
struct S3StateStoreTests {
    // Short enough for a test, long enough that a heartbeat delayed by a loaded machine does not lose the lease.
    static let fastLease = S3StateLease.Timing(leaseDuration: .seconds(6), heartbeatInterval: .seconds(1))

    static func location(_ moto: MotoServer, bucket: String) throws -> S3StateLocation {
        try S3StateLocation(url: "s3://\(bucket)/sprocket/state?endpoint=\(moto.endpoint)&region=us-east-1&path_style=true")
    }

    static func store(_ moto: MotoServer, bucket: String, identity: StackIdentity, timing: S3StateLease.Timing = fastLease) throws -> S3StateStore {
        S3StateStore(location: try location(moto, bucket: bucket), identity: identity, credentials: MotoFixtures.anyCredentials, timing: timing)
    }

    static func run(_ id: String, outcome: RunRecord.Outcome = .succeeded, command: String = "up") -> RunRecord {
        RunRecord(
            id: id, command: command, startedAt: Date(timeIntervalSince1970: 1_800_000_000), outcome: outcome, changes: [],
            snapshot: SpecSnapshot(DesiredState(identity: StackIdentity(stack: "s", environment: "e"), layers: [])))
    }

    static func withStateBucket<T>(_ body: (MotoServer, String) async throws -> T) async throws -> T {
        try await MotoServer.withServer { moto in
            let bucket = MotoFixtures.bucketName("state")
            try await MotoFixtures.client(moto).createBucket(bucket)
            return try await body(moto, bucket)
        }
    }

    @Test("state and runs round-trip under prefix/stack/env, and unchanged content is not written again")
    func historyAndSnapshots() async throws {
        try await Self.withStateBucket { moto, bucket in
            let identity = StackIdentity(stack: "shop-\(uniqueSuffix())", environment: "staging")
            let store = try Self.store(moto, bucket: bucket, identity: identity)
            #expect(try await store.load() == StackState(identity: identity))
            var state = try await store.load()
            state.lastRunID = "20260101T000000.000Z-00000001"
            try await store.record(Self.run("20260101T000000.000Z-00000001"))
            try await store.record(Self.run("20260102T000000.000Z-00000002", outcome: .running))
            try await store.save(state)

            let keys = try await MotoFixtures.client(moto).listObjects(bucket).map(\.key)
            #expect(Set(keys) == [
                "sprocket/state/\(identity.stack)/staging/state.json",
                "sprocket/state/\(identity.stack)/staging/runs/20260101T000000.000Z-00000001.json",
                "sprocket/state/\(identity.stack)/staging/runs/20260102T000000.000Z-00000002.json",
            ])

            let reader = try Self.store(moto, bucket: bucket, identity: identity)
            #expect(try await reader.load() == state)
            #expect(try await reader.runs().map(\.id) == ["20260101T000000.000Z-00000001", "20260102T000000.000Z-00000002"])
            let marked = try await reader.markInterruptedRuns(now: Date())
            #expect(marked.map(\.id) == ["20260102T000000.000Z-00000002"])
            #expect(try await reader.runs().map(\.outcome) == [.succeeded, .interrupted])

            let before = reader.client.mutatingRequestCount
            try await reader.save(try await reader.load())
            _ = try await reader.markInterruptedRuns(now: Date())
            for run in try await reader.runs() { try await reader.record(run) }
            #expect(reader.client.mutatingRequestCount == before, "nothing changed, so nothing is written")
        }
    }

    @Test("a second holder is refused naming the owner; it takes over only after the holder stops heartbeating and the lease expires")
    func leasedLock() async throws {
        try await Self.withStateBucket { moto, bucket in
            let identity = StackIdentity(stack: "lock-\(uniqueSuffix())", environment: "prod")
            let first = try Self.store(moto, bucket: bucket, identity: identity)
            let second = try Self.store(moto, bucket: bucket, identity: identity)

            let holder = try await first.acquireLock(command: "up --env prod", now: Date())
            #expect(holder.previousHolder == nil)
            try await first.record(Self.run("20260101T000000.000Z-0000000a", outcome: .running, command: "up --env prod"))

            let refused = await #expect(throws: SprocketError.self) { try await second.acquireLock(command: "down", now: Date()) }
            #expect(refused?.code == .locked)
            #expect(refused?.message.contains("pid \(getpid()) on \(ProcessInfo.processInfo.hostName), running `up --env prod`") == true)

            // Heartbeats keep the lease alive well past its 6 s duration.
            try await Task.sleep(for: .seconds(8))
            let stillRefused = await #expect(throws: SprocketError.self) { try await second.acquireLock(command: "down", now: Date()) }
            #expect(stillRefused?.code == .locked)

            // The holder "dies": no more heartbeats, no release.
            let lease = try #require(holder as? S3StateLease)
            await lease.stopHeartbeat()
            let stopped = Date()
            // The last renewal set the expiry; on a loaded machine it may lie less than a lease after `stopped`.
            let expiry = lease.recordedExpiry
            var taken: (any StateLease)?
            while taken == nil, Date().timeIntervalSince(stopped) < 30 {
                do {
                    taken = try await second.acquireLock(command: "down", now: Date())
                } catch let error as SprocketError where error.code == .locked {
                    try await Task.sleep(for: .milliseconds(250))
                }
            }
            let takeover = try #require(taken)
            let takenAt = Date()
            #expect(takenAt >= expiry, "taken over at \(takenAt), before the lease expired at \(expiry)")
            #expect(takenAt.timeIntervalSince(stopped) < 30)
            #expect(takeover.previousHolder?.contains("running `up --env prod`") == true)

            // The old holder's late release does not remove the new holder's lock. (Read the object itself: asking
            // for the lock would depend on the new holder's heartbeat keeping up on a loaded machine.)
            await lease.release()
            let third = try Self.store(moto, bucket: bucket, identity: identity)
            let lockObject = try #require(try await MotoFixtures.client(moto).getObject(bucket, third.lockKey), "the new holder's lock was removed")
            let record = try JSONSerialization.jsonObject(with: Data(lockObject.body)) as? [String: Any]
            #expect(record?["command"] as? String == "down", "\(String(describing: record))")

            // The history written by the dead holder survives and is marked interrupted by the new one.
            #expect(try await second.markInterruptedRuns(now: Date()).map(\.id) == ["20260101T000000.000Z-0000000a"])
            await takeover.release()
            let free = try await third.acquireLock(command: "plan", now: Date())
            #expect(free.previousHolder == nil, "a released lock is free at once, no takeover")
            await free.release()
            #expect(try await MotoFixtures.client(moto).headObject(bucket, third.lockKey) == nil)
        }
    }

    @Test("state migrate: local -> S3 -> local keeps state, every run and the sealed store (ciphertext); never the lock")
    func migrationRoundTrip() async throws {
        try await Self.withStateBucket { moto, bucket in
            let folder = try TemporaryDirectory(prefix: "s3-migrate")
            defer { folder.remove() }
            let identity = StackIdentity(stack: "mig-\(uniqueSuffix())", environment: "default")
            let local = LocalStateStore(directory: "\(folder.path)/a", identity: identity)
            var state = StackState(identity: identity)
            state.lastRunID = "20260103T000000.000Z-00000003"
            state.lastSuccessfulRunID = "20260102T000000.000Z-00000002"
            state.secretFingerprints = ["db-password": "abc123"]
            try local.save(state)
            for (id, outcome) in [("20260101T000000.000Z-00000001", RunRecord.Outcome.succeeded), ("20260102T000000.000Z-00000002", .succeeded),
                                  ("20260103T000000.000Z-00000003", .failed)] {
                try local.record(Self.run(id, outcome: outcome))
            }
            try AtomicFile.write(Array("sealed-ciphertext".utf8), to: local.sealedSecretsPath, permissions: 0o600)

            let remote = try Self.store(moto, bucket: bucket, identity: identity)
            #expect(try await StateMigration.migrate(from: local, to: remote, command: "state migrate", now: Date()) == 3)
            let back = LocalStateStore(directory: "\(folder.path)/b", identity: identity)
            #expect(try await StateMigration.migrate(from: remote, to: back, command: "state migrate", now: Date()) == 3)

            #expect(try back.load() == local.load(), "the same state, its revision included")
            #expect(try back.runs() == local.runs())
            #expect(try await remote.runs() == local.runs())
            #expect(try AtomicFile.read(back.sealedSecretsPath) == Array("sealed-ciphertext".utf8), "the sealed store travels with the state")
            let keys = try await MotoFixtures.client(moto).listObjects(bucket).map(\.key)
            #expect(keys.contains { $0.hasSuffix("/secrets.sealed") } && !keys.contains { $0.hasSuffix("lock.json") }, "\(keys)")

            let same = await #expect(throws: SprocketError.self) {
                try await StateMigration.migrate(from: remote, to: remote, command: "state migrate", now: Date())
            }
            #expect(same?.message.contains("already") == true)
        }
    }

    @Test("the shared sealed store: created once, replaced only over the version read; a stale writer gets a conflict")
    func sharedSealedStore() async throws {
        try await Self.withStateBucket { moto, bucket in
            let identity = StackIdentity(stack: "sealed-\(uniqueSuffix())", environment: "default")
            let machineA = try Self.store(moto, bucket: bucket, identity: identity)
            let machineB = try Self.store(moto, bucket: bucket, identity: identity)
            #expect(try await machineA.sealedSecrets() == nil)
            let first = try await machineA.saveSealedSecrets(Array("v1".utf8), replacing: nil)
            let read = try #require(try await machineB.sealedSecrets())
            #expect(read.body == Array("v1".utf8) && read.etag == first)
            let second = try await machineB.saveSealedSecrets(Array("v2".utf8), replacing: read.etag)
            let stale = await #expect(throws: SprocketError.self) { try await machineA.saveSealedSecrets(Array("v3".utf8), replacing: first) }
            #expect(stale?.code == .conflict && stale?.message.contains("another machine changed") == true, "\(String(describing: stale))")
            let absentAgain = await #expect(throws: SprocketError.self) { try await machineA.saveSealedSecrets(Array("v4".utf8), replacing: nil) }
            #expect(absentAgain?.code == .conflict)
            #expect(try await machineA.sealedSecrets()?.body == Array("v2".utf8) && second != first)
        }
    }

    @Test("state URLs", arguments: [
        ("s3://bucket-a/pre/fix?endpoint=http://127.0.0.1:9000&region=fra1&path_style=true", "bucket-a", "pre/fix", "http://127.0.0.1:9000", "fra1", true),
        ("s3://bucket-b", "bucket-b", "", "https://s3.us-east-1.amazonaws.com", "us-east-1", false),
        ("s3://bucket-c/x/?region=eu-west-1", "bucket-c", "x", "https://s3.eu-west-1.amazonaws.com", "eu-west-1", false),
    ])
    func parsesStateURL(url: String, bucket: String, prefix: String, endpoint: String, region: String, pathStyle: Bool) throws {
        let location = try S3StateLocation(url: url)
        #expect(location.bucket == bucket && location.prefix == prefix)
        #expect(location.configuration == S3ClientConfiguration(endpoint: endpoint, region: region, pathStyle: pathStyle))
        #expect(location.timing == S3StateLease.Timing())
    }

    @Test func leaseSecondsSetsLeaseAndHeartbeat() throws {
        let location = try S3StateLocation(url: "s3://bucket/x?lease_seconds=8")
        #expect(location.timing == S3StateLease.Timing(leaseDuration: .seconds(8), heartbeatInterval: .seconds(2)))
    }

    @Test("bad state URLs are errors naming the URL", arguments: [
        "s3://", "s3://Bad_Bucket/x", "s3://bucket/x?endpoint=ftp://h", "s3://bucket/x?token=abc", "s3://bucket/x?path_style=maybe",
        "s3://bucket/x?lease_seconds=1",
    ])
    func rejectsBadStateURL(url: String) {
        let error = #expect(throws: SprocketError.self) { try S3StateLocation(url: url) }
        #expect(error?.subject == url)
    }
}
