import SprocketCore
import SprocketTestSupport
import Testing

/// One edit of the `api` service and the field changes the plan must show for it.
struct ServiceEdit: Sendable, CustomTestStringConvertible {
    let label: String
    let edit: @Sendable (inout ServiceSpec) -> Void
    let expected: [FieldChange]

    var testDescription: String { label }
}

/// One edit of the `front` network and the detail its blocker must name.
struct NetworkEdit: Sendable, CustomTestStringConvertible {
    let label: String
    let edit: @Sendable (inout NetworkSpec) -> Void
    let detail: String

    var testDescription: String { label }
}

@Suite("Planner")
struct PlannerTests {
    let identity = StackFixture.identity

    /// The plan of `stack` against a cluster that runs `running`.
    func plan(_ stack: StackSpec, against running: StackSpec? = nil, options: Planner.Options = .init()) -> Plan {
        let cluster = running.map { StackFixture.cluster(running: $0) } ?? RecordingClusterDriver()
        return Planner(options: options).plan(desired: StackFixture.desired(stack), observed: cluster.snapshot(identity))
    }

    @Test("an empty cluster gets every object created, layer by layer, resources before services")
    func emptyCluster() {
        let plan = plan(StackFixture.standard)
        #expect(plan.layers.map(\.layer) == ["edge", "data", "app"])
        #expect(plan.layers.map { $0.changes.map(\.description) } == [
            ["+ network front", "+ service proxy"],
            ["+ network back", "+ volume pgdata", "+ secret db-password", "+ service db"],
            ["+ config app-conf", "+ service api"],
        ])
        for layer in plan.layers {
            let kinds = layer.changes.map(\.resource.kind)
            #expect(kinds == kinds.sorted(), "layer \(layer.layer) creates services before its objects")
            #expect(layer.changes.allSatisfy { $0.action == .create && $0.layer == layer.layer })
        }
        #expect(plan.count(.create) == 8)
        #expect(plan.changes(in: "app").last?.dockerName == "it-dev_api")
        #expect(plan.orphanLayers.isEmpty && plan.blockers.isEmpty && plan.notes.isEmpty)
    }

    @Test("a service the orchestrator gave up restarting is planned as a restart, naming why; nothing else changes")
    func abandonedServiceIsRestarted() throws {
        var observed = StackFixture.cluster(running: StackFixture.standard).snapshot(identity)
        let index = try #require(observed.services.firstIndex { $0.name == "db" })
        observed.services[index].restartsExhausted = "Swarm stopped restarting it (restart_policy.max_attempts: 5)"
        let plan = Planner().plan(desired: StackFixture.desired(StackFixture.standard), observed: observed)
        let changes = plan.layers.flatMap(\.changes)
        #expect(changes.map(\.description) == ["~ service db (restart: Swarm stopped restarting it (restart_policy.max_attempts: 5))"])
        #expect(changes.first?.isRestart == true)
        #expect(changes.first?.dockerName == "it-dev_db")
    }

    @Test("a cluster that already runs the spec plans no change, but keeps every layer for gating")
    func unchanged() {
        let plan = plan(StackFixture.standard, against: StackFixture.standard)
        #expect(plan.hasChanges == false)
        #expect(plan.layers.map(\.layer) == ["edge", "data", "app"])
        #expect(plan.blockers.isEmpty)
        #expect(plan.notes.isEmpty)
    }

    static let serviceEdits: [ServiceEdit] = [
        ServiceEdit(label: "image", edit: { $0.image = "api:2" }, expected: [FieldChange(path: "image", old: "api:1", new: "api:2")]),
        ServiceEdit(
            label: "environment value", edit: { $0.environment[0].value = "debug" },
            expected: [FieldChange(path: "env[0]", old: "LOG=info", new: "LOG=debug")]),
        ServiceEdit(
            label: "environment variable added",
            edit: { $0.environment.append(EnvironmentVariable(name: "MODE", value: "fast", location: StackFixture.here)) },
            expected: [FieldChange(path: "env", old: "[LOG=info]", new: "[LOG=info, MODE=fast]")]),
        ServiceEdit(label: "replicas", edit: { $0.deploy.replicas = 3 }, expected: [FieldChange(path: "replicas", old: "1", new: "3")]),
        ServiceEdit(
            label: "service label", edit: { $0.deploy.labels["traefik.enable"] = "true" },
            expected: [FieldChange(path: "serviceLabels.traefik.enable", old: nil, new: "true")]),
        ServiceEdit(
            label: "image and replicas", edit: { $0.image = "api:2"; $0.deploy.replicas = 2 },
            expected: [FieldChange(path: "image", old: "api:1", new: "api:2"), FieldChange(path: "replicas", old: "1", new: "2")]),
    ]

    @Test("a changed service is one update whose field changes read like the edit", arguments: serviceEdits)
    func serviceUpdate(_ edit: ServiceEdit) {
        let plan = plan(StackFixture.standard.with { $0.edit(service: "api", edit.edit) }, against: StackFixture.standard)
        #expect(plan.allChanges == [
            PlannedChange(action: .update, resource: ResourceID(.service, "api"), layer: "app", dockerName: "it-dev_api", fields: edit.expected)
        ])
        #expect(plan.count(.update) == 1)
    }

    @Test("an update describes itself as `~ service api: image api:1 -> api:2`")
    func updateDescription() {
        let plan = plan(StackFixture.standard.with { $0.edit(service: "api") { $0.image = "api:2" } }, against: StackFixture.standard)
        #expect(plan.allChanges.map(\.description) == ["~ service api: image api:1 -> api:2"])
    }

    @Test("a service removed from the spec is deleted from its layer, with the reason")
    func serviceRemoved() {
        let plan = plan(StackFixture.standard.with { $0.edit(layer: "edge") { $0.services = [] } }, against: StackFixture.standard)
        #expect(plan.allChanges == [
            PlannedChange(action: .delete, resource: ResourceID(.service, "proxy"), layer: "edge", dockerName: "it-dev_proxy", reason: "no longer in the spec")
        ])
        #expect(plan.allChanges.first?.description == "- service proxy (no longer in the spec)")
    }

    @Test("a network and a volume removed from the spec are deleted after the services that used them")
    func objectsRemoved() {
        let edited = StackFixture.standard.with {
            $0.edit(layer: "data") { $0.services = []; $0.volumes = [] }
        }
        let plan = plan(edited, against: StackFixture.standard)
        #expect(plan.changes(in: "data").map(\.description) == [
            "- service db (no longer in the spec)", "- volume pgdata (no longer in the spec)",
        ])
    }

    @Test(
        "Options(layers:) confines changes and pruning to the chosen layers",
        arguments: [
            (nil, ["edge", "data", "app"], ["- service proxy (no longer in the spec)", "~ service api: image api:1 -> api:2"]),
            (["app"], ["app"], ["~ service api: image api:1 -> api:2"]),
            (["edge"], ["edge"], ["- service proxy (no longer in the spec)"]),
            (["data"], ["data"], []),
        ] as [(Set<String>?, [String], [String])])
    func layerSelection(layers: Set<String>?, planned: [String], changes: [String]) {
        let edited = StackFixture.standard.with {
            $0.edit(layer: "edge") { $0.services = [] }
            $0.edit(service: "api") { $0.image = "api:2" }
        }
        let withOrphan = StackFixture.standard.with { $0.layers.append(StackFixture.layer("old", services: [StackFixture.service("legacy")])) }
        let plan = plan(edited, against: withOrphan, options: Planner.Options(layers: layers))
        #expect(plan.layers.map(\.layer) == planned)
        #expect(plan.layers.flatMap(\.changes).map(\.description) == changes)
        #expect(plan.orphanLayers.isEmpty == (layers != nil), "orphan layers are pruned only when every layer is planned")
    }

    @Test("prune: false keeps services, objects and layers that are gone from the spec", arguments: [true, false])
    func prune(_ prune: Bool) {
        let running = StackFixture.standard.with { $0.layers.append(StackFixture.layer("old", services: [StackFixture.service("legacy")])) }
        let edited = StackFixture.standard.with { $0.edit(layer: "data") { $0.services = []; $0.volumes = [] } }
        let plan = plan(edited, against: running, options: Planner.Options(prune: prune))
        let deleted = plan.allChanges.filter { $0.action == .delete }.map(\.dockerName)
        #expect(deleted == (prune ? ["it-dev_db", "it-dev_pgdata", "it-dev_legacy"] : []))
        #expect(plan.orphanLayers.map(\.layer) == (prune ? ["old"] : []))
    }

    static let networkEdits: [NetworkEdit] = [
        NetworkEdit(label: "driver", edit: { $0.driver = "bridge" }, detail: "driver overlay -> bridge"),
        NetworkEdit(label: "attachable", edit: { $0.attachable = true }, detail: "attachable false -> true"),
        NetworkEdit(label: "internal", edit: { $0.isInternal = true }, detail: "internal false -> true"),
        NetworkEdit(label: "driver option", edit: { $0.driverOptions["encrypted"] = "true" }, detail: "driver_opts.encrypted (none) -> true"),
        NetworkEdit(label: "user label", edit: { $0.labels["team"] = "web" }, detail: "labels.team (none) -> web"),
    ]

    @Test("a network whose attributes changed is a blocker, never a change", arguments: networkEdits)
    func networkBlocker(_ edit: NetworkEdit) throws {
        let edited = StackFixture.standard.with { $0.edit(layer: "edge") { edit.edit(&$0.networks[0]) } }
        let plan = plan(edited, against: StackFixture.standard)
        #expect(plan.hasChanges == false)
        let blocker = try #require(plan.blockers.first)
        #expect(plan.blockers.count == 1)
        #expect(blocker.contains("network front (it-dev_front) changed: \(edit.detail)"))
        #expect(blocker.contains("cannot be changed in place"))
        #expect(blocker.contains("sprocketctl down --layer edge"))
    }

    @Test("a volume whose driver changed is a blocker too")
    func volumeBlocker() {
        let edited = StackFixture.standard.with { $0.edit(layer: "data") { $0.volumes[0].driver = "nfs" } }
        let plan = plan(edited, against: StackFixture.standard)
        #expect(plan.hasChanges == false)
        #expect(plan.blockers.count == 1)
        #expect(plan.blockers.first?.contains("volume pgdata (it-dev_pgdata) changed: driver local -> nfs") == true)
    }

    @Test("ownership labels do not make a network look changed")
    func ownershipLabelsIgnored() {
        // The same network declared in another layer carries another io.sprocket.layer label.
        let moved = StackFixture.standard.with {
            $0.edit(layer: "edge") { $0.networks = [] }
            $0.edit(layer: "data") { $0.networks.append(StackFixture.network("front")) }
        }
        let plan = plan(moved, against: StackFixture.standard)
        #expect(plan.blockers.isEmpty)
        #expect(plan.hasChanges == false)
    }

    @Test("external networks are neither created nor compared")
    func externalNetwork() {
        let stack = StackFixture.stack([
            StackFixture.layer(
                "edge", networks: [StackFixture.network("shared", externalName: "traefik-public")],
                services: [StackFixture.service("proxy", networks: ["shared"])])
        ])
        let plan = plan(stack)
        #expect(plan.allChanges.map(\.description) == ["+ service proxy"])
        #expect(plan.blockers.isEmpty)
    }

    @Test("secret rotation deletes the version no spec will mention and keeps the one Swarm's rollback needs")
    func secretRotation() throws {
        let cluster = StackFixture.cluster(
            running: StackFixture.standard, StackFixture.standard, secrets: [["db-password": "one"], ["db-password": "two"]])
        let names = try ["one", "two", "three"].map {
            try #require(StackFixture.desired(StackFixture.standard, secrets: ["db-password": $0]).objectName("db-password"))
        }
        let desired = StackFixture.desired(StackFixture.standard, secrets: ["db-password": "three"])
        let plan = Planner().plan(desired: desired, observed: cluster.snapshot(identity))

        let data = plan.changes(in: "data")
        #expect(data.contains(PlannedChange(action: .create, resource: ResourceID(.secret, "db-password"), layer: "data", dockerName: names[2])))
        #expect(data.contains(PlannedChange(
            action: .delete, resource: ResourceID(.secret, "db-password"), layer: "data", dockerName: names[0],
            reason: "old version, no longer referenced")))
        #expect(!plan.allChanges.contains { $0.dockerName == names[1] }, "v2 is the previous spec's after the update")
        #expect(plan.notes == [
            "keeping secret \(names[1]): still referenced by the previous spec of service api, the previous spec of service db"
        ])
        #expect(plan.allChanges.filter { $0.action == .update }.map(\.resource.name).sorted() == ["api", "db"])
        let dbUpdate = try #require(data.first { $0.action == .update })
        #expect(dbUpdate.fields == [FieldChange(path: "secrets[0].objectName", old: names[1], new: names[2])])
    }

    @Test("an old version referenced by a service's previous spec is kept while that service is not updated")
    func previousSpecProtects() throws {
        let cluster = StackFixture.cluster(
            running: StackFixture.standard, StackFixture.standard, secrets: [["db-password": "one"], ["db-password": "two"]])
        let old = try #require(StackFixture.desired(StackFixture.standard, secrets: ["db-password": "one"]).objectName("db-password"))
        let plan = Planner().plan(
            desired: StackFixture.desired(StackFixture.standard, secrets: ["db-password": "two"]), observed: cluster.snapshot(identity))
        #expect(plan.hasChanges == false)
        #expect(plan.notes == ["keeping secret \(old): still referenced by the previous spec of service api, the previous spec of service db"])
    }

    @Test("a changed config gets a new version, and its users move to it")
    func configRotation() throws {
        let edited = StackFixture.standard.with { $0.edit(layer: "app") { $0.configs[0].content = Array("port: 9090\n".utf8) } }
        let old = try #require(StackFixture.desired(StackFixture.standard).objectName("app-conf"))
        let new = try #require(StackFixture.desired(edited).objectName("app-conf"))
        let plan = plan(edited, against: StackFixture.standard)
        #expect(plan.changes(in: "app") == [
            PlannedChange(action: .create, resource: ResourceID(.config, "app-conf"), layer: "app", dockerName: new),
            PlannedChange(
                action: .update, resource: ResourceID(.service, "api"), layer: "app", dockerName: "it-dev_api",
                fields: [FieldChange(path: "configs[0].objectName", old: old, new: new)]),
        ])
        #expect(plan.notes == ["keeping config \(old): still referenced by the previous spec of service api"])
    }

    /// `standard` plus a layer `old` with its own network, config and service.
    static var withOldLayer: StackSpec {
        StackFixture.standard.with {
            $0.layers.append(StackFixture.layer(
                "old", networks: [StackFixture.network("legacy-net")], configs: [StackFixture.config("legacy-conf", "x")],
                services: [StackFixture.service("legacy", networks: ["legacy-net"], configs: ["legacy-conf"])]))
        }
    }

    @Test("objects labelled with a layer gone from the spec are deleted as an orphan layer")
    func orphanLayer() throws {
        let legacyConf = try #require(StackFixture.desired(Self.withOldLayer).objectName("legacy-conf"))
        let plan = plan(StackFixture.standard, against: Self.withOldLayer)
        #expect(plan.layers.allSatisfy { $0.changes.isEmpty })
        let reason = "its layer is no longer in the spec"
        #expect(plan.orphanLayers == [
            LayerPlan(layer: "old", changes: [
                PlannedChange(action: .delete, resource: ResourceID(.service, "legacy"), layer: "old", dockerName: "it-dev_legacy", reason: reason),
                PlannedChange(action: .delete, resource: ResourceID(.network, "legacy-net"), layer: "old", dockerName: "it-dev_legacy-net", reason: reason),
                PlannedChange(action: .delete, resource: ResourceID(.config, "legacy-conf"), layer: "old", dockerName: legacyConf, reason: reason),
            ])
        ])
        #expect(plan.hasChanges)
    }

    @Test(
        "the plan's notes never claim to keep an object the same plan deletes")
    func orphanNotesContradictDeletes() {
        let plan = plan(StackFixture.standard, against: Self.withOldLayer)
        let deleted = plan.allChanges.filter { $0.action == .delete }.map(\.dockerName)
        for note in plan.notes {
            #expect(!deleted.contains { note.contains($0) }, "\(note)")
        }
    }

    @Test(
        "a config still declared in a renamed layer is not deleted")
    func renamedLayerKeepsDeclaredConfig() throws {
        let before = StackFixture.standard.with { $0.edit(layer: "edge") { $0.configs = [StackFixture.config("banner", "hello")] } }
        let after = before.with {
            $0.edit(layer: "edge") { $0.name = "gateway" }
            $0.edit(layer: "data") { $0.needs = [LayerReference(name: "gateway", location: StackFixture.here)] }
        }
        let banner = try #require(StackFixture.desired(after).objectName("banner"))
        #expect(StackFixture.desired(before).objectName("banner") == banner, "the Docker name does not depend on the layer")
        let plan = plan(after, against: before)
        #expect(plan.changes(in: "gateway").contains { $0.dockerName == banner } == false, "no create: it exists")
        #expect(!plan.allChanges.contains { $0.action == .delete && $0.dockerName == banner })
    }

    /// Docker names that a planned service create or update uses but that neither exist nor are created by the plan.
    static func danglingReferences(_ plan: Plan, desired: DesiredState, observed: ObservedState) -> [String] {
        let existing = Set((observed.networks + observed.configs + observed.secrets).map(\.dockerName))
        let created = Set(plan.allChanges.filter { $0.action == .create }.map(\.dockerName))
        let external = Set(desired.layers.flatMap { $0.networks.filter(\.isExternal).map(\.dockerName) + ($0.configs + $0.secrets).filter(\.isExternal).map(\.dockerName) })
        let users = plan.allChanges.filter { $0.resource.kind == .service && $0.action != .delete }.compactMap { desired.service($0.resource.name) }
        let used = users.flatMap { $0.definition.referencedObjectNames.sorted() + $0.definition.networks.map(\.network) }
        return used.filter { !existing.contains($0) && !created.contains($0) && !external.contains($0) }
    }

    @Test("every object a planned service uses exists or is created by the plan")
    func noDanglingReferences() {
        let rotated = StackFixture.desired(StackFixture.standard, secrets: ["db-password": "new"])
        for (running, desired) in [(nil, StackFixture.desired(StackFixture.standard)), (StackFixture.standard, rotated)] as [(StackSpec?, DesiredState)] {
            let observed = (running.map { StackFixture.cluster(running: $0) } ?? RecordingClusterDriver()).snapshot(identity)
            let plan = Planner().plan(desired: desired, observed: observed)
            #expect(Self.danglingReferences(plan, desired: desired, observed: observed).isEmpty)
        }
    }

    @Test(
        "a plan limited to some layers never updates a service to use an object of an unselected layer that does not exist")
    func layerFilterDanglingReference() throws {
        let observed = StackFixture.cluster(running: StackFixture.standard).snapshot(identity)
        let desired = StackFixture.desired(StackFixture.standard, secrets: ["db-password": "new"])
        let plan = Planner(options: Planner.Options(layers: ["app"])).plan(desired: desired, observed: observed)
        #expect(plan.allChanges.map(\.description).first?.hasPrefix("~ service api: secrets[0].objectName") == true)
        let dangling = Self.danglingReferences(plan, desired: desired, observed: observed)
        #expect(dangling.isEmpty || !plan.blockers.isEmpty)
    }

    @Test(
        "a digest pinned by Swarm is not a change, a different tag or digest is",
        arguments: [
            ("api:1@sha256:aaa", "api:1", []),
            ("api:1@sha256:aaa", "api:2", [FieldChange(path: "image", old: "api:1", new: "api:2")]),
            ("api:1@sha256:aaa", "api:1@sha256:bbb", [FieldChange(path: "image", old: "api:1@sha256:aaa", new: "api:1@sha256:bbb")]),
            ("api:1", "api:1@sha256:bbb", [FieldChange(path: "image", old: "api:1", new: "api:1@sha256:bbb")]),
        ] as [(String, String, [FieldChange])])
    func digestPin(observedImage: String, desiredImage: String, expected: [FieldChange]) throws {
        var observed = StackFixture.cluster(running: StackFixture.standard).snapshot(identity)
        let index = try #require(observed.services.firstIndex { $0.name == "api" })
        observed.services[index].definition.image = observedImage
        let desired = StackFixture.desired(StackFixture.standard.with { $0.edit(service: "api") { $0.image = desiredImage } })
        let plan = Planner().plan(desired: desired, observed: observed)
        #expect(plan.allChanges.flatMap(\.fields) == expected)
    }

    @Test("the same inputs always give the same plan")
    func deterministic() {
        let cluster = StackFixture.cluster(
            running: Self.withOldLayer, Self.withOldLayer, secrets: [["db-password": "one"], ["db-password": "two"]])
        let edited = StackFixture.standard.with {
            $0.edit(service: "api") { $0.image = "api:2" }
            $0.edit(layer: "edge") { $0.services = [] }
        }
        let observed = cluster.snapshot(identity)
        let first = Planner().plan(desired: StackFixture.desired(edited, secrets: ["db-password": "three"]), observed: observed)
        let second = Planner().plan(desired: StackFixture.desired(edited, secrets: ["db-password": "three"]), observed: observed)
        #expect(first.hasChanges && !first.orphanLayers.isEmpty && !first.notes.isEmpty)
        #expect(first == second)
        #expect(CanonicalJSON.encode(first) == CanonicalJSON.encode(second))
    }
}
