import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
@testable import S3

/// The fence of an S3 lease: a run acts only while its lease holds by its own continuous clock, renews before
/// acting when it does not, and stops, naming the new holder, when another run took the lock over meanwhile.
@Suite("S3 state lease fence (moto)")
struct S3StateLeaseFenceTests {
    static let timing = S3StateLease.Timing(leaseDuration: .seconds(3), heartbeatInterval: .seconds(1))

    @Test("within its deadline the check sends nothing; past it (heartbeat stopped, as a paused process) it renews and goes on when nobody took over")
    func renewsWhenNobodyTookOver() async throws {
        try await S3StateStoreTests.withStateBucket { moto, bucket in
            let identity = StackIdentity(stack: "fence-\(uniqueSuffix())", environment: "prod")
            let store = try S3StateStoreTests.store(moto, bucket: bucket, identity: identity, timing: Self.timing)
            let lease = try #require(try await store.acquireLock(command: "up", now: Date()) as? S3StateLease)
            let before = store.client.mutatingRequestCount
            try await lease.check(before: "create service a")
            #expect(store.client.mutatingRequestCount == before, "a check within the deadline is local")

            await lease.stopHeartbeat()
            try await Task.sleep(for: .seconds(3))  // past lease - heartbeat = 2 s
            try await lease.check(before: "create service b")
            #expect(store.client.mutatingRequestCount == before + 1, "one conditional renewal of the lock object")
            try await lease.check(before: "create service c")
            #expect(store.client.mutatingRequestCount == before + 1, "renewed: local again")
            await lease.release()
        }
    }

    @Test("taken over while it was paused: the check throws lease-lost naming the new holder, and the late release leaves the new lock")
    func lostToAnotherRun() async throws {
        try await S3StateStoreTests.withStateBucket { moto, bucket in
            let identity = StackIdentity(stack: "fence-\(uniqueSuffix())", environment: "prod")
            let first = try S3StateStoreTests.store(moto, bucket: bucket, identity: identity, timing: Self.timing)
            let second = try S3StateStoreTests.store(moto, bucket: bucket, identity: identity, timing: Self.timing)
            let lease = try #require(try await first.acquireLock(command: "up (paused)", now: Date()) as? S3StateLease)
            await lease.stopHeartbeat()
            var taken: (any StateLease)?
            let deadline = Date().addingTimeInterval(20)
            while taken == nil, Date() < deadline {
                do {
                    taken = try await second.acquireLock(command: "up (second operator)", now: Date())
                } catch let error as SprocketError where error.code == .locked {
                    try await Task.sleep(for: .milliseconds(250))
                }
            }
            let takeover = try #require(taken)

            let before = first.client.mutatingRequestCount
            let error = await #expect(throws: SprocketError.self) { try await lease.check(before: "create service web") }
            #expect(error?.code == .leaseLost)
            #expect(error?.message.contains("stopped before create service web") == true, "\(String(describing: error))")
            #expect(error?.message.contains("running `up (second operator)`") == true, "names the holder: \(String(describing: error))")
            #expect(error?.hint?.contains("nothing was rolled back") == true)
            #expect(first.client.mutatingRequestCount <= before + 1, "at most the refused conditional renewal")
            // Lost for good: a second check does not try again.
            let again = await #expect(throws: SprocketError.self) { try await lease.check(before: "saving the state") }
            #expect(again?.code == .leaseLost)

            await lease.release()
            #expect(try await MotoFixtures.client(moto).headObject(bucket, second.lockKey) != nil, "the new holder's lock stays")
            await takeover.release()
        }
    }
}
