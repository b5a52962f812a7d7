import DockerEngine
import Foundation
import SprocketTestSupport
import Testing

/// Against the real dockerd (swarm mode) at `DOCKER_HOST` or `/var/run/docker.sock`. These tests fail, not skip,
/// when the daemon is unreachable: CI starts it before `swift test`.
@Suite("DockerClient against the real daemon")
struct RealDaemonTests {
    @Test("negotiates the API version from /_ping and sees an active swarm")
    func negotiateAndInfo() async throws {
        try await withDocker { docker, _ in
            let ping = try await docker.ping()
            let server = try #require(ping.apiVersion.flatMap(DockerAPIVersion.init))
            let version = try await docker.negotiateVersion()
            #expect(version == min(server, .maximumSupported))
            #expect(version >= .minimumSupported)
            let info = try await docker.info()
            #expect(info.swarm?.isActive == true, "run: docker swarm init --advertise-addr 127.0.0.1")
            #expect(info.swarm?.controlAvailable == true)
            let daemonVersion = try await docker.version()
            #expect(daemonVersion.apiVersion == ping.apiVersion)
            let nodes = try await docker.listNodes()
            let nodeID = try #require(info.swarm?.nodeID)
            #expect(nodes.contains { $0.id == nodeID })
            #expect(try await docker.inspectNode(nodeID).spec?.role == "manager")
        }
    }

    @Test("creates, inspects, lists by label and removes an overlay network")
    func networkLifecycle() async throws {
        try await withDocker { docker, cleanup in
            let name = uniqueName("net")
            let created = try await docker.createNetwork(
                NetworkCreateRequest(
                    name: name, checkDuplicate: true, driver: "overlay", attachable: true,
                    labels: testLabel.merging(["io.sprocket.stack": name]) { $1 }
                )
            )
            cleanup.push { try? await docker.removeNetwork(created.id) }
            // Right after creation Swarm's allocator may not have filled in the driver yet (dockerd 20.10 then
            // reports Driver ""), so wait for the network to settle.
            let inspected = try await eventually(
                timeout: .seconds(15), interval: .milliseconds(200), "network allocation"
            ) {
                let network = try await docker.inspectNetwork(name)
                return network.driver?.isEmpty == false ? network : nil
            }
            #expect(inspected.id == created.id)
            #expect(inspected.driver == "overlay")
            #expect(inspected.scope == "swarm")
            #expect(inspected.attachable == true)
            let listed = try await docker.listNetworks(filters: .label("io.sprocket.stack", name))
            #expect(listed.map(\.id) == [created.id])
            try await docker.removeNetwork(created.id)
            await #expect { _ = try await docker.inspectNetwork(created.id) } throws: {
                ($0 as? DockerClientError)?.isNotFound == true
            }
        }
    }

    @Test("creates a config whose data round-trips, lists it by label and removes it")
    func configLifecycle() async throws {
        try await withDocker { docker, cleanup in
            let name = uniqueName("conf")
            let content = Array("listen 8080;\nunicode: ✓\n".utf8)
            let id = try await docker.createConfig(
                SwarmConfig.Spec(
                    name: name, labels: testLabel.merging(["io.sprocket.stack": name]) { $1 }, content: content)
            )
            cleanup.push { try? await docker.removeConfig(id) }
            let config = try await docker.inspectConfig(id)
            #expect(config.spec?.name == name)
            #expect(config.spec?.content == content)
            #expect(try await docker.listConfigs(filters: .label("io.sprocket.stack", name)).map(\.id) == [id])
            await #expect {
                _ = try await docker.createConfig(SwarmConfig.Spec(name: name, content: content))
            } throws: { ($0 as? DockerClientError)?.isConflict == true }
            try await docker.removeConfig(id)
            await #expect { _ = try await docker.inspectConfig(id) } throws: {
                ($0 as? DockerClientError)?.isNotFound == true
            }
        }
    }

    @Test("creates a secret, never reads its data back, lists it by label and removes it")
    func secretLifecycle() async throws {
        try await withDocker { docker, cleanup in
            let name = uniqueName("secret")
            let id = try await docker.createSecret(
                SwarmSecret.Spec(
                    name: name, labels: testLabel.merging(["io.sprocket.stack": name]) { $1 },
                    value: Array("s3cr3t".utf8))
            )
            cleanup.push { try? await docker.removeSecret(id) }
            let secret = try await docker.inspectSecret(name)
            #expect(secret.id == id && secret.spec?.name == name)
            #expect(secret.spec?.data == nil)
            #expect(try await docker.listSecrets(filters: .label("io.sprocket.stack", name)).map(\.id) == [id])
            try await docker.removeSecret(id)
            await #expect { _ = try await docker.inspectSecret(id) } throws: {
                ($0 as? DockerClientError)?.isNotFound == true
            }
        }
    }

    @Test("creates, lists by label and removes a volume")
    func volumeLifecycle() async throws {
        try await withDocker { docker, cleanup in
            let name = uniqueName("vol")
            let volume = try await docker.createVolume(
                VolumeCreateRequest(
                    name: name, driver: "local", labels: testLabel.merging(["io.sprocket.stack": name]) { $1 })
            )
            cleanup.push { try? await docker.removeVolume(name, force: true) }
            #expect(volume.name == name && volume.labels?["io.sprocket.stack"] == name)
            #expect(try await docker.inspectVolume(name).driver == "local")
            let listed = try await docker.listVolumes(filters: .label("io.sprocket.stack", name))
            #expect(listed.volumes?.map(\.name) == [name])
            try await docker.removeVolume(name)
            await #expect { _ = try await docker.inspectVolume(name) } throws: {
                ($0 as? DockerClientError)?.isNotFound == true
            }
        }
    }
}
