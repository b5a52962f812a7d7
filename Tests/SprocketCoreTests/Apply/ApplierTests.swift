import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// Plans `stack` against what `driver` holds and applies it, as `up` does.
@discardableResult
func deploy(
    _ stack: StackSpec, on driver: RecordingClusterDriver, secrets: [String: String] = [:], concurrency: Int = 8,
    events: EventLog = EventLog()
) async throws -> Plan {
    let desired = StackFixture.desired(stack, secrets: secrets)
    let observed = try await driver.observe(desired.identity)
    let plan = Planner().plan(desired: desired, observed: observed)
    try await Applier(driver: driver, concurrency: concurrency, pollInterval: .milliseconds(5), events: events.handler)
        .apply(plan, desired: desired, observed: observed)
    return plan
}

/// Splits `calls` into consecutive groups of these sizes, each as a set (calls inside a group run concurrently).
func groups(_ calls: [String], sizes: [Int]) -> [Set<String>] {
    var rest = calls[...]
    var result: [Set<String>] = []
    for size in sizes {
        result.append(Set(rest.prefix(size)))
        rest = rest.dropFirst(size)
    }
    if !rest.isEmpty { result.append(Set(rest)) }
    return result
}

/// `standard` where `api` no longer mounts `db-password`, so only `db` (its own layer) uses the secret.
let secretUsedInItsLayerOnly = StackFixture.standard.with { $0.edit(service: "api") { $0.secrets = [] } }

/// A stack whose one layer runs `count` services `svc-0`...
func manyServices(_ count: Int) -> StackSpec {
    StackFixture.stack([StackFixture.layer("many", services: (0..<count).map { StackFixture.service("svc-\($0)") })])
}

@Suite("Applier")
struct ApplierTests {
    let identity = StackFixture.identity

    @Test("a first deploy creates each layer's objects before its services, and a layer only after the previous converged")
    func firstDeploy() async throws {
        let driver = RecordingClusterDriver()
        try await deploy(StackFixture.standard, on: driver)
        let desired = StackFixture.desired(StackFixture.standard)
        let secret = try #require(desired.objectName("db-password"))
        let config = try #require(desired.objectName("app-conf"))
        let expected: [Set<String>] = [
            ["createNetwork it-dev_front"], ["createService it-dev_proxy"],
            ["createNetwork it-dev_back", "createVolume it-dev_pgdata"], ["createSecret \(secret)"], ["createService it-dev_db"],
            ["createConfig \(config)"], ["createService it-dev_api"],
        ]
        #expect(groups(driver.mutatingCalls, sizes: expected.map(\.count)) == expected)
        let calls = driver.calls
        let proxyConverged = try #require(calls.firstIndex(of: "convergence it-dev_proxy"))
        let dataStarted = try #require(calls.firstIndex(of: "createNetwork it-dev_back"))
        let dbConverged = try #require(calls.firstIndex(of: "convergence it-dev_db"))
        let appStarted = try #require(calls.firstIndex(of: "createConfig \(config)"))
        #expect(proxyConverged < dataStarted)
        #expect(dbConverged < appStarted)
        #expect(driver.names(.service) == ["it-dev_api", "it-dev_db", "it-dev_proxy"])
    }

    @Test("events tell each layer's start, changes and success in order")
    func events() async throws {
        let events = EventLog()
        try await deploy(StackFixture.standard, on: RecordingClusterDriver(), events: events)
        #expect(events.startedLayers == ["edge", "data", "app"])
        let succeeded = events.events.compactMap { if case .layerSucceeded(let layer, _) = $0 { layer } else { nil } }
        #expect(succeeded == ["edge", "data", "app"])
        let finished = events.events.compactMap { if case .changeSucceeded(let change, _) = $0 { change.description } else { nil } }
        #expect(finished.count == 8)
        #expect(events.failedLayers.isEmpty && events.warnings.isEmpty)
    }

    @Test(
        "after an apply the same spec plans no change",
        arguments: [
            ("first deploy", nil),
            ("image changed", StackFixture.standard.with { $0.edit(service: "api") { $0.image = "api:2" } }),
            ("service removed", StackFixture.standard.with { $0.edit(layer: "edge") { $0.services = [] } }),
            ("service and volume removed", StackFixture.standard.with { $0.edit(layer: "data") { $0.services = []; $0.volumes = [] } }),
            ("layer removed", StackFixture.standard.with { $0.layers.removeLast() }),
            ("config changed", StackFixture.standard.with { $0.edit(layer: "app") { $0.configs[0].content = Array("port: 1\n".utf8) } }),
        ] as [(String, StackSpec?)])
    func converges(_ label: String, edited: StackSpec?) async throws {
        let driver = edited == nil ? RecordingClusterDriver() : StackFixture.cluster(running: StackFixture.standard)
        let target = edited ?? StackFixture.standard
        try await deploy(target, on: driver)
        let again = Planner().plan(desired: StackFixture.desired(target), observed: driver.snapshot(identity))
        #expect(again.hasChanges == false, "\(again.allChanges)")
    }

    @Test("inside a layer, removed services go first, then the volumes and networks they used")
    func removalOrder() async throws {
        let driver = StackFixture.cluster(running: StackFixture.standard)
        let edited = StackFixture.standard.with { $0.edit(layer: "data") { $0.services = []; $0.volumes = [] } }
        try await deploy(edited, on: driver)
        #expect(driver.mutatingCalls == ["removeService it-dev_db", "removeVolume it-dev_pgdata"])
        let calls = driver.calls
        let removed = try #require(calls.firstIndex(of: "removeService it-dev_db"))
        let stopped = try #require(calls.firstIndex(of: "waitUntilRemoved it-dev_db"))
        let volume = try #require(calls.firstIndex(of: "removeVolume it-dev_pgdata"))
        #expect(removed < stopped && stopped < volume)
        #expect(driver.names(.volume).isEmpty)
    }

    @Test("orphan layers lose their services first, then their networks and configs")
    func orphanLayers() async throws {
        let driver = StackFixture.cluster(running: PlannerTests.withOldLayer)
        driver.resetCalls()
        try await deploy(StackFixture.standard, on: driver)
        let legacyConf = try #require(StackFixture.desired(PlannerTests.withOldLayer).objectName("legacy-conf"))
        #expect(driver.mutatingCalls == ["removeService it-dev_legacy", "removeNetwork it-dev_legacy-net", "removeConfig \(legacyConf)"])
        #expect(driver.names(.service) == ["it-dev_api", "it-dev_db", "it-dev_proxy"])
        #expect(driver.names(.network) == ["it-dev_back", "it-dev_front"])
    }

    @Test("a layer that fails to converge stops the run; the error names the service, the reason, task errors and logs")
    func convergenceFailure() async throws {
        let driver = RecordingClusterDriver()
        driver.script("it-dev_db", .fails(reason: "3 tasks failed and none keeps running"))
        driver.setDiagnosis("it-dev_db", ServiceDiagnosis(
            taskErrors: ["task 3f2a9c failed: exit status 1"],
            logLines: ["starting postgres", "FATAL: password authentication failed for user \"app\""]))
        let events = EventLog()
        let error = try await #require(throws: SprocketError.self) {
            try await deploy(StackFixture.standard, on: driver, events: events)
        }
        #expect(error.code == .convergence)
        #expect(error.subject == "layer data")
        for expected in [
            "layer data did not converge", "service it-dev_db: 3 tasks failed and none keeps running",
            "task errors:\n    task 3f2a9c failed: exit status 1", "last 2 log lines:",
            "| FATAL: password authentication failed for user \"app\"",
        ] {
            #expect(error.message.contains(expected), "missing \(expected) in \(error.message)")
        }
        #expect(events.startedLayers == ["edge", "data"])
        #expect(events.failedLayers == ["data"])
        #expect(!driver.calls.contains { $0.contains("it-dev_api") || $0.hasPrefix("createConfig") }, "layer app was touched")
        let failed = events.events.compactMap { if case .serviceFailed(let service, _, let diagnosis) = $0 { (service, diagnosis.logLines.count) } else { nil } }
        #expect(failed.map(\.0) == ["it-dev_db"])
        #expect(failed.map(\.1) == [2])
    }

    @Test("a service that never converges fails its layer at the layer's timeout")
    func convergenceTimeout() async throws {
        let driver = RecordingClusterDriver()
        driver.script("it-dev_db", .neverConverges)
        let stack = StackFixture.standard.with { $0.edit(layer: "data") { $0.timeout = .milliseconds(200) } }
        let started = ContinuousClock.now
        let error = try await #require(throws: SprocketError.self) { try await deploy(stack, on: driver) }
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        #expect(error.code == .convergence)
        #expect(error.message.contains("service it-dev_db: not converged after 200ms: 0/1 tasks running"))
        #expect(driver.service(named: "it-dev_api") == nil)
    }

    @Test("a layer waits through progressing polls until its services converge")
    func convergesAfterPolls() async throws {
        let driver = RecordingClusterDriver()
        driver.script("it-dev_api", .convergesAfter(polls: 3))
        let events = EventLog()
        try await deploy(StackFixture.standard, on: driver, events: events)
        #expect(driver.calls.filter { $0 == "convergence it-dev_api" }.count == 4)
        let waits = events.events.compactMap { if case .waiting(layer: "app", converged: let converged, total: let total, pending: let pending) = $0 { "\(converged)/\(total) \(pending)" } else { nil } }
        #expect(waits == ["0/1 [\"it-dev_api\"]", "0/1 [\"it-dev_api\"]", "0/1 [\"it-dev_api\"]", "1/1 []"])
    }

    @Test("concurrent calls never exceed the bound", arguments: [1, 3, 4])
    func concurrencyBound(_ bound: Int) async throws {
        let driver = RecordingClusterDriver(mutationDelay: .milliseconds(20))
        try await deploy(manyServices(10), on: driver, concurrency: bound)
        #expect(driver.names(.service).count == 10)
        #expect(driver.maxConcurrentCalls <= bound)
        if bound > 1 { #expect(driver.maxConcurrentCalls > 1, "calls ran one at a time") }
    }

    @Test("a failing create is reported and later layers are not touched")
    func failingCreate() async throws {
        let driver = RecordingClusterDriver()
        driver.failCall("createNetwork it-dev_back", reason: "invalid pool request: Pool overlaps with other one on this address space")
        let events = EventLog()
        let error = try await #require(throws: SprocketError.self) {
            try await deploy(StackFixture.standard, on: driver, events: events)
        }
        #expect(error.message.contains("Pool overlaps"))
        #expect(error.subject == "it-dev_back")
        #expect(events.failedChanges.map(\.description) == ["+ network back"])
        #expect(events.failedLayers == ["data"])
        #expect(events.startedLayers == ["edge", "data"])
        #expect(!driver.calls.contains { $0.hasPrefix("createSecret") || $0 == "createService it-dev_db" || $0.contains("it-dev_api") })
    }

    @Test("every failing change of a batch is named in one error")
    func severalFailures() async throws {
        let driver = RecordingClusterDriver()
        driver.failCall("createService it-dev_svc-1", reason: "no such image")
        driver.failCall("createService it-dev_svc-4", reason: "no such image")
        let error = try await #require(throws: SprocketError.self) { try await deploy(manyServices(6), on: driver) }
        #expect(error.code == .engine)
        #expect(error.message.contains("service svc-1: ") && error.message.contains("service svc-4: "))
        #expect(driver.names(.service).count == 4, "the other creates of the batch still ran")
        #expect(!driver.calls.contains { $0.hasPrefix("convergence") }, "no convergence wait after a failed batch")
    }

    @Test("old secret versions are deleted only after their layer converged")
    func garbageAfterConvergence() async throws {
        let driver = StackFixture.cluster(
            running: secretUsedInItsLayerOnly, secretUsedInItsLayerOnly, secrets: [["db-password": "one"], ["db-password": "two"]])
        let names = try ["one", "two", "three"].map {
            try #require(StackFixture.desired(secretUsedInItsLayerOnly, secrets: ["db-password": $0]).objectName("db-password"))
        }
        driver.resetCalls()
        try await deploy(secretUsedInItsLayerOnly, on: driver, secrets: ["db-password": "three"])
        let calls = driver.calls
        let update = try #require(calls.firstIndex(of: "updateService it-dev_db"))
        let converged = try #require(calls.lastIndex(of: "convergence it-dev_db"))
        let removed = try #require(calls.firstIndex(of: "removeSecret \(names[0])"))
        #expect(update < converged && converged < removed)
        #expect(driver.names(.secret) == names[1...].sorted())
    }

    @Test("an old version is not deleted when its layer fails to converge")
    func noGarbageAfterFailure() async throws {
        let driver = StackFixture.cluster(
            running: secretUsedInItsLayerOnly, secretUsedInItsLayerOnly, secrets: [["db-password": "one"], ["db-password": "two"]])
        driver.script("it-dev_db", .fails(reason: "crash loop"))
        await #expect(throws: SprocketError.self) {
            try await deploy(secretUsedInItsLayerOnly, on: driver, secrets: ["db-password": "three"])
        }
        #expect(driver.names(.secret).count == 3)
        #expect(!driver.calls.contains { $0.hasPrefix("removeSecret") })
    }

    @Test("an old version something still refers to is kept, with a warning")
    func referencedVersionKept() async throws {
        let driver = StackFixture.cluster(
            running: secretUsedInItsLayerOnly, secretUsedInItsLayerOnly, secrets: [["db-password": "one"], ["db-password": "two"]])
        let old = try #require(StackFixture.desired(secretUsedInItsLayerOnly, secrets: ["db-password": "one"]).objectName("db-password"))
        // Another stack's service mounts it: the plan cannot see that, the applier's last check does.
        var foreign = ServiceDefinition(image: "worker:1")
        foreign.secrets = [FileMountDefinition(objectName: old, target: "/run/secrets/pw")]
        driver.seedService(dockerName: "other-prod_worker", definition: foreign)
        let events = EventLog()
        let plan = try await deploy(secretUsedInItsLayerOnly, on: driver, secrets: ["db-password": "three"], events: events)
        #expect(plan.allChanges.contains { $0.action == .delete && $0.dockerName == old }, "the plan meant to delete it")
        #expect(events.warnings == ["kept secret \(old): a service still refers to it"])
        #expect(!driver.calls.contains("removeSecret \(old)"))
        #expect(driver.names(.secret).contains(old))
    }

    @Test("a plan with blockers throws before any call to the cluster")
    func blockers() async throws {
        let driver = StackFixture.cluster(running: StackFixture.standard)
        let edited = StackFixture.standard.with { $0.edit(layer: "edge") { $0.networks[0].driver = "bridge" } }
        let desired = StackFixture.desired(edited)
        let observed = driver.snapshot(identity)
        let plan = Planner().plan(desired: desired, observed: observed)
        #expect(!plan.blockers.isEmpty)
        let error = try await #require(throws: SprocketError.self) {
            try await Applier(driver: driver, events: { _ in }).apply(plan, desired: desired, observed: observed)
        }
        #expect(error.code == .unsupportedChange)
        #expect(error.message.contains("network front (it-dev_front) changed"))
        #expect(driver.calls.isEmpty)
    }

    @Test(
        "rotating a secret that a later layer's service mounts deletes the old version in the same run")
    func rotationAcrossLayers() async throws {
        let driver = StackFixture.cluster(running: StackFixture.standard, StackFixture.standard, secrets: [["db-password": "one"], ["db-password": "two"]])
        let old = try #require(StackFixture.desired(StackFixture.standard, secrets: ["db-password": "one"]).objectName("db-password"))
        let events = EventLog()
        let plan = try await deploy(StackFixture.standard, on: driver, secrets: ["db-password": "three"], events: events)
        #expect(plan.allChanges.contains { $0.action == .delete && $0.dockerName == old })
        #expect(events.warnings.isEmpty)
        #expect(!driver.names(.secret).contains(old))
    }

    @Test(
        "removing a network together with the later layer's use of it succeeds in one run")
    func networkRemovedWithItsLaterUser() async throws {
        let before = StackFixture.standard.with {
            $0.edit(layer: "edge") { $0.networks.append(StackFixture.network("legacy")) }
            $0.edit(service: "api") { $0.networks.append(NetworkAttachment(name: "legacy", location: StackFixture.here)) }
        }
        let driver = StackFixture.cluster(running: before)
        try await deploy(StackFixture.standard, on: driver)
        #expect(!driver.names(.network).contains("it-dev_legacy"))
    }
}
