import Foundation
import Synchronization
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
    @Test("past its deadline with S3 failing the first renewals (a connection closed while the process was stopped): the fence tries again and goes on")
    func transientRenewalFailure() async throws {
        let lock = FlakyLockObject()
        try await StubHTTPServer.withServer(on: .tcp(), handler: lock.respond) { server in
            let store = try Self.store(server, identity: StackIdentity(stack: "fence-flaky", environment: "prod"))
            let lease = try #require(try await store.acquireLock(command: "up", now: Date()) as? S3StateLease)
            await lease.stopHeartbeat()
            try await Task.sleep(for: .seconds(2.2))  // past lease - heartbeat = 2 s
            lock.failNextWrites(2)
            try await lease.check(before: "create service a")
            #expect(lock.writes == 4, "acquire, two failed renewals, one that succeeded: \(lock.writes)")
            await lease.release()
        }
    }

    @Test("a renewal answered only after its own deadline passed (sent before the process stopped): the fence renews once more and goes on")
    func lateRenewal() async throws {
        let lock = FlakyLockObject()
        try await StubHTTPServer.withServer(on: .tcp(), handler: lock.respond) { server in
            let store = try Self.store(server, identity: StackIdentity(stack: "fence-late", environment: "prod"))
            let lease = try #require(try await store.acquireLock(command: "up", now: Date()) as? S3StateLease)
            await lease.stopHeartbeat()
            try await Task.sleep(for: .seconds(2.2))
            lock.delayNextWrite(by: .seconds(2.5))  // longer than lease - heartbeat
            try await lease.check(before: "create service a")
            #expect(lock.writes == 3, "acquire, the late renewal, one more: \(lock.writes)")
            await lease.release()
        }
    }

    @Test("past its deadline with S3 failing every renewal: the run stops with lease-lost, saying S3 did not answer (not that another run took over), with the cause")
    func renewalNeverSucceeds() async throws {
        let lock = FlakyLockObject()
        try await StubHTTPServer.withServer(on: .tcp(), handler: lock.respond) { server in
            let store = try Self.store(server, identity: StackIdentity(stack: "fence-down", environment: "prod"))
            let lease = try #require(try await store.acquireLock(command: "up", now: Date()) as? S3StateLease)
            await lease.stopHeartbeat()
            try await Task.sleep(for: .seconds(2.2))
            lock.failNextWrites(100)
            let error = await #expect(throws: SprocketError.self) { try await lease.check(before: "create service web") }
            #expect(error?.code == .leaseLost)
            #expect(error?.message.contains("could not be renewed") == true && error?.message.contains("took it over") == false, "\(String(describing: error))")
            #expect(error?.message.contains("stopped before create service web") == true)
            #expect(error?.cause != nil, "carries S3's error as its cause")
            #expect(lock.writes == 1 + S3StateLease.renewalAttempts, "each attempt sent one conditional write: \(lock.writes)")
        }
    }

    static func store(_ server: StubHTTPServer, identity: StackIdentity) throws -> S3StateStore {
        let endpoint = try #require(server.baseURL)
        let location = try S3StateLocation(url: "s3://lock-bucket/sprocket/state?endpoint=\(endpoint)&region=us-east-1&path_style=true")
        return S3StateStore(location: location, identity: identity, credentials: MotoFixtures.anyCredentials, timing: timing)
    }
}

/// One S3 object answering PUT (with `If-None-Match`/`If-Match`), GET and DELETE, whose next writes can be made to
/// fail with a 503, as S3 does when it is briefly unavailable.
final class FlakyLockObject: Sendable {
    private struct Object {
        var body: [UInt8]?
        var version = 0
        var failures = 0
        var writes = 0
        var delay = Duration.zero
    }

    private let object = Mutex(Object())

    var writes: Int { object.withLock(\.writes) }

    func failNextWrites(_ count: Int) { object.withLock { $0.failures = count } }

    func delayNextWrite(by delay: Duration) { object.withLock { $0.delay = delay } }

    func respond(_ request: StubHTTPServer.Request) -> StubHTTPServer.Response {
        object.withLock { object in
            let etag = "\"v\(object.version)\""
            switch request.method {
            case "PUT":
                object.writes += 1
                if object.failures > 0 {
                    object.failures -= 1
                    return Self.error(503, "SlowDown", "Please reduce your request rate.")
                }
                if request.header("if-none-match") == "*", object.body != nil { return Self.error(412, "PreconditionFailed", "exists") }
                if let expected = request.header("if-match"), expected != etag || object.body == nil {
                    return Self.error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
                }
                object.body = request.body
                object.version += 1
                defer { object.delay = .zero }
                return StubHTTPServer.Response(status: 200, headers: [.init(name: "ETag", value: "\"v\(object.version)\"")]).delayed(by: object.delay)
            case "GET":
                guard let body = object.body else { return Self.error(404, "NoSuchKey", "The specified key does not exist.") }
                return StubHTTPServer.Response(status: 200, headers: [.init(name: "ETag", value: etag)], parts: [body])
            case "DELETE":
                object.body = nil
                return StubHTTPServer.Response(status: 204)
            default:
                return Self.error(405, "MethodNotAllowed", "not here")
            }
        }
    }

    private static func error(_ status: Int, _ code: String, _ message: String) -> StubHTTPServer.Response {
        .text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message></Error>", status: status)
    }
}
