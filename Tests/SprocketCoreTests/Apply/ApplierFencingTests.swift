import Foundation
import SprocketCore
import SprocketTestSupport
import Synchronization
import Testing

/// A lease that holds for its first `checks` checks, then is lost (another run took it over).
final class ExpiringLease: StateLease {
    let previousHolder: String? = nil
    private let remaining: Mutex<Int>
    private let checked = Mutex<[String]>([])

    init(holdsFor checks: Int) { remaining = Mutex(checks) }

    var operations: [String] { checked.withLock { $0 } }

    func check(before operation: String) async throws {
        checked.withLock { $0.append(operation) }
        let held = remaining.withLock { count -> Bool in
            defer { count -= 1 }
            return count > 0
        }
        guard held else { throw SprocketError(.leaseLost, "lost before \(operation)", hint: "nothing was rolled back") }
    }

    func release() async {}
}

@Suite("Applier under a lease: fenced calls, no rollback after a lost lease, no rollback of someone else's object")
struct ApplierFencingTests {
    static let twoLayers = StackFixture.stack([
        StackFixture.layer("edge", services: [StackFixture.service("proxy")]),
        StackFixture.layer("app", needs: ["edge"], services: [StackFixture.service("api"), StackFixture.service("worker")]),
    ])

    static func apply(_ stack: StackSpec, on driver: any ClusterDriver, plannedFrom cluster: RecordingClusterDriver, lease: ExpiringLease?) async throws {
        let desired = StackFixture.desired(stack)
        let observed = try await cluster.observe(desired.identity)
        let plan = Planner().plan(desired: desired, observed: observed)
        var applier = Applier(driver: driver, pollInterval: .milliseconds(5), rollsBackOnFailure: true, events: { _ in })
        applier.lease = lease
        try await applier.apply(plan, desired: desired, observed: observed)
    }

    @Test("a run whose lease is lost after the first layer stops before its next mutating call and rolls nothing back")
    func stopsWithoutRollback() async throws {
        let cluster = RecordingClusterDriver()
        let lease = ExpiringLease(holdsFor: 1)
        let fenced = FencedClusterDriver(base: cluster, lease: lease)
        let error = await #expect(throws: SprocketError.self) {
            try await Self.apply(Self.twoLayers, on: fenced, plannedFrom: cluster, lease: lease)
        }
        #expect(error?.code == .leaseLost, "\(String(describing: error))")
        #expect(cluster.mutatingCalls == ["createService it-dev_proxy"], "nothing after the lost check, no removal: \(cluster.mutatingCalls)")
        #expect(lease.operations.first == "create service it-dev_proxy")
    }

    @Test("a create refused because another run made the service meanwhile is not rolled back; this run's own create is")
    func conflictIsNotOurs() async throws {
        let cluster = RecordingClusterDriver()
        let stack = StackFixture.stack([StackFixture.layer("app", services: [StackFixture.service("api"), StackFixture.service("worker")])])
        let desired = StackFixture.desired(stack)
        let observed = try await cluster.observe(desired.identity)
        let plan = Planner().plan(desired: desired, observed: observed)
        // Between this run's plan and its create, another run creates `worker` (with the stack's labels).
        let theirs = try #require(desired.layers.first?.services.first { $0.name == "worker" })
        cluster.seedService(
            dockerName: theirs.dockerName, definition: theirs.definition,
            labels: [OwnershipLabel.stack: "it", OwnershipLabel.environment: "dev", OwnershipLabel.layer: "app", OwnershipLabel.name: "worker"])
        let error = await #expect(throws: SprocketError.self) {
            try await Applier(driver: cluster, pollInterval: .milliseconds(5), rollsBackOnFailure: true, events: { _ in })
                .apply(plan, desired: desired, observed: observed)
        }
        #expect(error?.code == .rolledBack, "\(String(describing: error))")
        #expect(cluster.service(named: "it-dev_worker") != nil, "the other run's service stays")
        #expect(cluster.service(named: "it-dev_api") == nil, "this run's own create is undone")
        #expect(!cluster.mutatingCalls.contains("removeService it-dev_worker"), "\(cluster.mutatingCalls)")
    }
}
