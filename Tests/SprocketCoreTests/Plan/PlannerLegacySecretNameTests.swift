import SprocketCore
import SprocketTestSupport
import Testing

/// Upgrading a deployment whose secrets carry the legacy plain-hash names: nothing is recreated and no consumer
/// rolls; a changed value, or the bounded migration, moves one secret at a time to a keyed name.
@Suite("Planner: legacy secret names")
struct PlannerLegacySecretNameTests {
    /// Layer `app`: secrets `alpha`, `bravo`, `charlie`, each mounted by its own service (`alpha-svc`, ...).
    static let stack = StackFixture.stack([
        StackFixture.layer(
            "app", secrets: ["alpha", "bravo", "charlie"].map { StackFixture.secret($0) },
            services: ["alpha", "bravo", "charlie"].map { StackFixture.service("\($0)-svc", secrets: [$0]) })
    ])

    /// A cluster that runs `stack` as sprocketctl deployed it before keyed names.
    static func legacyCluster(secrets: [String: String] = [:]) -> RecordingClusterDriver {
        let driver = RecordingClusterDriver()
        driver.seed(StackFixture.legacyDesired(stack, secrets: secrets))
        return driver
    }

    /// What `Deployment` builds: the secrets named under the key, seeing what the engine holds.
    static func desired(
        observed: ObservedState, secrets: [String: String] = [:], key: SecretNamingKey? = StackFixture.namingKey, rekey: Int = 0
    ) -> DesiredState {
        StackFixture.desired(
            stack, secrets: secrets,
            naming: .init(key: key, deployedNames: Set(observed.secrets.map(\.dockerName)), rekeyLimit: rekey))
    }

    func changes(_ plan: Plan) -> [String] { plan.allChanges.map(\.description) }

    @Test("legacy names still holding their values are kept: no change, no roll, with or without a naming key")
    func upgradeChangesNothing() {
        let observed = Self.legacyCluster().snapshot(StackFixture.identity)
        for key in [StackFixture.namingKey, nil] {
            let desired = Self.desired(observed: observed, key: key)
            #expect(desired.layers[0].secrets.allSatisfy { $0.secretNaming == .legacy })
            let plan = Planner().plan(desired: desired, observed: observed)
            #expect(!plan.hasChanges, "\(changes(plan))")
            #expect(plan.notes.contains { $0.hasPrefix("3 secrets still named by the legacy plain hash") }, "\(plan.notes)")
        }
    }

    @Test("a changed value moves only that secret to a keyed name and rolls only its consumer")
    func changedValueMovesOne() throws {
        let observed = Self.legacyCluster().snapshot(StackFixture.identity)
        let desired = Self.desired(observed: observed, secrets: ["bravo": "rotated"])
        let plan = Planner().plan(desired: desired, observed: observed)
        let bravo = try #require(desired.layers[0].secrets.first { $0.name == "bravo" })
        #expect(bravo.secretNaming == .keyed)
        #expect(bravo.contentSuffix.hasPrefix("k"))
        #expect(plan.allChanges.map(\.resource).sorted() == [ResourceID(.secret, "bravo"), ResourceID(.service, "bravo-svc")].sorted())
        let update = try #require(plan.allChanges.first { $0.resource == ResourceID(.service, "bravo-svc") })
        #expect(update.fields.contains { $0.new?.contains(bravo.dockerName) == true }, "\(update)")
        #expect(plan.notes.contains { $0.hasPrefix("2 secrets still named") })
    }

    @Test("the bounded migration moves exactly N legacy names per run, first by layer then name, and then keeps them keyed")
    func boundedMigration() throws {
        let cluster = Self.legacyCluster()
        let identity = StackFixture.identity
        let first = Self.desired(observed: cluster.snapshot(identity), rekey: 1)
        let plan = Planner().plan(desired: first, observed: cluster.snapshot(identity))
        #expect(first.layers[0].secrets.map(\.secretNaming) == [.rekeyed, .legacy, .legacy])
        #expect(plan.allChanges.map(\.resource).sorted() == [ResourceID(.secret, "alpha"), ResourceID(.service, "alpha-svc")].sorted())
        #expect(plan.allChanges.first { $0.resource == ResourceID(.secret, "alpha") }?.reason?.contains("moves from its legacy name") == true)
        #expect(plan.notes.contains { $0.hasPrefix("2 secrets still named") })

        // Applied: the next plan without the migration keeps alpha keyed (its old name is only kept for rollback).
        cluster.seed(first)
        let next = Self.desired(observed: cluster.snapshot(identity))
        #expect(next.layers[0].secrets.map(\.secretNaming) == [.keyed, .legacy, .legacy])
        #expect(!Planner().plan(desired: next, observed: cluster.snapshot(identity)).hasChanges)

        // The next migration run takes the next one.
        let second = Self.desired(observed: cluster.snapshot(identity), rekey: 1)
        #expect(second.layers[0].secrets.map(\.secretNaming) == [.keyed, .rekeyed, .legacy])
    }

    @Test("a migration limited to other layers moves nothing")
    func migrationFollowsLayers() {
        let observed = Self.legacyCluster().snapshot(StackFixture.identity)
        let desired = StackFixture.desired(
            Self.stack, naming: .init(key: StackFixture.namingKey, deployedNames: Set(observed.secrets.map(\.dockerName)), rekeyLimit: 3, rekeyLayers: ["other"]))
        #expect(desired.layers[0].secrets.allSatisfy { $0.secretNaming == .legacy })
    }

    @Test("without a naming key a new secret is shown to be created, with a placeholder and the reason")
    func awaitingKey() throws {
        let observed = RecordingClusterDriver().snapshot(StackFixture.identity)
        let plan = Planner().plan(desired: Self.desired(observed: observed, key: nil), observed: observed)
        let create = try #require(plan.allChanges.first { $0.resource == ResourceID(.secret, "alpha") })
        #expect(create.dockerName.hasSuffix("_\(DockerSecretNaming.awaitingKeySuffix)"))
        #expect(create.reason?.contains("creates the stack's secret naming key") == true)
    }

    @Test("the plan never shows a value, nor its plain hash once keyed", arguments: ["hunter2", "correct horse battery staple"])
    func canary(_ value: String) throws {
        let observed = RecordingClusterDriver().snapshot(StackFixture.identity)
        let values = ["alpha": value, "bravo": value, "charlie": value]
        let desired = Self.desired(observed: observed, secrets: values)
        let text = String(decoding: CanonicalJSON.encode(Planner().plan(desired: desired, observed: observed)), as: UTF8.self)
        #expect(!text.contains(value))
        for name in values.keys {
            #expect(!text.contains(DockerSecretNaming.legacySuffix(identity: StackFixture.identity, name: name, value: Array(value.utf8))))
        }
    }
}
