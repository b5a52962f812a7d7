import Foundation
import SprocketTestSupport
import Testing

/// A private registry as a team runs one (TLS with its own CA, an htpasswd user) on the test network of a two-node
/// ``MultiNodeSwarm``: `images lock` pins the digest with the user's `docker login` credentials, and `up` sends them
/// with the service (`X-Registry-Auth`) so that the worker, which has never seen the image's name, pulls it.
@Suite("A private registry that the nodes of a swarm pull from", .tags(.integration))
struct MultiNodeRegistryTests {
    @Test("images lock with docker login's credentials; up runs image@digest on the worker, pulled with the credentials up sent (registry)")
    func workerPullsPrivateImage() async throws {
        try await DockerTestImages.ensureBusybox()
        let harness = MultiNodeSwarm(nodes: 2)
        try await MultiNodeSwarm.with(harness, images: [DockerTestImages.busybox]) { swarm in
            let registry = try await RegistryTestServer.start(address: swarm.hostAddress)
            defer { registry.stop() }
            let password = "canary-mn-registry-\(UUID().uuidString.prefix(8))"
            try await registry.secure(user: "deployer", password: password)
            try registry.trustForDocker()
            let digest = try await registry.push(DockerTestImages.busybox, as: "team/private", tag: "1", login: ("deployer", password))

            let folder = try TemporaryDirectory(prefix: "sprocket-spec")
            defer { folder.remove() }
            let login = try TemporaryDirectory(prefix: "sprocket-docker-config")
            defer { login.remove() }
            let auth = Data("deployer:\(password)".utf8).base64EncodedString()
            try login.write("config.json", #"{"auths": {"\#(registry.host)": {"auth": "\#(auth)"}}}"#)
            let stack = "it-mnreg-\(UUID().uuidString.prefix(6).lowercased())"
            try folder.write("stack.yaml", "stack: \(stack)\nlayers: [app]\n")
            try folder.write("app.yaml", """
                services:
                  app:
                    image: \(registry.host)/team/private:1
                    command: ["sh", "-c", "sleep 100000"]
                    stop_grace_period: 1s
                    deploy:
                      endpoint_mode: dnsrr
                      placement: {constraints: ["node.role == worker"]}
                """)
            let deploy = MultiNodeDeployment(swarm: swarm, folder: folder.path, stack: stack)
            let lock = try await deploy.cli("images", "lock", environment: ["DOCKER_CONFIG": login.path])
            #expect(lock.status == 0 && lock.stdout.contains(digest), "\(lock.stdout)\(lock.stderr)\n\(registry.logTail())")

            let up = try await deploy.cli("up", "--yes", environment: ["DOCKER_CONFIG": login.path])
            #expect(up.status == 0, "\(up.stdout)\(up.stderr)\n--- worker log:\n\(swarm.nodes[1].logTail())")
            let running = try await deploy.runningNodes("app")
            let worker = try await swarm.manager.docker(["node", "ls", "--filter", "role=worker", "-q"]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(running == [worker], "the task runs on the worker: \(running) vs \(worker)")
            let image = try await swarm.manager.docker(["service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", deploy.dockerName("app")])
            #expect(image.trimmingCharacters(in: .whitespacesAndNewlines) == "\(registry.host)/team/private:1@\(digest)")
            let pulled = try await swarm.nodes[1].docker(["image", "ls", "--digests", "--format", "{{.Repository}}@{{.Digest}}"])
            #expect(pulled.contains("\(registry.host)/team/private@\(digest)"), "the worker pulled the image from the registry: \(pulled)")
            for output in [lock, up] { #expect(!output.stdout.contains(password) && !output.stderr.contains(password), "the password leaked") }
            let spec = try await swarm.manager.docker(["service", "inspect", deploy.dockerName("app")])
            #expect(!spec.contains(password) && !spec.contains(auth), "the credentials are not in the service spec")
        }
        #expect(try await harness.leftovers() == [], "the harness left these behind")
    }
}
