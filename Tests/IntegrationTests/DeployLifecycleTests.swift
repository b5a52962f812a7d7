import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

extension SwarmTestStack: SwarmTestStackWriting {}

@Suite("Deploying onto the real swarm", .tags(.integration))
struct DeployLifecycleTests {
    @Test("the quickstart converges, answers HTTP, and a second up changes nothing")
    func quickstartConvergesAndIsIdempotent() async throws {
        try await SwarmTestStack.with(prefix: "qs") { stack in
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("examples/quickstart").path
            for file in try FileManager.default.subpathsOfDirectory(atPath: source) {
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: "\(source)/\(file)", isDirectory: &isDirectory)
                if isDirectory.boolValue { continue }
                let text = try String(contentsOfFile: "\(source)/\(file)", encoding: .utf8)
                try stack.folder.write(file, file == "stack.yaml" ? text.replacingOccurrences(of: "stack: quickstart", with: "stack: \(stack.stackName)") : text)
            }
            let port = 18_180
            let environment = ["SPROCKET_HTTP_PORT": String(port)]
            let first = try await stack.up(environment: "local", processEnvironment: environment)
            #expect(first.applied)
            let services = try await stack.services(environment: "local")
            #expect(services.count >= 3)
            for service in services {
                #expect(service.serviceStatus?.runningTasks == service.serviceStatus?.desiredTasks, "\(service.spec?.name ?? "")")
            }
            let status = try await DockerClusterDriver(client: stack.client).status(StackIdentity(stack: stack.stackName, environment: "local"))
            #expect(Set(status.map(\.layer)) == ["edge", "data", "app"])
            #expect(status.allSatisfy { $0.runningTasks == $0.desiredTasks && $0.desiredTasks > 0 && $0.restarts == 0 })
            #expect(status.first { $0.name == "proxy" }?.image == "sprocket-local/busybox:latest")
            let response = await HTTPProbe.waitForAnswer(port: port)
            #expect(response?.status == 200)
            #expect(response?.body.contains("Hello") == true)

            // Services reach each other by their spec names (`store`, `api`), as under `docker stack deploy`.
            let worker = try #require(services.first { ($0.spec?.name ?? "").hasSuffix("_worker") })
            var sawBoth = false
            for _ in 0..<30 where !sawBoth {
                let lines = try await stack.client.serviceLogs(worker.id, tail: 20).map(\.text)
                sawBoth = lines.contains { $0.contains("store=up api=up") }
                if !sawBoth { try await Task.sleep(for: .seconds(1)) }
            }
            #expect(sawBoth, "the worker reaches store and api by their short names")

            stack.client.resetCallStats()
            let second = try await stack.up(environment: "local", processEnvironment: environment)
            #expect(!second.applied)
            #expect(!second.plan.hasChanges)
            #expect(stack.client.callStats().mutating == 0, "a no-op up must not change anything: \(stack.client.callStats().byRoute)")
            let plan = try await stack.plan(environment: "local", processEnvironment: environment)
            #expect(!plan.hasChanges, "plan right after up: \(plan.allChanges.map(\.description))")
        }
    }

    @Test("changing one service's image updates only that service")
    func imageChangeUpdatesOnlyThatService() async throws {
        try await SwarmTestStack.with(prefix: "img") { stack in
            try TwoLayerSpec.write(to: stack, bluePort: 18_181, greenPort: 18_182)
            let environment = ["IT_TOKEN": "token-one"]
            try await stack.up(environment: "blue", processEnvironment: environment)
            let before = Dictionary(uniqueKeysWithValues: try await stack.services().map { ($0.spec?.name ?? "", $0.version?.index ?? 0) })

            let changed = environment.merging(["SPROCKET_API_IMAGE": "sprocket-local/web:2"]) { $1 }
            let plan = try await stack.plan(environment: "blue", processEnvironment: changed)
            #expect(plan.allChanges.count == 1)
            let change = try #require(plan.allChanges.first)
            #expect(change.action == .update && change.resource == ResourceID(.service, "api"))
            #expect(change.fields.map(\.path) == ["image"])
            #expect(change.description.contains("sprocket-local/web:1 -> sprocket-local/web:2"))

            try await stack.up(environment: "blue", processEnvironment: changed)
            // `up` returns only once the new tasks run: no task of the old image is still serving.
            let api = try #require(try await stack.services().first { ($0.spec?.name ?? "").hasSuffix("_api") })
            let running = try await stack.client.listTasks(filters: DockerFilters(["service": [api.id], "desired-state": ["running"]]))
            #expect(!running.isEmpty)
            #expect(running.allSatisfy { $0.spec?.containerSpec?.image == "sprocket-local/web:2" && $0.status?.state == "running" })
            for service in try await stack.services() {
                let name = service.spec?.name ?? ""
                if name.hasSuffix("_api") {
                    #expect((service.version?.index ?? 0) > (before[name] ?? 0))
                    #expect(service.spec?.taskTemplate?.containerSpec?.image == "sprocket-local/web:2")
                } else {
                    #expect(service.version?.index == before[name], "\(name) must not be touched")
                }
            }
        }
    }

    @Test("a secret's new content is a new object; old versions go once no spec or previous spec needs them")
    func secretRotationKeepsWhatRollbackNeeds() async throws {
        try await SwarmTestStack.with(prefix: "sec") { stack in
            try TwoLayerSpec.write(to: stack, bluePort: 18_183, greenPort: 18_184)
            func tokenSecrets() async throws -> Set<String> {
                Set(try await stack.secrets().compactMap(\.spec?.name).filter { $0.contains("_token_") })
            }
            try await stack.up(environment: "blue", processEnvironment: ["IT_TOKEN": "canary-value-one"])
            let v1 = try await tokenSecrets()
            #expect(v1.count == 1)

            try await stack.up(environment: "blue", processEnvironment: ["IT_TOKEN": "canary-value-two"])
            let afterSecond = try await tokenSecrets()
            #expect(afterSecond.count == 2, "v1 stays: the services' previous specs refer to it")
            let v2 = afterSecond.subtracting(v1)
            for service in try await stack.services() where (service.spec?.name ?? "").hasSuffix("_api") || (service.spec?.name ?? "").hasSuffix("_worker") {
                let mounted = service.spec?.taskTemplate?.containerSpec?.secrets?.compactMap(\.secretName) ?? []
                #expect(Set(mounted) == v2, "\(service.spec?.name ?? "") mounts the new version")
            }

            try await stack.up(environment: "blue", processEnvironment: ["IT_TOKEN": "canary-value-three"])
            let afterThird = try await tokenSecrets()
            #expect(afterThird.isDisjoint(with: v1), "v1 is no longer referenced by any spec or previous spec")
            #expect(afterThird.isSuperset(of: v2), "v2 is still referenced by the previous specs")
            #expect(afterThird.count == 2)

            // The values never reach the state folder, the events, the labels or the service specs.
            for path in try FileManager.default.subpathsOfDirectory(atPath: stack.stateFolder.path) {
                let text = String(decoding: FileManager.default.contents(atPath: "\(stack.stateFolder.path)/\(path)") ?? Data(), as: UTF8.self)
                #expect(!text.contains("canary-value"), "\(path) holds a secret value")
            }
            #expect(!stack.events.map { String(describing: $0) }.joined().contains("canary-value"))
            let specs = try await stack.services().map { String(describing: $0.spec) }.joined()
            #expect(!specs.contains("canary-value"))
        }
    }

    @Test("removing a service removes its config and network, and leaves the other environment alone")
    func removalPrunesOnlyThisEnvironment() async throws {
        try await SwarmTestStack.with(prefix: "rm") { stack in
            try TwoLayerSpec.write(to: stack, bluePort: 18_185, greenPort: 18_186)
            let environment = ["IT_TOKEN": "token"]
            try await stack.up(environment: "blue", processEnvironment: environment)
            try await stack.up(environment: "green", processEnvironment: environment)
            #expect(try await stack.services(environment: "green").count == 3)

            try stack.write("base.yaml", TwoLayerSpec.baseWithoutWorker)
            let plan = try await stack.plan(environment: "blue", processEnvironment: environment)
            let deletions = Set(plan.allChanges.filter { $0.action == .delete }.map(\.resource))
            #expect(deletions.isSuperset(of: [ResourceID(.service, "worker"), ResourceID(.network, "extra"), ResourceID(.config, "worker-conf")]))
            try await stack.up(environment: "blue", processEnvironment: environment)

            let blueNames = try await stack.services(environment: "blue").compactMap(\.spec?.name)
            #expect(!blueNames.contains { $0.hasSuffix("_worker") })
            let networks = try await stack.networks().compactMap(\.name)
            #expect(!networks.contains("\(stack.stackName)-blue_extra"))
            #expect(networks.contains("\(stack.stackName)-green_extra"))
            let configs = try await stack.configs().compactMap(\.spec?.name)
            #expect(!configs.contains { $0.hasPrefix("\(stack.stackName)-blue_worker-conf") })
            #expect(configs.contains { $0.hasPrefix("\(stack.stackName)-green_worker-conf") })
            let green = try await stack.services(environment: "green").compactMap(\.spec?.name)
            #expect(green.contains("\(stack.stackName)-green_worker"), "green is untouched")
        }
    }
}

extension Tag {
    @Tag static var integration: Self
}
