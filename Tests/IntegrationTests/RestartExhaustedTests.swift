import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// A service whose restart attempts Swarm used up (each daemon restart kills a task: exit 255, a failure) stays
/// down for good although its spec is unchanged; `up` must plan a restart for it and bring it back.
@Suite("A service Swarm gave up restarting", .tags(.integration))
struct RestartExhaustedTests {
    @Test("plan names it with the policy and the last failure, up restarts it, and the next plan is empty")
    func upRestartsAnAbandonedService() async throws {
        try await SwarmTestStack.with(prefix: "gaveup") { stack in
            try stack.write("stack.yaml", "stack: {{stack}}\nlayers: [app]\n")
            try stack.write("app.yaml", """
                services:
                  fragile:
                    image: \(DockerTestImages.busybox)
                    command: ["sleep", "100000"]
                    stop_grace_period: 1s
                    deploy:
                      endpoint_mode: dnsrr
                      restart_policy: {condition: on-failure, delay: 1s, max_attempts: 1}
                """)
            try await stack.up(environment: nil)
            #expect(!(try await stack.plan(environment: nil)).hasChanges, "a running service needs nothing")

            // Two failures: the first is restarted (one attempt allowed), after the second Swarm gives up.
            for _ in 0..<2 {
                let containerID = try await Self.runningContainer(of: stack)
                let killed = try await CLIBinary.runDetached(["kill", containerID], executable: "/usr/bin/docker")
                #expect(killed.status == 0, "\(killed.stderr)")
                try await Self.waitUntilNotRunning(containerID, stack: stack)
            }
            try await Self.waitUntilAbandoned(stack)

            let plan = try await stack.plan(environment: nil)
            let change = try #require(plan.layers.flatMap(\.changes).first { $0.resource.name == "fragile" }, "\(plan.layers)")
            #expect(change.action == .update && change.fields.isEmpty)
            #expect(change.reason?.contains("restart_policy.max_attempts: 1") == true, "\(String(describing: change.reason))")
            #expect(change.reason?.contains("exit code 137") == true, "names the last failure: \(String(describing: change.reason))")

            let result = try await stack.up(environment: nil)
            #expect(result.applied)
            #expect(stack.events.contains { event in
                if case .changeSucceeded(let change, _) = event { return change.isRestart && change.resource.name == "fragile" }
                return false
            })
            let service = try #require(try await stack.services().first)
            #expect(service.serviceStatus?.runningTasks == 1)
            #expect(!(try await stack.plan(environment: nil)).hasChanges, "running again: nothing left to do")
        }
    }

    /// The container of the service's task that runs now (waits for one).
    static func runningContainer(of stack: SwarmTestStack) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let service = try #require(try await stack.services().first)
            let tasks = try await stack.client.listTasks(filters: DockerFilters(["service": [service.id], "desired-state": ["running"]]))
            if let id = tasks.first(where: { $0.status?.state == "running" })?.status?.containerStatus?.containerID { return id }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw SprocketError(.convergence, "no task of the service runs after 60 s")
    }

    static func waitUntilNotRunning(_ containerID: String, stack: SwarmTestStack) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let service = try #require(try await stack.services().first)
            let tasks = try await stack.client.listTasks(filters: DockerFilters(["service": [service.id]]))
            let task = tasks.first { $0.status?.containerStatus?.containerID == containerID }
            if let state = task?.status?.state, state != "running" { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw SprocketError(.convergence, "the killed container's task still runs after 60 s")
    }

    /// Waits until no task of the service is meant to run any more: Swarm has given up.
    static func waitUntilAbandoned(_ stack: SwarmTestStack) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let service = try #require(try await stack.services().first)
            let tasks = try await stack.client.listTasks(filters: DockerFilters(["service": [service.id]]))
            if !tasks.isEmpty, tasks.allSatisfy({ $0.desiredState == "shutdown" }) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw SprocketError(.convergence, "Swarm still restarts the service after 60 s")
    }
}
