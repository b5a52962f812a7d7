import SprocketCore
import SprocketTestSupport
import Testing

/// The fake must behave like the engine where the applier's correctness depends on it; otherwise the applier
/// tests prove nothing.
@Suite("RecordingClusterDriver")
struct RecordingClusterDriverTests {
    let identity = StackFixture.identity

    @Test("observe sees only this stack environment's objects, with layer, name and spec hash from their labels")
    func observeOwnership() async throws {
        let driver = StackFixture.cluster(running: StackFixture.standard, StackFixture.standard.with { $0.environment = "prod" })
        driver.seedObject(.network, dockerName: "traefik-public")
        let observed = try await driver.observe(identity)
        #expect(observed.networks.map(\.dockerName) == ["it-dev_back", "it-dev_front"])
        #expect(observed.services.map(\.dockerName) == ["it-dev_api", "it-dev_db", "it-dev_proxy"])
        let front = try #require(observed.networks.last)
        #expect(front.layer == "edge" && front.name == "front")
        #expect(front.specHash == StackFixture.desired(StackFixture.standard).layer(named: "edge")?.networks.first?.specHash)
        #expect(front.attributes == ["driver": "overlay", "attachable": "false", "internal": "false"])
        let api = try #require(observed.services.first)
        #expect(api.layer == "app" && api.name == "api" && api.version == 1)
        #expect(api.specHash == StackFixture.desired(StackFixture.standard).service("api")?.specHash)
        #expect(driver.calls == ["observe it/dev"])
    }

    @Test("an update bumps the version and keeps the former spec's objects as previous references")
    func updateKeepsPrevious() async throws {
        let driver = StackFixture.cluster(running: StackFixture.standard)
        let before = try #require(driver.snapshot(identity).services.first { $0.name == "api" })
        let rotated = StackFixture.desired(StackFixture.standard, secrets: ["db-password": "new"])
        for object in rotated.layers.flatMap(\.secrets) { try await driver.createObject(object) }
        let api = try #require(rotated.service("api"))
        try await driver.updateService(api, current: before)
        let after = try #require(driver.snapshot(identity).services.first { $0.name == "api" })
        #expect(after.version == before.version + 1)
        #expect(after.definition == api.definition)
        #expect(after.previousReferences == before.definition.referencedObjectNames)
        #expect(after.updateState == "completed")

        let error = try await #require(throws: SprocketError.self) { try await driver.updateService(api, current: before) }
        #expect(error.message.contains("update out of sequence"))
    }

    @Test("objects a service's current spec uses cannot be removed; a previous spec only counts as a reference")
    func inUse() async throws {
        let driver = StackFixture.cluster(
            running: StackFixture.standard, StackFixture.standard, secrets: [["db-password": "one"], ["db-password": "two"]])
        let observed = driver.snapshot(identity)
        let v1 = try #require(StackFixture.desired(StackFixture.standard, secrets: ["db-password": "one"]).objectName("db-password"))
        let v2 = try #require(StackFixture.desired(StackFixture.standard, secrets: ["db-password": "two"]).objectName("db-password"))
        #expect(try await driver.referencedObjectNames().isSuperset(of: [v1, v2]))
        for (kind, name) in [(ResourceKind.network, "it-dev_front"), (.volume, "it-dev_pgdata"), (.secret, v2)] {
            let object = try #require(observed.objects(of: kind).first { $0.dockerName == name })
            await #expect(throws: SprocketError.self, "\(name) is in use") { try await driver.removeObject(object) }
        }
        let old = try #require(observed.secrets.first { $0.dockerName == v1 })
        try await driver.removeObject(old)
        #expect(!driver.names(.secret).contains(v1))
        try await driver.removeObject(old)  // already gone: done, like a 404
    }

    @Test("a service cannot be created before the objects it uses exist")
    func missingReferences() async throws {
        let driver = RecordingClusterDriver()
        let api = try #require(StackFixture.desired(StackFixture.standard).service("api"))
        let error = try await #require(throws: SprocketError.self) { try await driver.createService(api) }
        #expect(error.message.contains("not found"))
        #expect(driver.names(.service).isEmpty)
        #expect(driver.mutatingCalls == ["createService it-dev_api"])
    }

    @Test("scripted failures and convergence answer as told")
    func scripts() async throws {
        let driver = StackFixture.cluster(running: manyServices(4))
        driver.failCall("removeService it-dev_svc-0", reason: "boom")
        driver.script("it-dev_svc-1", .fails(reason: "crash"))
        driver.script("it-dev_svc-2", .neverConverges)
        driver.script("it-dev_svc-3", .convergesAfter(polls: 1))
        let svc0 = try #require(driver.snapshot(identity).services.first)
        await #expect(throws: SprocketError.self) { try await driver.removeService(svc0) }
        #expect(driver.service(named: "it-dev_svc-0") != nil)
        let names = ["it-dev_svc-0", "it-dev_svc-1", "it-dev_svc-2", "it-dev_svc-3", "it-dev_gone"]
        let first = try await driver.convergence(of: names).map(\.phase)
        #expect(first == [.converged, .failed(reason: "crash"), .progressing, .progressing, .failed(reason: "the service does not exist")])
        #expect(try await driver.convergence(of: ["it-dev_svc-3"]).map(\.phase) == [.converged])
        let status = try await driver.status(identity)
        #expect(status.map(\.runningTasks) == [1, 0, 0, 1])
        #expect(status.map(\.lastError) == [nil, "crash", nil, nil])
    }
}
