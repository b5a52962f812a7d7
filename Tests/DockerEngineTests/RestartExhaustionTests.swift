import Foundation
import Testing

@testable import DockerEngine

@Suite("When Swarm has given up restarting a service")
struct RestartExhaustionTests {
    static func service(maxAttempts: UInt64?, condition: String = "on-failure", desired: UInt64 = 1, running: UInt64 = 0) -> Service {
        var spec = ServiceSpec(
            name: "s", taskTemplate: TaskSpec(restartPolicy: TaskSpec.RestartPolicy(condition: condition, maxAttempts: maxAttempts)))
        spec.mode = .replicated(desired)
        return Service(id: "svc", spec: spec, serviceStatus: Service.ServiceStatus(runningTasks: running, desiredTasks: desired))
    }

    static func task(_ id: String, slot: Int, desired: String, state: String, at second: Int, exitCode: Int? = nil) -> SwarmTask {
        SwarmTask(
            id: id, createdAt: "2026-11-29T10:00:\(String(format: "%02d", second)).123456789Z", serviceID: "svc", slot: slot,
            status: SwarmTask.Status(state: state, err: state == "failed" ? "task: non-zero exit (255)" : nil,
                                     containerStatus: exitCode.map { SwarmTask.ContainerStatus(exitCode: $0) }),
            desiredState: desired)
    }

    @Test("every task of the slot shut down after failures: given up, naming the policy and the latest failure")
    func slotAbandoned() throws {
        let tasks = [
            Self.task("t1", slot: 1, desired: "shutdown", state: "failed", at: 1, exitCode: 255),
            Self.task("t2", slot: 1, desired: "shutdown", state: "failed", at: 9, exitCode: 255),
        ]
        let reason = try #require(RestartExhaustion.reason(for: Self.service(maxAttempts: 1), tasks: tasks))
        #expect(reason.contains("restart_policy.max_attempts: 1"), "\(reason)")
        #expect(reason.contains("2 failed task(s)"), "\(reason)")
        #expect(reason.contains("task t2 failed: task: non-zero exit (255) (exit code 255)"), "\(reason)")
    }

    @Test("a slot waiting for its restart delay, or starting, is not given up")
    func stillRetrying() {
        let tasks = [
            Self.task("t1", slot: 1, desired: "shutdown", state: "failed", at: 1),
            Self.task("t2", slot: 1, desired: "running", state: "ready", at: 3),
        ]
        #expect(RestartExhaustion.reason(for: Self.service(maxAttempts: 5), tasks: tasks) == nil)
    }

    @Test("unlimited attempts, a running service, or a global service: never looked at")
    func notPossible() {
        #expect(!RestartExhaustion.isPossible(for: Self.service(maxAttempts: nil)))
        #expect(!RestartExhaustion.isPossible(for: Self.service(maxAttempts: 0)))
        #expect(!RestartExhaustion.isPossible(for: Self.service(maxAttempts: 3, running: 1)))
        var global = Self.service(maxAttempts: 3)
        global.spec?.mode = ServiceSpec.Mode(global: EmptyObject())
        #expect(!RestartExhaustion.isPossible(for: global))
        #expect(RestartExhaustion.isPossible(for: Self.service(maxAttempts: 3)))
    }

    @Test("with two replicas, one abandoned slot while the other runs is given up")
    func oneOfTwoSlots() {
        let tasks = [
            Self.task("a1", slot: 1, desired: "running", state: "running", at: 1),
            Self.task("b1", slot: 2, desired: "shutdown", state: "failed", at: 2),
            Self.task("b2", slot: 2, desired: "shutdown", state: "failed", at: 5),
        ]
        let reason = RestartExhaustion.reason(for: Self.service(maxAttempts: 1, desired: 2, running: 1), tasks: tasks)
        #expect(reason?.contains("task b2 failed") == true, "\(String(describing: reason))")
    }

    @Test("a slot that completed without failing (exit 0 under on-failure) is not restarted by up")
    func completedIsNotFailure() {
        let tasks = [Self.task("t1", slot: 1, desired: "shutdown", state: "complete", at: 1)]
        #expect(RestartExhaustion.reason(for: Self.service(maxAttempts: 3), tasks: tasks) == nil)
    }
}
