import Foundation
import SprocketCore
import Testing

@Suite("DesiredStateBuilder")
struct DesiredStateBuilderTests {
    let desired = StackFixture.desired(StackFixture.standard)

    func layer(_ name: String) throws -> DesiredLayer { try #require(desired.layer(named: name)) }

    @Test("networks, volumes and services are named <stack>-<env>_<name>")
    func dockerNames() throws {
        #expect(try layer("edge").networks.map(\.dockerName) == ["it-dev_front"])
        #expect(try layer("data").volumes.map(\.dockerName) == ["it-dev_pgdata"])
        #expect(desired.layers.flatMap(\.services).map(\.dockerName) == ["it-dev_proxy", "it-dev_db", "it-dev_api"])
        let api = try #require(desired.service("api"))
        #expect(api.definition.networks.map(\.network) == ["it-dev_back", "it-dev_front"], "sorted by Docker name")
        let db = try #require(desired.service("db"))
        #expect(db.definition.mounts == [MountDefinition(type: "volume", source: "it-dev_pgdata", target: "/var/lib/postgresql/data", readOnly: false)])
    }

    @Test("configs are versioned with a 12-hex content suffix, secrets with `k` and 12 hex of a keyed fingerprint",
          arguments: [("app-conf", ""), ("db-password", "k")])
    func versionedNames(_ name: String, marker: String) throws {
        let object = try #require(desired.layers.flatMap { $0.configs + $0.secrets }.first { $0.name == name })
        #expect(object.dockerName == "it-dev_\(name)_\(object.contentSuffix)")
        #expect(object.contentSuffix.hasPrefix(marker))
        let hex = object.contentSuffix.dropFirst(marker.count)
        #expect(hex.count == 12)
        #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test("the suffix is stable for equal content and changes with the content")
    func suffixFollowsContent() {
        let again = StackFixture.desired(StackFixture.standard)
        let otherConfig = StackFixture.desired(StackFixture.standard.with { $0.edit(layer: "app") { $0.configs[0].content = Array("port: 1\n".utf8) } })
        let otherSecret = StackFixture.desired(StackFixture.standard, secrets: ["db-password": "changed"])
        #expect(again.objectName("app-conf") == desired.objectName("app-conf"))
        #expect(again.objectName("db-password") == desired.objectName("db-password"))
        #expect(otherConfig.objectName("app-conf") != desired.objectName("app-conf"))
        #expect(otherSecret.objectName("db-password") != desired.objectName("db-password"))
        #expect(otherSecret.objectName("app-conf") == desired.objectName("app-conf"))
    }

    @Test("equal content gets a different suffix in another environment and under another name")
    func suffixIsScoped() throws {
        let prod = StackFixture.desired(StackFixture.standard.with { $0.environment = "prod" })
        let devConf = try #require(desired.layer(named: "app")?.configs.first)
        let prodConf = try #require(prod.layer(named: "app")?.configs.first)
        #expect(prodConf.dockerName.hasPrefix("it-prod_app-conf_"))
        #expect(prodConf.contentSuffix != devConf.contentSuffix)

        let twins = StackFixture.desired(StackFixture.stack([
            StackFixture.layer("only", configs: [StackFixture.config("one", "same"), StackFixture.config("two", "same")])
        ]))
        let suffixes = try #require(twins.layer(named: "only")).configs.map(\.contentSuffix)
        #expect(Set(suffixes).count == 2)
    }

    @Test("every object carries the ownership labels, and they win over user labels")
    func ownershipLabels() throws {
        let stack = StackFixture.standard.with {
            $0.edit(layer: "edge") { $0.networks[0].labels = ["team": "web", OwnershipLabel.layer: "forged"] }
            $0.edit(service: "api") { $0.deploy.labels = ["traefik.enable": "true"]; $0.labels = ["container": "label"] }
        }
        let desired = StackFixture.desired(stack)
        func expected(_ layer: String, _ name: String) -> [String: String] {
            [OwnershipLabel.stack: "it", OwnershipLabel.environment: "dev", OwnershipLabel.layer: layer, OwnershipLabel.name: name]
        }
        let edge = try #require(desired.layer(named: "edge"))
        let data = try #require(desired.layer(named: "data"))
        let app = try #require(desired.layer(named: "app"))
        #expect(edge.networks[0].labels == expected("edge", "front").merging(["team": "web"]) { a, _ in a })
        #expect(data.volumes[0].labels == expected("data", "pgdata"))
        #expect(data.secrets[0].labels == expected("data", "db-password"))
        #expect(app.configs[0].labels == expected("app", "app-conf"))
        let api = try #require(desired.service("api"))
        #expect(api.definition.serviceLabels == expected("app", "api").merging(["traefik.enable": "true"]) { a, _ in a })
        #expect(api.definition.containerLabels == ["container": "label"], "container labels stay the user's")
        #expect(api.definition.serviceLabels[OwnershipLabel.specHash] == nil, "the spec hash is derived, not stored in the definition")
    }

    @Test("secrets and configs mount at their default targets as root, read-only for all")
    func defaultTargets() throws {
        let api = try #require(desired.service("api"))
        #expect(api.definition.secrets == [
            FileMountDefinition(objectName: try #require(desired.objectName("db-password")), target: "/run/secrets/db-password", uid: "0", gid: "0", mode: 0o444)
        ])
        #expect(api.definition.configs == [
            FileMountDefinition(objectName: try #require(desired.objectName("app-conf")), target: "/app-conf", uid: "0", gid: "0", mode: 0o444)
        ])
    }

    @Test("explicit targets, owners and modes are kept")
    func explicitTargets() throws {
        let stack = StackFixture.standard.with {
            $0.edit(service: "api") {
                $0.secrets = [FileReference(source: "db-password", target: "/etc/pw", uid: "1000", gid: "1000", mode: 0o400, location: StackFixture.here)]
            }
        }
        let api = try #require(StackFixture.desired(stack).service("api"))
        #expect(api.definition.secrets.map { [$0.target, $0.uid, $0.gid, String($0.mode, radix: 8)] } == [["/etc/pw", "1000", "1000", "400"]])
    }

    @Test(
        "extra_hosts in Compose form become Docker's `IP HOST`",
        arguments: [
            ("db.local:10.0.0.5", "10.0.0.5 db.local"),
            ("db.local=10.0.0.5", "10.0.0.5 db.local"),
            ("v6host:::1", "::1 v6host"),
            ("v6host=2001:db8::1", "2001:db8::1 v6host"),
            ("10.0.0.5 already", "10.0.0.5 already"),
        ])
    func extraHosts(entry: String, docker: String) throws {
        let stack = StackFixture.standard.with { $0.edit(service: "api") { $0.extraHosts = [entry] } }
        let api = try #require(StackFixture.desired(stack).service("api"))
        #expect(api.definition.hosts == [docker])
    }

    @Test("layers are in deploy order from `needs`, whatever the file order")
    func layerOrder() {
        let reversed = StackFixture.standard.with { $0.layers.reverse() }
        let desired = StackFixture.desired(reversed)
        #expect(desired.layers.map(\.name) == ["edge", "data", "app"])
        #expect(desired.layers.map(\.needs) == [[], ["edge"], ["data"]])
    }

    @Test("external networks, configs and secrets keep their own names and carry no labels")
    func externals() throws {
        let stack = StackFixture.stack([
            StackFixture.layer(
                "edge", networks: [StackFixture.network("public", externalName: "traefik-public")],
                configs: [ConfigSpec(name: "ca", source: .external(name: "corp-ca"), content: nil, location: StackFixture.here)],
                secrets: [StackFixture.secret("token", source: .external(name: "corp-token"))],
                services: [StackFixture.service("proxy", networks: ["public"], secrets: ["token"], configs: ["ca"])])
        ])
        let desired = StackFixture.desired(stack)
        let edge = try #require(desired.layer(named: "edge"))
        #expect(edge.networks.map { [$0.dockerName, String($0.isExternal)] } == [["traefik-public", "true"]])
        #expect(edge.configs.map(\.dockerName) == ["corp-ca"])
        #expect(edge.secrets.map(\.dockerName) == ["corp-token"])
        #expect((edge.configs + edge.secrets).allSatisfy { $0.isExternal && $0.labels.isEmpty && $0.content == nil })
        let proxy = try #require(desired.service("proxy"))
        #expect(proxy.definition.networks.map(\.network) == ["traefik-public"])
        #expect(proxy.definition.referencedObjectNames == ["corp-ca", "corp-token"])
    }

    @Test("a secret without a value (offline) gets an `unresolved` name and no content")
    func unresolvedSecret() throws {
        let desired = DesiredStateBuilder(stack: StackFixture.standard, secrets: [:]).build()
        let secret = try #require(desired.layer(named: "data")?.secrets.first)
        #expect(secret.dockerName == "it-dev_db-password_unresolved")
        #expect(secret.content == nil)
        #expect(desired.service("api")?.definition.secrets.first?.objectName == "it-dev_db-password_unresolved")
    }

    @Test(
        "replicas default to 1 for replicated services and are absent for global ones",
        arguments: [(DeploySpec.Mode.replicated, 1), (.global, nil), (.replicatedJob, 1), (.globalJob, nil)] as [(DeploySpec.Mode, Int?)])
    func replicas(mode: DeploySpec.Mode, replicas: Int?) throws {
        let stack = StackFixture.standard.with { $0.edit(service: "api") { $0.deploy.mode = mode } }
        let api = try #require(StackFixture.desired(stack).service("api"))
        #expect(api.definition.mode == mode.rawValue)
        #expect(api.definition.replicas == replicas)
    }

    @Test("the environment is sorted by name, so declaration order makes no diff")
    func environmentSorted() throws {
        let stack = StackFixture.standard.with {
            $0.edit(service: "api") {
                $0.environment = ["ZED", "ALPHA", "MIDDLE"].map { EnvironmentVariable(name: $0, value: "v", location: StackFixture.here) }
            }
        }
        let api = try #require(StackFixture.desired(stack).service("api"))
        #expect(api.definition.env == ["ALPHA=v", "MIDDLE=v", "ZED=v"])
    }

    @Test("the spec hash follows the definition")
    func specHash() throws {
        let api = try #require(desired.service("api"))
        let again = try #require(StackFixture.desired(StackFixture.standard).service("api"))
        let changed = try #require(StackFixture.desired(StackFixture.standard.with { $0.edit(service: "api") { $0.image = "api:2" } }).service("api"))
        #expect(api.specHash == again.specHash)
        #expect(api.specHash != changed.specHash)
        #expect(api.specHash.count == 64)
    }
}
