import DockerEngine
import Foundation
import SprocketTestSupport
import Testing

/// `images lock`, `images update` and `up` with a real registry: the lock holds the digest the registry serves, and
/// the swarm runs the service by that digest, pulled from the registry (the pushed tag is removed locally first).
@Suite("images lock and up by digest with a real registry", .tags(.integration))
struct ImagesRegistryDeployTests {
    @Test("lock pins the pushed digest, up runs image@digest pulled from the registry, update moves the pin and up rolls (registry)")
    func lockAndDeployByDigest() async throws {
        let registry = try await RegistryTestServer.start()
        defer { registry.stop() }
        try await SwarmTestStack.with(prefix: "registry") { stack in
            let first = try await registry.push("sprocket-local/web:1", as: "team/web", tag: "stable")
            try stack.write("stack.yaml", "stack: {{stack}}\nlayers: [app]\n")
            try stack.write("app.yaml", """
                services:
                  web:
                    image: \(registry.host)/team/web:stable
                    deploy: {endpoint_mode: dnsrr}
                """)
            let lock = try await stack.sprocketctl(["images", "lock"])
            #expect(lock.status == 0, "\(lock.stdout)\(lock.stderr)\n\(registry.logTail())")
            let locked = try String(contentsOfFile: "\(stack.folder.path)/images.lock", encoding: .utf8)
            #expect(locked.contains(first), "images.lock holds the pushed digest:\n\(locked)")

            let up = try await stack.sprocketctl(["up", "--yes"])
            #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
            #expect(try await image(of: stack) == "\(registry.host)/team/web:stable@\(first)")

            let second = try await registry.push("sprocket-local/web:2", as: "team/web", tag: "stable")
            let update = try await stack.sprocketctl(["images", "update"])
            #expect(update.status == 0 && update.stdout.contains("-> \(second)"), "\(update.stdout)\(update.stderr)")
            let again = try await stack.sprocketctl(["up", "--yes"])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(try await image(of: stack) == "\(registry.host)/team/web:stable@\(second)", "the service rolled to the moved pin")

            registry.stop()
            let unreachable = try await stack.sprocketctl(["images", "update"])
            #expect(unreachable.status == 1 && unreachable.stderr.contains("cannot be reached")
                    && unreachable.stderr.contains("/v2/team/web/manifests/stable"), "\(unreachable.stderr)")
            #expect(try String(contentsOfFile: "\(stack.folder.path)/images.lock", encoding: .utf8).contains(second), "nothing lost")
        }
    }

    /// The image of the stack's one service and whether a task of it runs.
    private func image(of stack: SwarmTestStack) async throws -> String? {
        let services = try await stack.services()
        guard let service = services.first else { return nil }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let tasks = try await stack.client.listTasks(filters: .init(["service": [service.id]]))
            if tasks.contains(where: { $0.status?.state == "running" && $0.desiredState == "running" }) { break }
            try await Task.sleep(for: .milliseconds(300))
        }
        return service.spec?.taskTemplate?.containerSpec?.image
    }
}
