@testable import DockerEngine
import Foundation
import SprocketTestSupport
import Testing

/// The convergence wait's wake-up source against the real daemon: events about watched services wake it, events
/// about others do not.
@Suite("Activity feed from the real daemon's event stream")
struct RealDaemonActivityFeedTests {
    @Test("a service update wakes a feed that watches it; another service's update does not")
    func wakesOnWatchedServiceOnly() async throws {
        try await DockerTestImages.ensureBusybox()
        try await withDocker { docker, cleanup in
            let watchedName = uniqueName("watched")
            let otherName = uniqueName("other")
            // No replicas: no containers start, so the only events are the service updates this test makes.
            func spec(_ name: String, env: String) -> ServiceSpec {
                ServiceSpec(
                    name: name, labels: testLabel,
                    taskTemplate: TaskSpec(containerSpec: ContainerSpec(image: DockerTestImages.busybox, command: ["sleep", "3600"], env: [env])),
                    mode: .replicated(0), endpointSpec: .init(mode: "dnsrr"))
            }
            let watched = try await docker.createService(spec(watchedName, env: "V=1"))
            cleanup.push { try? await docker.removeService(watched.id) }
            let other = try await docker.createService(spec(otherName, env: "V=1"))
            cleanup.push { try? await docker.removeService(other.id) }

            let feed = DockerActivityFeed(client: docker, serviceNames: [watchedName])
            defer { feed.close() }
            // Let the stream connect, then forget anything it saw while connecting.
            try await Task.sleep(for: .milliseconds(500))
            _ = await feed.next(upTo: .milliseconds(10))

            let otherVersion = try #require(try await docker.inspectService(other.id).version?.index)
            try await docker.updateService(other.id, version: otherVersion, spec: spec(otherName, env: "V=2"))
            #expect(await feed.next(upTo: .seconds(2)) == false, "an update of another service woke the feed")

            let watchedVersion = try #require(try await docker.inspectService(watched.id).version?.index)
            try await docker.updateService(watched.id, version: watchedVersion, spec: spec(watchedName, env: "V=2"))
            #expect(await feed.next(upTo: .seconds(20)), "the update of the watched service did not wake the feed")
        }
    }

    @Test("events concern a service by its name attribute or by its task containers' service label")
    func concerns() {
        let watched: Set<String> = ["web"]
        let service = SystemEvent(type: "service", action: "update", actor: .init(id: "s", attributes: ["name": "web"]))
        let container = SystemEvent(
            type: "container", action: "health_status: healthy",
            actor: .init(id: "c", attributes: [DockerActivityFeed.serviceNameLabel: "web"]))
        let otherContainer = SystemEvent(
            type: "container", action: "start", actor: .init(id: "c", attributes: [DockerActivityFeed.serviceNameLabel: "web2"]))
        let network = SystemEvent(type: "network", action: "create", actor: .init(id: "n", attributes: ["name": "web"]))
        #expect(DockerActivityFeed.concerns(service, watched))
        #expect(DockerActivityFeed.concerns(container, watched))
        #expect(!DockerActivityFeed.concerns(otherContainer, watched))
        #expect(!DockerActivityFeed.concerns(network, watched))
    }
}
