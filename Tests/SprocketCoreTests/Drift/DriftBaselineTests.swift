import Foundation
import SprocketCore
import Testing

@Suite("Drift baseline and JSON form")
struct DriftBaselineTests {
    let desired = StackFixture.desired(StackFixture.standard)
    let identity = StackFixture.identity

    @Test("the baseline is the last successful run, with a note when a later run did not succeed")
    func lastSuccessfulRun() throws {
        let older = recordedRun(StackFixture.desired(StackFixture.stack([])), id: "r1")
        let good = recordedRun(desired, id: "r2")
        let failed = recordedRun(desired, id: "r3", outcome: .failed)
        let baseline = try #require(DriftBaseline.lastSuccessfulRun(of: [older, good, failed], identity: identity))
        #expect(baseline.runID == "r2")
        #expect(baseline.snapshot == good.snapshot)
        #expect(baseline.notes == ["the latest run r3 (`up`) failed; comparing with the last successful run r2"])

        let latest = try #require(DriftBaseline.lastSuccessfulRun(of: [older, good], identity: identity))
        #expect(latest.runID == "r2")
        #expect(latest.notes.isEmpty)
        #expect(latest.externalNames.isEmpty, "the tool's own objects are not taken for external ones")
    }

    @Test("no successful run gives no baseline", arguments: [[], [RunRecord.Outcome.failed, .interrupted, .running]])
    func noSuccessfulRun(outcomes: [RunRecord.Outcome]) {
        let runs = outcomes.enumerated().map { recordedRun(desired, id: "r\($0.offset)", outcome: $0.element) }
        #expect(DriftBaseline.lastSuccessfulRun(of: runs, identity: identity) == nil)
    }

    @Test("a successful `down` is the last applied spec too: everything still labelled is extra")
    func afterDown() throws {
        let down = recordedRun(DesiredState(identity: identity, layers: []), id: "r2")
        let baseline = try #require(DriftBaseline.lastSuccessfulRun(of: [recordedRun(desired, id: "r1"), down], identity: identity))
        let live = LiveCluster(running: StackFixture.standard)
        let report = DriftDetector().detect(baseline: baseline, observed: live.observed, status: live.status)
        #expect(!report.findings.isEmpty)
        #expect(report.findings.allSatisfy { $0.kind == .extra })
    }

    @Test("a finding's JSON is flat and reads back the same", arguments: [
        DriftFinding.Kind.changedByHand(fields: [FieldChange(path: "env", old: "[A=1]", new: "[A=1, X=1]")]),
        .rolledBackBySwarm(updateState: "rollback_completed", message: "update failed", fields: []),
        .rolledBackBySwarm(updateState: "paused", message: nil, fields: [FieldChange(path: "image", old: "a:1", new: "a:2")]),
        .missing,
        .extra,
        .replicasBelowTarget(running: 0, desired: 2),
    ])
    func findingJSON(kind: DriftFinding.Kind) throws {
        let finding = DriftFinding(layer: "app", resource: ResourceID(.service, "api"), dockerName: "it-dev_api", kind: kind, detail: "d")
        let data = try JSONEncoder().encode(finding)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["kind"] as? String == kind.name)
        #expect(object["dockerName"] as? String == "it-dev_api")
        #expect(try JSONDecoder().decode(DriftFinding.self, from: data) == finding)
    }

    @Test("the report's JSON is one document with the verdict, the baseline and the findings")
    func reportJSON() throws {
        var live = LiveCluster(running: StackFixture.standard)
        live.removeService("api")
        let baseline = DriftBaseline(run: recordedRun(desired, id: "r9"), identity: identity)
        let report = DriftDetector().detect(baseline: baseline, observed: live.observed, status: live.status)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        #expect(object["stack"] as? String == "it")
        #expect(object["environment"] as? String == "dev")
        #expect(object["baseline"] as? String == "lastSuccessfulRun")
        #expect(object["baselineRunID"] as? String == "r9")
        #expect(object["drift"] as? Bool == true)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.map { $0["kind"] as? String } == ["missing"])
    }
}
