import Foundation
import Testing

@testable import DockerEngine

/// "No suitable node" becomes a failure after a grace; during an update the service's own old tasks still hold
/// their host ports, so the grace starts only once they are gone.
@Suite("The scheduling grace of a pending task")
struct SchedulingGraceTests {
    static func stamp(secondsAgo: TimeInterval) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date().addingTimeInterval(-secondsAgo))
    }

    static let service = Service(
        id: "svc", createdAt: stamp(secondsAgo: 120),
        spec: ServiceSpec(name: "it_api", taskTemplate: TaskSpec(containerSpec: ContainerSpec(image: "web:2"))),
        serviceStatus: Service.ServiceStatus(runningTasks: 0, desiredTasks: 1))

    static func pending(createdSecondsAgo: TimeInterval) -> SwarmTask {
        SwarmTask(
            id: "new", createdAt: stamp(secondsAgo: createdSecondsAgo), serviceID: "svc", slot: 1,
            status: SwarmTask.Status(
                timestamp: stamp(secondsAgo: createdSecondsAgo), state: "pending",
                err: "no suitable node (host-mode port already in use on 1 node)"),
            desiredState: "running")
    }

    static func old(state: String, secondsAgo: TimeInterval) -> SwarmTask {
        SwarmTask(
            id: "old", createdAt: stamp(secondsAgo: 100), serviceID: "svc", slot: 1,
            status: SwarmTask.Status(timestamp: stamp(secondsAgo: secondsAgo), state: state), desiredState: "shutdown")
    }

    func phase(_ tasks: [SwarmTask]) -> String {
        "\(DockerClusterDriver.convergence(of: Self.service, tasks: tasks, stable: [], recheckIn: nil).phase)"
    }

    @Test("pending past the grace with nothing of its own in the way: a failure in the scheduler's words")
    func stuck() {
        #expect(phase([Self.pending(createdSecondsAgo: 30)]).contains("host-mode port already in use"))
    }

    @Test("while the service's own old task is still stopping, the wait is expected, however long")
    func oldTaskStillStopping() {
        #expect(phase([Self.pending(createdSecondsAgo: 30), Self.old(state: "running", secondsAgo: 40)]) == "progressing")
    }

    @Test("the grace counts from when the old task finished")
    func graceFromTheOldTasksEnd() {
        #expect(phase([Self.pending(createdSecondsAgo: 30), Self.old(state: "shutdown", secondsAgo: 3)]) == "progressing")
        #expect(phase([Self.pending(createdSecondsAgo: 30), Self.old(state: "shutdown", secondsAgo: 15)]).contains("cannot be scheduled"))
    }
}
