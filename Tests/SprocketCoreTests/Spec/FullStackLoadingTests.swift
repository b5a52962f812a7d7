import Foundation
import Testing
@testable import SprocketCore

/// The `full` fixture uses every key of docs/spec.md; each test checks one part of what it loads to.
@Suite("Loading a stack folder")
struct FullStackLoadingTests {
    let stack: StackSpec
    let root: String

    init() throws {
        root = try SpecFixtures.path("full")
        stack = try SpecFixtures.load("full")
    }

    @Test("the stack file gives name, description, environments and layers in file order")
    func stackFile() throws {
        #expect(stack.name == "full")
        #expect(stack.description == "Every key of the spec, in local")
        #expect(stack.environment == "local")
        #expect(stack.declaredEnvironments == ["local", "prod"])
        #expect(stack.layers.map(\.name) == ["edge", "data", "app"])
        #expect(stack.layers.map(\.timeout) == [.seconds(90), .seconds(120), LayerSpec.defaultTimeout])
        #expect(stack.layer(named: "app")?.needs.map(\.name) == ["data"])
        #expect(stack.kind == .stack)
        #expect(stack.rootDirectory == root)
        #expect(stack.location == SourceLocation(file: root + "/stack.yaml", line: 1, column: 1))
        #expect(stack.warnings.isEmpty)
    }

    @Test("a stack.yaml path loads the same stack as its folder")
    func stackFilePath() throws {
        let fromFile = try SpecLoader(processEnvironment: [:]).load(path: root + "/stack.yaml", environment: nil)
        #expect(fromFile.layers == stack.layers)
        #expect(fromFile.settings == stack.settings)
    }

    @Test("networks and volumes keep their options, and external ones their real name")
    func networksAndVolumes() throws {
        let edge = try #require(stack.layer(named: "edge"))
        let network = try #require(edge.networks.first { $0.name == "edge" })
        #expect(network.attachable && !network.isInternal && network.driver == "overlay")
        #expect(network.driverOptions == ["encrypted": ""] && network.labels == ["team": "edge"])
        #expect(edge.networks.first { $0.name == "traefik-ingress" }?.externalName == "traefik-ingress-real")
        let data = try #require(stack.layer(named: "data"))
        let volume = try #require(data.volumes.first { $0.name == "db-data" })
        #expect(volume.driverOptions == ["type": "none", "o": "bind", "device": "/srv/data"] && volume.labels == ["backup": "daily"])
        #expect(data.volumes.first { $0.name == "legacy" }?.externalName == "legacy-volume")
    }

    @Test("configs are read, interpolated and rendered by the loader")
    func configs() throws {
        let configs = try #require(stack.layer(named: "edge")).configs + (stack.layer(named: "data")?.configs ?? [])
        func text(_ name: String) -> String? { configs.first { $0.name == name }?.content.map { String(decoding: $0, as: UTF8.self) } }
        #expect(text("motd") == "hello from local at localhost, literal ${domain}")
        #expect(text("banner") == "full in local")
        let nginx = try #require(text("nginx"))
        #expect(nginx.contains("server_name localhost;\nlisten 8080;"))
        #expect(nginx.contains("# full/local & <raw>"), "templates render as text, not HTML")
        #expect(!nginx.contains("ssl on"))
        #expect(configs.first { $0.name == "nginx" }?.source == .template(path: root + "/templates/nginx.conf.mustache"))
        #expect(configs.first { $0.name == "nginx" }?.labels == ["role": "proxy"])
        #expect(configs.first { $0.name == "app-config" }?.source == .file(path: root + "/layers/config/app.json"))
        #expect(text("app-config") == "{\"log_level\": \"info\"}\n")
        #expect(configs.first { $0.name == "shared-ca" }?.source == .external(name: "company-ca"))
        #expect(configs.first { $0.name == "shared-ca" }?.content == nil)
    }

    @Test("secrets keep only their source, with file paths resolved from the declaring file")
    func secrets() throws {
        let secrets = try #require(stack.layer(named: "data")).secrets
        func source(_ name: String) -> SecretSpec.Source? { secrets.first { $0.name == name }?.source }
        #expect(source("db-password") == .generate(length: 48, alphabet: .hex))
        #expect(source("session-key") == .generate(length: 32, alphabet: .alphanumeric))
        #expect(source("pin") == .generate(length: 8, alphabet: .custom("0123456789")))
        #expect(source("api-key") == .environment(variable: "API_KEY"))
        #expect(source("tls-key") == .file(path: "/etc/hosts"))
        #expect(source("relative-key") == .file(path: root + "/layers/keys/site-key.txt"))
        #expect(source("vault-token") == .external(name: "vault-token"))
    }

    @Test("ports accept every short and long form")
    func ports() throws {
        let proxy = try #require(stack.service("proxy"))
        #expect(proxy.ports.map { [$0.target, $0.published ?? 0] } == [[80, 8080], [443, 0], [8443, 8443], [9000, 9000]])
        #expect(proxy.ports.map(\.transportProtocol) == [.tcp, .tcp, .udp, .tcp])
        #expect(proxy.ports.map(\.mode) == [.ingress, .ingress, .ingress, .host])
        #expect(proxy.configs.map(\.source) == ["nginx", "motd"])
        #expect(proxy.configs.last?.target == "/etc/motd" && proxy.configs.last?.mode == 0o440)
    }

    @Test("a service reads every Compose key of the table")
    func serviceKeys() throws {
        let web = try #require(stack.service("web"))
        #expect(web.image == "registry.example.org/web:hello")
        #expect(web.command == ["sh", "-c", "echo \"$HOME\" && exec web --port 8080", "--verbose"])
        #expect(web.entrypoint == ["/sbin/tini", "--"])
        #expect(web.environment.map { "\($0.name)=\($0.value)" } == ["DOMAIN=localhost", "BASE_URL=https://localhost:8080", "DEBUG=true", "PORT=8080"])
        #expect(web.labels == ["com.example.role": "web", "com.example.tier": "front"])
        #expect(web.user == "1000:1000" && web.workingDirectory == "/srv/app" && web.hostname == "web-local" && web.stopSignal == "SIGTERM")
        #expect(web.stopGracePeriod == .seconds(90))
        #expect(web.initProcess == true && web.readOnlyRootFilesystem == true && web.tty == false)
        #expect(web.capabilitiesAdded == ["NET_ADMIN"] && web.capabilitiesDropped == ["ALL"])
        #expect(web.dnsServers == ["1.1.1.1"] && web.dnsSearch == ["example.org"])
        #expect(web.extraHosts == ["db.internal:10.0.0.5", "cache.internal:10.0.0.6"])
        #expect(web.sysctls == ["net.core.somaxconn": "1024"])
        #expect(web.ulimits == [Ulimit(name: "nproc", soft: 65535, hard: 65535), Ulimit(name: "nofile", soft: 20000, hard: 40000)])
        #expect(web.networks.map(\.name) == ["data", "edge"] && web.networks.first?.aliases == ["web-data"])
        #expect(web.mounts.map(\.kind) == [.volume, .bind, .volume, .tmpfs, .bind])
        #expect(web.mounts.map(\.source) == ["db-data", "/srv/static", nil, nil, "/var/log/web"])
        #expect(web.mounts.map(\.target) == ["/data", "/static", "/cache", "/tmp", "/var/log/web"])
        #expect(web.mounts.map(\.readOnly) == [true, false, false, false, true])
        #expect(web.secrets.map(\.source) == ["db-password", "api-key"])
        #expect(web.secrets.last.map { [$0.target, $0.uid, $0.gid] } == ["/run/secrets/api", "1000", "1000"])
        #expect(web.secrets.last?.mode == 0o400 && web.configs.first?.mode == 292)
        #expect(web.healthcheck?.test == ["CMD", "curl", "-f", "http://localhost:8080/health"])
        #expect(web.healthcheck.map { [$0.interval, $0.timeout, $0.startPeriod] } == [.seconds(10), .seconds(2), .milliseconds(500)])
        #expect(web.healthcheck?.retries == 3)
        #expect(web.logging == LoggingSpec(driver: "json-file", options: ["max-size": "10m", "max-file": "3"]))
    }

    @Test("deploy reads mode, replicas from a setting, resources, placement and policies")
    func deploy() throws {
        let deploy = try #require(stack.service("web")).deploy
        #expect(deploy.mode == .replicated && deploy.replicas == 2 && deploy.endpointMode == .dnsrr)
        #expect(deploy.labels == ["traefik.http.routers.web.rule": "Host(`localhost`)"])
        #expect(deploy.resources.limits == ResourceAmounts(nanoCPUs: 500_000_000, memoryBytes: 512 << 20, pids: 200))
        #expect(deploy.resources.reservations == ResourceAmounts(nanoCPUs: 250_000_000, memoryBytes: 256 << 20))
        #expect(deploy.placement == PlacementSpec(constraints: ["node.role == worker"], spreadPreferences: ["node.labels.zone"], maxReplicasPerNode: 2))
        #expect(deploy.updateConfig == UpdatePolicy(parallelism: 1, delay: .seconds(10), failureAction: .rollback, monitor: .seconds(30),
                                                    maxFailureRatio: 0.1, order: .startFirst))
        #expect(deploy.rollbackConfig == UpdatePolicy(parallelism: 2, failureAction: .pause, order: .stopFirst))
        #expect(deploy.restartPolicy == RestartPolicySpec(condition: .onFailure, delay: .seconds(5), maxAttempts: 3, window: .seconds(120)))
        #expect(stack.service("db")?.deploy.mode == .global)
        #expect(stack.service("migrate")?.deploy.mode == .replicatedJob)
    }

    @Test("healthcheck strings become CMD-SHELL and disable becomes NONE; list environments keep their order")
    func otherForms() throws {
        let worker = try #require(stack.service("worker"))
        #expect(worker.healthcheck?.test == ["CMD-SHELL", "pgrep worker"])
        #expect(worker.command == ["worker", "--queue", "full-local"])
        #expect(worker.environment.map(\.name) == ["QUEUE", "EMPTY"] && worker.environment.last?.value == "")
        #expect(stack.service("migrate")?.healthcheck?.test == ["NONE"])
    }

    @Test("the environment `prod` changes the values that depend on its settings")
    func productionEnvironment() throws {
        let prod = try SpecFixtures.load("full", environment: "prod")
        #expect(prod.environment == "prod")
        #expect(prod.service("web")?.deploy.replicas == 4)
        #expect(prod.service("web")?.deploy.endpointMode == .vip)
        #expect(prod.service("web")?.environment.first?.value == "example.org")
        let banner = prod.layer(named: "edge")?.configs.first { $0.name == "banner" }?.content
        #expect(banner.map { String(decoding: $0, as: UTF8.self) } == "full in prod with TLS")
    }
}
