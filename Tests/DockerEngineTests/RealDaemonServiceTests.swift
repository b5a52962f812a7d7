import DockerEngine
import Foundation
import SprocketTestSupport
import Testing

@Suite("Service lifecycle against the real daemon")
struct RealDaemonServiceTests {
    @Test("create → running → update with version → logs → tasks → stale update fails verbatim → remove")
    func serviceLifecycle() async throws {
        try await DockerTestImages.ensureBusybox()
        try await withDocker { docker, cleanup in
            let name = uniqueName("svc")
            let windowStart = Date()
            var spec = ServiceSpec(
                name: name,
                labels: testLabel.merging(["io.sprocket.stack": name]) { $1 },
                taskTemplate: TaskSpec(
                    containerSpec: ContainerSpec(
                        image: DockerTestImages.busybox,
                        command: ["sh", "-c", "echo hello-from-$GREETING; echo to-stderr >&2; sleep 3600"],
                        env: ["GREETING=one"],
                        stopGracePeriod: 1_000_000_000
                    ),
                    restartPolicy: .init(condition: "none")
                ),
                mode: .replicated(1),
                endpointSpec: .init(mode: "dnsrr")
            )
            let created = try await docker.createService(spec)
            cleanup.push { try? await docker.removeService(created.id) }
            // Read the create event at once: dockerd keeps only its last 256 events, and the rest of the suite
            // (running in parallel) pushes older ones out within seconds.
            let createEvents = try await docker.events(
                since: windowStart.addingTimeInterval(-1), until: Date().addingTimeInterval(1),
                filters: ["type": ["service"], "service": [created.id]])
            #expect(createEvents.contains { $0.action == "create" && $0.actor?.id == created.id })

            let firstTask = try await Self.waitForRunningTask(docker, service: created.id)
            #expect(firstTask.spec?.containerSpec?.env == ["GREETING=one"])

            let before = try await docker.inspectService(created.id)
            let versionBefore = try #require(before.version?.index)
            // Docker fills in defaults (Isolation, Runtime, ForceUpdate), so compare what we set.
            #expect(before.spec?.name == name && before.spec?.labels == spec.labels)
            #expect(before.spec?.endpointSpec?.mode == "dnsrr")
            #expect(before.previousSpec == nil)

            spec.taskTemplate?.containerSpec?.env = ["GREETING=two"]
            let updatedAt = Date()
            try await docker.updateService(created.id, version: versionBefore, spec: spec)
            // At once, like the create event (dockerd's 256-event log).
            let updateEvents = try await docker.events(
                since: updatedAt.addingTimeInterval(-1), until: Date().addingTimeInterval(1),
                filters: ["type": ["service"], "service": [created.id]]
            )
            #expect(updateEvents.contains { $0.action == "update" })
            let after = try await docker.inspectService(created.id)
            #expect(try #require(after.version?.index) > versionBefore)
            #expect(after.previousSpec?.taskTemplate?.containerSpec?.env == ["GREETING=one"])
            #expect(after.spec?.taskTemplate?.containerSpec?.env == ["GREETING=two"])

            // Updating again with the version we read before the first update must be refused by Swarm.
            await #expect {
                try await docker.updateService(created.id, version: versionBefore, spec: spec)
            } throws: { error in
                guard case DockerClientError.http(_, "POST", let path, let message) = error else { return false }
                return path.hasSuffix("/services/\(created.id)/update") && message.contains("update out of sequence")
            }

            _ = try await eventually("the updated task to run") {
                let tasks = try await docker.listTasks(filters: ["service": [created.id], "desired-state": ["running"]])
                return tasks.first { $0.status?.state == "running" && $0.spec?.containerSpec?.env == ["GREETING=two"] }
            }
            let lines = try await eventually("both greetings in the service logs") {
                let lines = try await docker.serviceLogs(created.id, tail: 100, timestamps: true, timeout: .seconds(20))
                let texts = Set(lines.map(\.text))
                return texts.isSuperset(of: ["hello-from-one", "hello-from-two"]) ? lines : nil
            }
            #expect(lines.contains { $0.stream == .stderr && $0.text == "to-stderr" })
            #expect(lines.allSatisfy { $0.timestamp != nil })

            let allTasks = try await docker.listTasks(filters: ["service": [created.id]])
            #expect(allTasks.count >= 2)
            #expect(allTasks.allSatisfy { $0.serviceID == created.id })

            let listed = try await docker.listServices(filters: .label("io.sprocket.stack", name), status: true)
            #expect(listed.map(\.id) == [created.id])
            #expect(listed.first?.serviceStatus?.desiredTasks == 1)


            try await docker.removeService(created.id)
            await #expect { _ = try await docker.inspectService(created.id) } throws: {
                ($0 as? DockerClientError)?.isNotFound == true
            }
        }
    }

    static func waitForRunningTask(_ docker: DockerClient, service: String) async throws -> SwarmTask {
        try await eventually("a running task of \(service)") {
            let tasks = try await docker.listTasks(filters: ["service": [service]])
            if let failed = tasks.first(where: { ["failed", "rejected"].contains($0.status?.state) }) {
                throw TaskFailed(status: failed.status)
            }
            return tasks.first { $0.status?.state == "running" }
        }
    }

    struct TaskFailed: Error, CustomStringConvertible {
        var status: SwarmTask.Status?
        var description: String { "task failed: \(status?.state ?? "?") \(status?.err ?? status?.message ?? "")" }
    }
}
