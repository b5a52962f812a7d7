import DockerEngine
import Foundation
import Logging
import SprocketCore
import SprocketTestSupport
import Testing

/// `postgres.reach: swarm-job` through the built binary on the real swarm: the database is reachable only from
/// inside the cluster (a relay service on an overlay network, in front of a real PostgreSQL), so every plan, apply,
/// check and status runs as a one-shot Swarm job of `sprocketctl` itself.
@Suite("postgres reached from a Swarm job", .tags(.integration))
struct PostgresSwarmJobTests {
    /// The docker_gwbridge gateway: the host address containers reach the test server at.
    static func bridgeGateway(_ client: DockerClient) async throws -> String {
        let bridge = try await client.inspectNetwork("docker_gwbridge")
        return try #require(bridge.ipam?.config?.compactMap(\.gateway).first, "docker_gwbridge has no gateway")
    }

    /// A PostgreSQL server that containers reach at the docker_gwbridge gateway, stopped afterwards pass or fail.
    static func withServerForContainers(_ body: (PostgresTestServer, _ gateway: String) async throws -> Void) async throws {
        let client = DockerClient(endpoint: try DockerEndpoint.fromEnvironment(ProcessInfo.processInfo.environment), logger: Logger(label: "it"))
        let gateway = try await bridgeGateway(client)
        try? await client.shutdown()
        let pg = try await PostgresTestServer.start(alsoListeningOn: [gateway], clients: ["172.16.0.0/12", "10.0.0.0/8"])
        do {
            try await body(pg, gateway)
        } catch {
            await pg.stop()
            throw error
        }
        await pg.stop()
    }

    /// An overlay network and a TCP relay service named `db` on it, in front of `pg`; both carry the stack's
    /// ownership label so the stack's clean-up removes them.
    static func startRelay(_ stack: SwarmTestStack, to pg: PostgresTestServer, gateway: String) async throws -> (network: String, host: String) {
        let labels = [OwnershipLabel.stack: stack.stackName]
        let network = "\(stack.stackName)-dbnet", host = "\(stack.stackName)-db"
        _ = try await stack.client.createNetwork(NetworkCreateRequest(name: network, driver: "overlay", labels: labels))
        let spec = ServiceSpec(
            name: host, labels: labels,
            taskTemplate: TaskSpec(
                containerSpec: ContainerSpec(
                    image: "sprocket-local/busybox:latest", command: ["nc", "-ll", "-p", "5432", "-e", "nc", gateway, "\(pg.port)"]),
                networks: [.init(target: network)]),
            mode: .replicated(1),
            // No IPVS on the test machines: the service name must resolve to the task itself.
            endpointSpec: .init(mode: "dnsrr"))
        let id = try await stack.client.createService(spec).id
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await stack.client.listTasks(filters: DockerFilters(["service": [id]])).contains(where: { $0.status?.state == "running" }) {
                return (network, host)
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        Issue.record("the relay service \(host) did not start")
        return (network, host)
    }

    /// - Parameter stackNetwork: a network the stack itself declares (and its service joins), for `reach.network`.
    static func write(
        _ stack: SwarmTestStack, host: String, port: Int = 5432, reach: String, names: (role: String, database: String), stackNetwork: String? = nil
    ) throws {
        try stack.write("stack.yaml", """
            stack: {{stack}}
            layers: [app]
            postgres:
              host: \(host)
              port: \(port)
              database: postgres
              sslmode: require
              reach: \(reach)
              admin: {user: sprocket_admin, password_secret: pg-admin}
              roles:
                \(names.role): {password_secret: pg-app}
              databases:
                \(names.database): {owner: \(names.role)}
            """)
        let networks = stackNetwork.map { "networks:\n  \($0): {driver: overlay}\n" } ?? ""
        try stack.write("app.yaml", networks + """
            secrets:
              pg-admin: {environment: PG_ADMIN}
              pg-app: {environment: PG_APP}
            services:
              app-svc:
                image: sprocket-local/busybox:latest
                command: ["sleep", "100000"]
                stop_grace_period: 1s
                secrets: [pg-app]
                deploy: { endpoint_mode: dnsrr }

            """ + (stackNetwork.map { "    networks: [\($0)]\n" } ?? ""))
    }

    /// The job objects of this stack still on the swarm (there must be none between commands).
    func leftovers(_ stack: SwarmTestStack) async throws -> [String] {
        let filters = DockerFilters.label("io.sprocket.job.stack", stack.stackName)
        return try await stack.client.listServices(filters: filters).compactMap { $0.spec?.name }
            + stack.client.listSecrets(filters: filters).compactMap { $0.spec?.name }
            + stack.client.listConfigs(filters: filters).compactMap { $0.spec?.name }
            + stack.client.listContainers(filters: DockerFilters(["label": ["io.sprocket.job.stack=\(stack.stackName)"]])).map { "container \($0.id)" }
    }

    @Test("direct reach cannot connect; through the job plan, up, a no-op up, status and down work and leave no job object or secret behind")
    func provisionsFromInsideTheCluster() async throws {
        try await Self.withServerForContainers { pg, gateway in
            try await SwarmTestStack.with(prefix: "pgjob") { stack in
                let relay = try await Self.startRelay(stack, to: pg, gateway: gateway)
                let suffix = stack.stackName.replacingOccurrences(of: "-", with: "_")
                let names = (role: "jobrole_\(suffix)", database: "jobdb_\(suffix)")
                let appPassword = "canary-job-\(UUID().uuidString)"
                let environment = ["PG_ADMIN": pg.adminPassword, "PG_APP": appPassword]

                try Self.write(stack, host: relay.host, reach: "direct", names: names)
                let direct = try await stack.sprocketctl(["plan"], environment: environment)
                #expect(direct.status != 0 && direct.stderr.contains("cannot reach PostgreSQL at \(relay.host):5432"),
                        "this machine cannot reach the database directly: \(direct.stdout)\(direct.stderr)")

                try Self.write(stack, host: relay.host, reach: "{via: swarm-job, network: \(relay.network), timeout: 3m}", names: names)
                let offline = try await stack.sprocketctl(["plan", "--offline"], environment: environment)
                #expect(offline.stdout.contains("from a Swarm job on \(relay.network)"), "\(offline.stdout)\(offline.stderr)")
                let plan = try await stack.sprocketctl(["plan"], environment: environment)
                #expect(plan.status == 0 && plan.stdout.contains("+ postgres role \(names.role)"), "\(plan.stdout)\(plan.stderr)")
                #expect(try await leftovers(stack).isEmpty)

                let up = try await stack.sprocketctl(["up", "--yes", "--json"], environment: environment)
                #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
                #expect(up.stdout.contains(#""system":"postgres""#) && up.stdout.contains("postgres login \(names.role)"), "\(up.stdout)")
                #expect(try await pg.superuser("SELECT rolname FROM pg_roles WHERE rolname = '\(names.role)'") == names.role)
                #expect(try await pg.superuser("SELECT datname FROM pg_database WHERE datname = '\(names.database)'") == names.database)
                #expect(try await leftovers(stack).isEmpty, "every job removed its service, configs and secrets")

                let again = try await stack.sprocketctl(["up", "--yes", "--json"], environment: environment)
                #expect(again.status == 0 && !again.stdout.contains("external-applied"), "a second up changes nothing: \(again.stdout)\(again.stderr)")

                let status = try await stack.sprocketctl(["status", "--json"], environment: environment)
                #expect(status.stdout.contains(names.role) && status.stdout.contains(#""exists":true"#), "\(status.stdout)\(status.stderr)")

                let down = try await stack.sprocketctl(["down", "--yes"], environment: environment)
                #expect(down.status == 0 && down.stderr.contains("kept: database \(names.database)"), "\(down.stderr)")
                #expect(try await leftovers(stack).isEmpty)

                try Self.write(stack, host: relay.host, reach: "{via: swarm-job, network: no-such-net-\(suffix)}", names: names)
                let missing = try await stack.sprocketctl(["plan"], environment: environment)
                #expect(missing.status != 0 && missing.stderr.contains("no-such-net-\(suffix)") && missing.stderr.contains("neither a network"),
                        "\(missing.stderr)")

                for output in [direct, plan, up, again, status, down, missing] {
                    for canary in [appPassword, pg.adminPassword] {
                        #expect(!output.stdout.contains(canary) && !output.stderr.contains(canary), "a secret value leaked")
                    }
                }
                for file in (try? FileManager.default.subpathsOfDirectory(atPath: stack.stateFolder.path)) ?? [] {
                    let content = String(decoding: FileManager.default.contents(atPath: "\(stack.stateFolder.path)/\(file)") ?? Data(), as: UTF8.self)
                    #expect(!content.contains(appPassword) && !content.contains(pg.adminPassword), "state file \(file) holds a secret")
                }
                _ = try? await pg.superuser("DROP DATABASE IF EXISTS \(names.database)")
                _ = try? await pg.superuser("DROP ROLE IF EXISTS \(names.role)")
            }
        }
    }

    @Test("a network of the stack named by reach.network: plan does not create it; up's first job creates it as the deployment would, and keeps it")
    func createsTheStacksNetwork() async throws {
        try await Self.withServerForContainers { pg, gateway in
            try await SwarmTestStack.with(prefix: "pgnet") { stack in
                let suffix = stack.stackName.replacingOccurrences(of: "-", with: "_")
                let names = (role: "netrole_\(suffix)", database: "netdb_\(suffix)")
                // The gateway address answers from any container, so the job needs no relay here.
                try Self.write(stack, host: gateway, port: pg.port, reach: "{via: swarm-job, network: data}", names: names, stackNetwork: "data")
                let environment = ["PG_ADMIN": pg.adminPassword, "PG_APP": "canary-net-\(UUID().uuidString)"]

                // plan changes nothing: it does not create the network, and says why it could not read.
                let plan = try await stack.sprocketctl(["plan"], environment: environment)
                #expect(plan.status == 0 && plan.stdout.contains("+ postgres role \(names.role)") && plan.stdout.contains("does not exist yet"),
                        "\(plan.stdout)\(plan.stderr)")
                let beforeUp = try await stack.client.listNetworks().first { $0.name?.hasPrefix(stack.stackName) == true && $0.name?.hasSuffix("_data") == true }
                #expect(beforeUp == nil, "plan created a network")

                let up = try await stack.sprocketctl(["up", "--yes", "--json"], environment: environment)
                #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
                let created = try await stack.client.listNetworks().first { $0.name?.hasPrefix(stack.stackName) == true && $0.name?.hasSuffix("_data") == true }
                #expect(created?.labels?[OwnershipLabel.stack] == stack.stackName, "the job's network is the stack's: \(String(describing: created))")
                #expect(try await pg.superuser("SELECT rolname FROM pg_roles WHERE rolname = '\(names.role)'") == names.role)
                let again = try await stack.sprocketctl(["up", "--yes", "--json"], environment: environment)
                let after = try await stack.client.listNetworks().first { $0.name?.hasPrefix(stack.stackName) == true && $0.name?.hasSuffix("_data") == true }
                #expect(after != nil && after?.id == created?.id, "up kept the network the job created")
                #expect(again.status == 0 && !again.stdout.contains("external-applied"), "\(again.stdout)\(again.stderr)")
                _ = try await stack.sprocketctl(["down", "--yes"], environment: environment)
                _ = try? await pg.superuser("DROP DATABASE IF EXISTS \(names.database)")
                _ = try? await pg.superuser("DROP ROLE IF EXISTS \(names.role)")
            }
        }
    }
}
