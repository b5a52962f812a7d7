import Foundation
import Testing

@testable import DockerEngine

@Suite("Which running tasks count as stable")
struct TaskStabilityTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let stability = TaskStability(window: 2)

    func task(_ id: String, runningFor age: TimeInterval?, node: String? = "node-a", container: String? = "c-") -> TaskStability.RunningTask {
        TaskStability.RunningTask(
            id: id, runningSince: age.map { now.addingTimeInterval(-$0) }, nodeID: node, containerID: container.map { $0 + id })
    }

    @Test("a task passes once its timestamp and this process's own first sighting are both a window old")
    func bothClocksMustAgree() {
        let fresh = task("t1", runningFor: 0.5)
        let first = stability.timeTest([fresh], firstSeen: ["t1": now], now: now)
        #expect(first.passed.isEmpty)
        #expect(first.recheckIn == 2, "two seconds after this process first saw it")

        let later = now.addingTimeInterval(2)
        let second = stability.timeTest([fresh], firstSeen: ["t1": now], now: later)
        #expect(second.passed == [fresh])
        #expect(second.recheckIn == nil)
    }

    @Test("a late 'running' report with an old timestamp waits for a window of this process's own sightings")
    func lateReportIsNotTrustedAtOnce() {
        // The manager heard only now that the task started 5 s ago: it may already have exited.
        let late = task("t1", runningFor: 5)
        let result = stability.timeTest([late], firstSeen: ["t1": now], now: now)
        #expect(result.passed.isEmpty)
        #expect(result.recheckIn == 2)
        let seenBefore = stability.timeTest([late], firstSeen: ["t1": now.addingTimeInterval(-2)], now: now)
        #expect(seenBefore.passed == [late])
    }

    @Test("a task running since long before this process counts without waiting, so a no-change up stays fast")
    func settledTaskCountsAtOnce() {
        let settled = task("t1", runningFor: 3_600)
        #expect(stability.timeTest([settled], firstSeen: ["t1": now], now: now).passed == [settled])
        let almost = task("t2", runningFor: 29)
        let result = stability.timeTest([almost], firstSeen: ["t2": now], now: now)
        #expect(result.passed.isEmpty)
        #expect(result.recheckIn == 1, "whichever comes first: the settled age or the window of sightings")
    }

    @Test("a missing timestamp never counts as old")
    func missingTimestamp() {
        let unknown = task("t1", runningFor: nil)
        let result = stability.timeTest([unknown], firstSeen: ["t1": now.addingTimeInterval(-60)], now: now)
        #expect(result.passed.isEmpty)
        #expect(result.recheckIn == 2)
    }

    @Test("with a healthcheck (window 0) every running task passes: Swarm reports running only once healthy")
    func healthcheckWindow() {
        let fresh = task("t1", runningFor: 0)
        let result = TaskStability(window: 0).timeTest([fresh], firstSeen: [:], now: now)
        #expect(result.passed == [fresh])
        #expect(result.recheckIn == nil)
    }

    @Test("only unconfirmed tasks on this node with a container are checked against the node")
    func nodeCheckSelection() {
        let local = task("t1", runningFor: 10)
        let remote = task("t2", runningFor: 10, node: "node-b")
        let noContainer = task("t3", runningFor: 10, container: nil)
        let confirmed = task("t4", runningFor: 10)
        let selected = TaskStability.needingNodeCheck([local, remote, noContainer, confirmed], localNodeID: "node-a", confirmed: ["t4"])
        #expect(selected == [local])
        #expect(TaskStability.needingNodeCheck([local], localNodeID: "", confirmed: []).isEmpty, "not in a swarm: nothing to ask")
        #expect(TaskStability.needingNodeCheck([local], localNodeID: nil, confirmed: []).isEmpty)
    }

    @Test("a container this node shows stopped, or does not show, contradicts the manager's running")
    func nodeContradicts() {
        let running = task("t1", runningFor: 10)
        let exited = task("t2", runningFor: 10)
        let gone = task("t3", runningFor: 10)
        let split = TaskStability.split([running, exited, gone], containerStates: ["c-t1": "running", "c-t2": "exited"])
        #expect(split.confirmed == [running])
        #expect(split.contradicted == [exited, gone])
    }
}
