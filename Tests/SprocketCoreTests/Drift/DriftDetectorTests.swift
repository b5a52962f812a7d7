import SprocketCore
import SprocketTestSupport
import Testing

/// One way the live cluster departs from the deployed standard stack, and the findings it must give, each as
/// `layer: kind resource [field paths]`.
struct DriftCase: Sendable, CustomTestStringConvertible {
    let label: String
    let tamper: @Sendable (inout LiveCluster) -> Void
    let expected: [String]

    var testDescription: String { label }
}

@Suite("Drift detector")
struct DriftDetectorTests {
    let deployed = StackFixture.desired(StackFixture.standard)

    func baseline(_ desired: DesiredState? = nil) -> DriftBaseline {
        DriftBaseline(run: recordedRun(desired ?? deployed, id: "run-1"), identity: StackFixture.identity)
    }

    func detect(_ live: LiveCluster, against baseline: DriftBaseline? = nil) -> DriftReport {
        DriftDetector().detect(baseline: baseline ?? self.baseline(), observed: live.observed, status: live.status)
    }

    static func summary(_ finding: DriftFinding) -> String {
        let fields = finding.fields.isEmpty ? "" : " [" + finding.fields.map(\.path).joined(separator: ", ") + "]"
        return "\(finding.layer): \(finding.kind.name) \(finding.resource)\(fields)"
    }

    static let cases: [DriftCase] = [
        DriftCase(label: "nothing changed", tamper: { _ in }, expected: []),
        DriftCase(
            label: "Swarm pinned the image digest",
            tamper: { $0.editService("api") { $0.definition.image = "api:1@sha256:0123456789abcdef" } }, expected: []),
        DriftCase(
            label: "an update Swarm completed", tamper: { $0.editService("api") { $0.updateState = "completed" } }, expected: []),
        DriftCase(
            label: "an environment variable added by hand",
            tamper: { $0.editService("api") { $0.definition.env.append("X=1") } },
            expected: ["app: changedByHand service api [env]"]),
        DriftCase(
            label: "image and labels changed by hand",
            tamper: {
                $0.editService("proxy") { service in
                    service.definition.image = "nginx:2"
                    service.definition.serviceLabels["owner"] = "ops"
                }
            },
            expected: ["edge: changedByHand service proxy [image, serviceLabels.owner]"]),
        DriftCase(
            label: "scaled to 0 by hand",
            tamper: { live in
                live.editService("db") { $0.definition.replicas = 0 }
                live.tasks(of: "db", running: 0, desired: 0)
            },
            expected: ["data: changedByHand service db [replicas]", "data: replicasBelowTarget service db"]),
        DriftCase(
            label: "tasks keep failing", tamper: { $0.tasks(of: "api", running: 0, desired: 1) },
            expected: ["app: replicasBelowTarget service api"]),
        DriftCase(
            label: "Swarm rolled an update back",
            tamper: { $0.editService("proxy") { $0.updateState = "rollback_completed" } },
            expected: ["edge: rolledBackBySwarm service proxy"]),
        DriftCase(
            label: "Swarm is rolling back a hand update, whose fields it lists instead of a hand change",
            tamper: {
                $0.editService("proxy") { service in
                    service.updateState = "rollback_started"
                    service.definition.image = "nginx:broken"
                }
            },
            expected: ["edge: rolledBackBySwarm service proxy [image]"]),
        DriftCase(
            label: "Swarm paused an update",
            tamper: { $0.editService("api") { $0.updateState = "paused" } },
            expected: ["app: rolledBackBySwarm service api"]),
        DriftCase(
            label: "Swarm paused a rollback",
            tamper: { $0.editService("api") { $0.updateState = "rollback_paused" } },
            expected: ["app: rolledBackBySwarm service api"]),
        DriftCase(label: "a service removed by hand", tamper: { $0.removeService("db") }, expected: ["data: missing service db"]),
        DriftCase(
            label: "a network, a volume, a config and a secret removed by hand",
            tamper: { live in
                live.removeObject(.network, "back")
                live.removeObject(.volume, "pgdata")
                live.removeObject(.config, "app-conf")
                live.removeObject(.secret, "db-password")
            },
            expected: [
                "data: missing network back", "data: missing volume pgdata", "data: missing secret db-password",
                "app: missing config app-conf",
            ]),
        DriftCase(
            label: "objects created by hand with the stack's labels",
            tamper: { live in
                live.addObject(.config, "stray", layer: "app")
                live.addObject(.service, "debug", layer: "edge")
                live.addObject(.network, "side", layer: "edge")
            },
            expected: ["edge: extra network side", "edge: extra service debug", "app: extra config stray"]),
        DriftCase(
            label: "an object labelled with a layer the spec does not have",
            tamper: { $0.addObject(.volume, "cache", layer: "old") }, expected: ["old: extra volume cache"]),
    ]

    @Test("classifies each way the cluster departs from the deployed spec", arguments: cases)
    func classifies(_ driftCase: DriftCase) {
        var live = LiveCluster(running: StackFixture.standard)
        driftCase.tamper(&live)
        let report = detect(live)
        #expect(report.findings.map(Self.summary) == driftCase.expected)
        #expect(report.hasDrift == !driftCase.expected.isEmpty)
    }

    @Test("a freshly deployed stack shows no drift, and says which run it was compared with")
    func freshDeployment() {
        let report = detect(LiveCluster(running: StackFixture.standard))
        #expect(report.findings.isEmpty)
        #expect(!report.hasDrift)
        #expect(report.baselineRunID == "run-1")
        #expect(report.identity == StackFixture.identity)
        #expect(report.notes.isEmpty)
    }

    @Test("a hand change names each field, applied value first, and the detail lists the fields")
    func handChangeFields() throws {
        var live = LiveCluster(running: StackFixture.standard)
        live.editService("api") { $0.definition.env.append("X=1") }
        let finding = try #require(detect(live).findings.first)
        #expect(finding.kind == .changedByHand(fields: [FieldChange(path: "env", old: "[LOG=info]", new: "[LOG=info, X=1]")]))
        #expect(finding.dockerName == "it-dev_api")
        #expect(finding.detail == "changed by hand: env")
        #expect(finding.description == "service api (it-dev_api): changed by hand: env")
    }

    @Test("replicas below target count against the applied replicas, not Swarm's lowered desired count")
    func replicasAgainstTheAppliedCount() throws {
        let scaled = StackFixture.standard.with { $0.edit(service: "api") { $0.deploy.replicas = 3 } }
        var live = LiveCluster(running: scaled)
        live.tasks(of: "api", running: 1, desired: 3)
        let findings = detect(live, against: baseline(StackFixture.desired(scaled))).findings
        #expect(findings.map(\.kind) == [.replicasBelowTarget(running: 1, desired: 3)])
        #expect(findings.first?.detail == "replicas below target: 1 of 3 running")
    }

    @Test("global services are measured by Swarm's count, jobs not at all")
    func globalServicesAndJobs() {
        let stack = StackFixture.standard.with { stack in
            stack.edit(service: "proxy") { $0.deploy.mode = .global }
            stack.edit(service: "db") { $0.deploy.mode = .replicatedJob }
        }
        var live = LiveCluster(running: stack)
        live.tasks(of: "proxy", running: 1, desired: 2)
        live.tasks(of: "db", running: 0, desired: 1)
        let report = detect(live, against: baseline(StackFixture.desired(stack)))
        #expect(report.findings.map(Self.summary) == ["edge: replicasBelowTarget service proxy"])
        #expect(report.findings.first?.kind == .replicasBelowTarget(running: 1, desired: 2))
    }

    @Test("an old secret version kept for Swarm's rollback is not extra; one no spec refers to is")
    func rotationLeftovers() {
        let secrets = [["db-password": "one"], ["db-password": "two"]]
        let current = StackFixture.desired(StackFixture.standard, secrets: ["db-password": "two"])
        let oldName = StackFixture.desired(StackFixture.standard, secrets: ["db-password": "one"]).objectName("db-password") ?? ""
        var live = LiveCluster(running: StackFixture.standard, StackFixture.standard, secrets: secrets)
        #expect(live.observed.secrets.map(\.dockerName).contains(oldName))
        #expect(detect(live, against: baseline(current)).findings.isEmpty)

        for index in live.observed.services.indices { live.observed.services[index].previousReferences = [] }
        let findings = detect(live, against: baseline(current)).findings
        #expect(findings.map(Self.summary) == ["data: extra secret db-password"])
        #expect(findings.first?.dockerName == oldName)
    }

    @Test("external objects carry no labels, so they are never reported missing", arguments: [true, false])
    func externalObjects(fromRun: Bool) {
        let stack = StackFixture.standard.with { stack in
            stack.edit(layer: "edge") { $0.networks.append(StackFixture.network("shared", externalName: "company-net")) }
            stack.edit(layer: "app") {
                $0.configs.append(ConfigSpec(name: "ca", source: .external(name: "company-ca"), content: nil, location: StackFixture.here))
            }
        }
        let desired = StackFixture.desired(stack)
        let live = LiveCluster(running: stack)
        let baseline = fromRun ? baseline(desired) : DriftBaseline(currentSpec: desired)
        #expect(baseline.externalNames == ["company-net", "company-ca"])
        #expect(detect(live, against: baseline).findings.isEmpty)
    }

    @Test("without a recorded run the current spec is the yardstick, and the report says so")
    func currentSpecBaseline() {
        var live = LiveCluster(running: StackFixture.standard)
        live.removeService("api")
        let report = detect(live, against: DriftBaseline(currentSpec: deployed))
        #expect(report.baselineRunID == nil)
        #expect(report.notes == ["no successful run of it/dev is recorded: comparing with the current spec instead"])
        #expect(report.findings.map(\.detail) == ["missing: in the current spec, not on the engine"])
    }

    @Test("a secret whose value is not at hand (so neither its name) is matched by its logical name")
    func unresolvedSecret() {
        let withoutValues = DesiredStateBuilder(stack: StackFixture.standard, secrets: [:]).build()
        #expect(withoutValues.objectName("db-password")?.hasSuffix("_unresolved") == true)
        let baseline = DriftBaseline(currentSpec: withoutValues)
        #expect(baseline.unversionedObjects == [ResourceID(.secret, "db-password")])
        var live = LiveCluster(running: StackFixture.standard)
        #expect(detect(live, against: baseline).findings.isEmpty, "the live version is neither extra nor a changed mount")

        live.removeObject(.secret, "db-password")
        #expect(detect(live, against: baseline).findings.map(Self.summary) == ["data: missing secret db-password"])
    }

    @Test("findings come in layer order, then by object, whatever order the engine lists them in")
    func deterministicOrder() {
        var live = LiveCluster(running: StackFixture.standard)
        live.editService("api") { $0.definition.env.append("X=1") }
        live.tasks(of: "api", running: 0, desired: 1)
        live.removeService("proxy")
        live.removeObject(.volume, "pgdata")
        live.addObject(.config, "a-stray", layer: "edge")
        live.addObject(.service, "zz", layer: "zz-layer")
        live.addObject(.service, "aa", layer: "aa-layer")
        let expected = [
            "edge: extra config a-stray", "edge: missing service proxy", "data: missing volume pgdata",
            "app: changedByHand service api [env]", "app: replicasBelowTarget service api",
            "aa-layer: extra service aa", "zz-layer: extra service zz",
        ]
        #expect(detect(live).findings.map(Self.summary) == expected)
        var reversed = live
        reversed.observed.services.reverse()
        reversed.observed.configs.reverse()
        reversed.status.reverse()
        #expect(detect(reversed).findings.map(Self.summary) == expected)
        #expect(detect(live).layers.map(\.layer) == ["edge", "data", "app", "aa-layer", "zz-layer"])
    }
}
