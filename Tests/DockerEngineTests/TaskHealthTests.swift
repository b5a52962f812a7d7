import Foundation
import SprocketCore
import Testing

@testable import DockerEngine

/// `replicas`, `no-restart-loop` and lingering tasks, judged from task lists shaped like dockerd 20.10's.
@Suite("Task-list checks")
struct TaskHealthTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func stamp(_ secondsAgo: TimeInterval) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: now.addingTimeInterval(-secondsAgo)).replacingOccurrences(of: "Z", with: ".123456789Z")
    }

    static func template(_ image: String) -> TaskSpec {
        TaskSpec(containerSpec: ContainerSpec(image: image), restartPolicy: TaskSpec.RestartPolicy(condition: "any"), forceUpdate: 0)
    }

    static func service(image: String = "web:2", replicas: UInt64 = 2, updateState: String? = nil) -> Service {
        Service(
            id: "svc", spec: ServiceSpec(name: "demo_web", taskTemplate: template(image), mode: .replicated(replicas)),
            updateStatus: updateState.map { Service.UpdateStatus(state: $0) },
            serviceStatus: Service.ServiceStatus(runningTasks: replicas, desiredTasks: replicas))
    }

    static func task(
        _ id: String, image: String = "web:2", state: String, desired: String = "running", ago: TimeInterval = 30,
        exitCode: Int? = nil
    ) -> SwarmTask {
        var spec = template(image)
        // A task's copy of the template lacks what the orchestrator keeps for itself.
        spec.restartPolicy = nil
        return SwarmTask(
            id: id, createdAt: stamp(ago + 5), updatedAt: stamp(ago), spec: spec, serviceID: "svc",
            status: SwarmTask.Status(timestamp: stamp(ago), state: state, containerStatus: exitCode.map { SwarmTask.ContainerStatus(exitCode: $0) }),
            desiredState: desired)
    }

    @Test("replicas counts running tasks of the current version against the spec, and explains a shortfall")
    func replicas() {
        let healthy = TaskHealth.replicas(
            service: Self.service(), tasks: [Self.task("a", state: "running"), Self.task("b", state: "running")], expected: 2, expectation: "2")
        #expect(healthy.passed && healthy.seen == "2 running")

        let starting = TaskHealth.replicas(
            service: Self.service(), tasks: [Self.task("a", state: "running"), Self.task("b", state: "starting")], expected: 2, expectation: "2")
        #expect(!starting.passed)
        #expect(starting.seen == "1 running, 1 starting (health check not passing yet)")

        let old = TaskHealth.replicas(
            service: Self.service(), tasks: [Self.task("a", state: "running"), Self.task("b", image: "web:1", state: "running")], expected: 2, expectation: "2")
        #expect(!old.passed && old.seen == "1 running")

        let scaledDown = TaskHealth.replicas(service: Self.service(replicas: 0), tasks: [], expected: 2, expectation: "2")
        #expect(!scaledDown.passed)
        #expect(scaledDown.seen == "0 running; the service is scaled to 0, the spec says 2")

        let missing = TaskHealth.replicas(service: nil, tasks: [], expected: 1, expectation: "1")
        #expect(!missing.passed && missing.seen == "the service does not exist")
    }

    @Test("no-restart-loop counts tasks of the current version that ended inside the window")
    func restarts() {
        let tasks = [
            Self.task("a", state: "running"),
            Self.task("b", state: "failed", desired: "shutdown", ago: 10, exitCode: 3),
            Self.task("c", state: "failed", desired: "shutdown", ago: 40, exitCode: 3),
            Self.task("g", state: "complete", desired: "shutdown", ago: 70),
            Self.task("d", image: "web:1", state: "failed", desired: "shutdown", ago: 50, exitCode: 1),
            Self.task("e", state: "failed", desired: "shutdown", ago: 600, exitCode: 3),
            Self.task("f", image: "web:1", state: "shutdown", desired: "shutdown", ago: 20),
        ]
        let looping = TaskHealth.restarts(service: Self.service(), tasks: tasks, limit: 3, window: .seconds(120), now: Self.now, expectation: "e")
        #expect(!looping.passed)
        #expect(looping.seen == "3 restarts in the last 2m; latest: task b failed (exit code 3)")
        let calm = TaskHealth.restarts(service: Self.service(), tasks: tasks, limit: 4, window: .seconds(120), now: Self.now, expectation: "e")
        #expect(calm.passed && calm.seen == "3 restarts in the last 2m")
    }

    @Test("a running task of a superseded version is lingering, unless an update is still replacing it")
    func lingering() {
        let tasks = [Self.task("current1", state: "running"), Self.task("oldtask1234567", image: "web:1", state: "running")]
        let found = TaskHealth.lingering(service: Self.service(), tasks: tasks, now: Self.now, expectation: "e")
        #expect(!found.passed)
        #expect(found.seen == "1 task of an older version still running (oldtask12345)")

        let updating = TaskHealth.lingering(service: Self.service(updateState: "updating"), tasks: tasks, now: Self.now, expectation: "e")
        #expect(updating.passed && updating.seen == "an update is in progress")

        let stopping = [Self.task("old", image: "web:1", state: "running", desired: "shutdown", ago: 5)]
        #expect(TaskHealth.lingering(service: Self.service(), tasks: stopping, now: Self.now, expectation: "e").passed)
        let stuck = [Self.task("old", image: "web:1", state: "running", desired: "shutdown", ago: 300)]
        #expect(!TaskHealth.lingering(service: Self.service(), tasks: stuck, now: Self.now, expectation: "e").passed)

        let clean = TaskHealth.lingering(service: Self.service(), tasks: [Self.task("a", state: "running")], now: Self.now, expectation: "e")
        #expect(clean.passed && clean.seen == "none")
    }
}
