import DockerEngine
import Foundation
import Logging
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("Failures are reported and lose nothing", .tags(.integration))
struct FailureHandlingTests {
    @Test("a crashing service fails up with its task error and logs, and the next layer is not deployed")
    func crashingServiceStopsTheRun() async throws {
        try await SwarmTestStack.with(prefix: "crash") { stack in
            try stack.write("stack.yaml", "stack: {{stack}}\nlayers: [base, broken, top]\n")
            try stack.write("base.yaml", """
                services:
                  fine:
                    image: sprocket-local/busybox:latest
                    command: ["sh", "-c", "sleep 100000"]
                    stop_grace_period: 1s
                    deploy: { endpoint_mode: dnsrr }
                """)
            try stack.write("broken.yaml", """
                needs: [base]
                timeout: 60s
                services:
                  crasher:
                    image: sprocket-local/busybox:latest
                    command: ["sh", "-c", "echo boom-marker-line; exit 3"]
                    deploy:
                      endpoint_mode: dnsrr
                      restart_policy: { condition: any, delay: 1s }
                """)
            try stack.write("top.yaml", """
                needs: [broken]
                services:
                  never:
                    image: sprocket-local/busybox:latest
                    command: ["sh", "-c", "sleep 100000"]
                    deploy: { endpoint_mode: dnsrr }
                """)
            let started = ContinuousClock.now
            let error = await #expect(throws: SprocketError.self) {
                try await stack.up(environment: nil)
            }
            #expect(ContinuousClock.now - started < .seconds(90))
            let message = String(describing: try #require(error))
            // The run created `fine` and `crasher`: rolling back removes both, and says why.
            #expect(error?.code == .rolledBack)
            #expect(message.contains("rolled back: crasher, fine") || message.contains("rolled back: fine, crasher"), "\(message)")
            #expect(message.contains("crasher"))
            #expect(message.contains("exit code 3"), "names the task error: \(message)")
            #expect(message.contains("boom-marker-line"), "shows the last log lines: \(message)")
            let names = try await stack.services().compactMap(\.spec?.name)
            #expect(!names.contains { $0.hasSuffix("_never") }, "the next layer must not be deployed")
            #expect(names.isEmpty, "the services this run created are removed by the rollback: \(names)")
            let runs = try stack.deployment().store(for: StackIdentity(stack: stack.stackName, environment: "default")).runs()
            #expect(runs.last?.outcome == .rolledBack)
        }
    }

    @Test("an update to a broken image is rolled back: the previous version serves again and history says so")
    func brokenUpdateIsRolledBack() async throws {
        try await SwarmTestStack.with(prefix: "rb") { stack in
            try TwoLayerSpec.write(to: stack, bluePort: 18_191, greenPort: 18_192)
            let environment = ["IT_TOKEN": "token"]
            try await stack.up(environment: "blue", processEnvironment: environment)
            #expect(await HTTPProbe.waitForAnswer(port: 18_191) != nil)

            let broken = environment.merging(["SPROCKET_API_IMAGE": "sprocket-local/does-not-exist:1"]) { $1 }
            let error = await #expect(throws: SprocketError.self) {
                try await stack.up(environment: "blue", processEnvironment: broken)
            }
            #expect(error?.code == .rolledBack)
            #expect(String(describing: error).contains("rolled back: api"))
            let api = try #require(try await stack.services(environment: "blue").first { ($0.spec?.name ?? "").hasSuffix("_api") })
            #expect(api.spec?.taskTemplate?.containerSpec?.image == "sprocket-local/web:1")
            #expect(await HTTPProbe.waitForAnswer(port: 18_191) != nil, "the previous version serves again")
            let runs = try stack.deployment().store(for: StackIdentity(stack: stack.stackName, environment: "blue")).runs()
            #expect(runs.last?.outcome == .rolledBack)
            #expect(!(try await stack.plan(environment: "blue", processEnvironment: environment)).hasChanges, "the cluster is back at the last good spec")
        }
    }

    @Test("a host port already taken fails the run quickly with the scheduler's reason, not after the layer timeout")
    func hostPortConflictFailsFast() async throws {
        try await SwarmTestStack.with(prefix: "port") { stack in
            // Another service (labelled with this test's stack, so the fixture removes it) holds the port.
            let blocker = ServiceSpec(
                name: "\(stack.stackName)-blocker", labels: ["io.sprocket.stack": stack.stackName],
                taskTemplate: TaskSpec(containerSpec: ContainerSpec(image: "sprocket-local/busybox:latest", args: ["httpd", "-f", "-p", "8080"])),
                mode: .replicated(1),
                endpointSpec: ServiceSpec.EndpointSpec(mode: "dnsrr", ports: [ServiceSpec.PortConfig(protocol: "tcp", targetPort: 8080, publishedPort: 18_197, publishMode: "host")]))
            _ = try await stack.client.createService(blocker)
            #expect(await HTTPProbe.waitForAnswer(port: 18_197) != nil)
            try TwoLayerSpec.write(to: stack, bluePort: 18_197, greenPort: 18_198)
            let started = ContinuousClock.now
            let error = await #expect(throws: SprocketError.self) {
                try await stack.up(environment: "blue", processEnvironment: ["IT_TOKEN": "token"])
            }
            #expect(ContinuousClock.now - started < .seconds(60), "fails within seconds, not at the 90 s layer timeout")
            #expect(String(describing: error).contains("host-mode port already in use"), "\(String(describing: error))")
        }
    }

    @Test("two runs at once: one proceeds, the other fails at once naming the holder")
    func concurrentRunsAreSerialisedByTheLock() async throws {
        try await SwarmTestStack.with(prefix: "lock") { stack in
            try TwoLayerSpec.write(to: stack, bluePort: 18_187, greenPort: 18_188)
            let environment = ["IT_TOKEN": "token"]
            async let first: Deployment.Result = stack.up(environment: "blue", processEnvironment: environment)
            try await Task.sleep(for: .milliseconds(400))
            let started = ContinuousClock.now
            let error = await #expect(throws: SprocketError.self) {
                try await stack.up(environment: "blue", processEnvironment: environment)
            }
            #expect(ContinuousClock.now - started < .seconds(5), "the second run must fail at once, not wait")
            #expect(error?.code == .locked)
            #expect(String(describing: error).contains("pid \(getpid())"))
            let result = try await first
            #expect(result.applied)
            #expect(!(try await stack.plan(environment: "blue", processEnvironment: environment)).hasChanges)
        }
    }

    @Test("a run killed with SIGKILL mid-deploy is finished by the next up, without duplicates")
    func killedRunConvergesOnRetry() async throws {
        try await SwarmTestStack.with(prefix: "kill") { stack in
            try TwoLayerSpec.write(to: stack, bluePort: 18_189, greenPort: 18_190)
            // The base layer gets a service that turns healthy only once the test creates `ready` in the host
            // folder it mounts: the run is certainly still in its first layer when the kill lands.
            let signal = try TemporaryDirectory(prefix: "kill-signal")
            defer { signal.remove() }
            try stack.write("base.yaml", TwoLayerSpec.base + "\n" + """
                  late:
                    image: sprocket-local/busybox:latest
                    command: ["sleep", "100000"]
                    volumes:
                      - \(signal.path):/signal
                    healthcheck: {test: "test -f /signal/ready", interval: 1s, timeout: 2s, retries: 600}
                    stop_grace_period: 1s
                    deploy: { endpoint_mode: dnsrr }
                """)
            let environment = ["IT_TOKEN": "token"]
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try CLIBinary.path())
            process.arguments = ["up", "-f", stack.folder.path, "--env", "blue", "--yes"]
            var processEnvironment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            processEnvironment["SPROCKET_STATE_DIR"] = "\(stack.stateFolder.path)/\(stack.stackName)/blue"
            processEnvironment["SPROCKET_KEY_FILE"] = stack.keyFile
            process.environment = processEnvironment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Kill once the waiting service exists: the run is then waiting for its first layer.
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, process.isRunning,
                try await !stack.services().contains(where: { $0.spec?.name?.hasSuffix("_late") == true })
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(process.isRunning, "the run ended before the slow service existed")
            kill(process.processIdentifier, SIGKILL)
            // Not waitUntilExit(): blocking one of the cooperative pool's few threads starves the other tests.
            while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            #expect(process.terminationReason == .uncaughtSignal)
            FileManager.default.createFile(atPath: "\(signal.path)/ready", contents: Data())

            // The next up finds the killed run's objects, creates what is missing, and ends with exactly the spec's.
            let result = try await stack.up(environment: "blue", processEnvironment: environment)
            let names = try await stack.services(environment: "blue").compactMap(\.spec?.name)
            #expect(names.sorted() == ["api", "front", "late", "worker"].map { "\(stack.stackName)-blue_\($0)" })
            #expect(try await stack.networks().count == 2)
            #expect(!(try await stack.plan(environment: "blue", processEnvironment: environment)).hasChanges)
            let runs = try stack.deployment().store(for: StackIdentity(stack: stack.stackName, environment: "blue")).runs()
            #expect(runs.first?.outcome == .interrupted)
            #expect(runs.last?.outcome == (result.applied ? .succeeded : .interrupted))
        }
    }

    @Test("no daemon at the address: one clear error with the remedy", arguments: [
        DockerEndpoint.unixSocket(path: "/nonexistent/docker.sock"), .tcp(host: "127.0.0.1", port: 1, tls: false),
    ])
    func unreachableDaemonIsExplained(endpoint: DockerEndpoint) async throws {
        let client = DockerClient(endpoint: endpoint, logger: Logger(label: "it"))
        let driver = DockerClusterDriver(client: client)
        let error = await #expect(throws: SprocketError.self) {
            _ = try await driver.observe(StackIdentity(stack: "it-none", environment: "x"))
        }
        try await client.shutdown()
        #expect(error?.code == .engineUnreachable)
        let text = String(describing: error)
        #expect(text.contains("dockerd") && text.contains("DOCKER_HOST"), "\(text)")
    }
}
