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

    /// A gate that, while it runs, lets "another operator" change `service`, then fails the layer.
    struct InterferingGate: LayerGate {
        let driver: RecordingClusterDriver
        let service: String
        let identity: StackIdentity

        func evaluate(layer: DesiredLayer, events: ApplyEventHandler) async throws -> [GateCheckResult] {
            var labels = OwnershipLabel.labels(for: identity, layer: layer.name, name: String(service.split(separator: "_").last ?? ""))
            labels[OwnershipLabel.specHash] = "changed-by-someone-else"
            driver.seedService(dockerName: service, definition: ServiceDefinition(image: "someone/else:9"), labels: labels)
            return [GateCheckResult(layer: layer.name, check: "smoke", passed: false, expected: "ok", seen: "failed")]
        }
    }

    @Test("an update this run made and someone else changed since is left alone by the rollback, which says so; the rest is undone")
    func updateChangedSinceIsNotReverted() async throws {
        let cluster = RecordingClusterDriver()
        let v1 = StackFixture.stack([StackFixture.layer("app", services: [StackFixture.service("api"), StackFixture.service("worker")])])
        try await deploy(v1, on: cluster)
        let v2 = StackFixture.stack([StackFixture.layer("app", services: [
            StackFixture.service("api", image: "img:2"), StackFixture.service("worker", image: "img:2"),
        ])])
        let desired = StackFixture.desired(v2)
        let observed = try await cluster.observe(desired.identity)
        let plan = Planner().plan(desired: desired, observed: observed)
        let events = EventLog()
        let gate = InterferingGate(driver: cluster, service: "it-dev_api", identity: desired.identity)
        let error = await #expect(throws: SprocketError.self) {
            try await Applier(driver: cluster, pollInterval: .milliseconds(5), gate: gate, rollsBackOnFailure: true, events: events.handler)
                .apply(plan, desired: desired, observed: observed)
        }
        #expect(error?.code == .rolledBack, "\(String(describing: error))")
        #expect(cluster.service(named: "it-dev_api")?.definition.image == "someone/else:9", "the other operator's change stands")
        #expect(cluster.service(named: "it-dev_worker")?.definition.image == "img:1", "this run's own update is undone")
        #expect(events.warnings.contains { $0.contains("service api") && $0.contains("not this run's to undo") }, "\(events.warnings)")
    }
}
