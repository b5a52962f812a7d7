import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// `sprocketctl` against a real three-node swarm (``MultiNodeSwarm``: one manager, two workers, each dockerd in a
/// network namespace of its own on a private bridge), through the built binary with `DOCKER_HOST` at the manager.
///
/// Nodes and labels: node 1 (the manager) `zone=a`; node 2 `role=storage, zone=b`; node 3 `zone=c`.
@Suite("A three-node swarm: placement, overlay across nodes, drain", .tags(.integration), .serialized)
struct MultiNodeSwarmTests {
    /// One layer whose services each say where they may run:
    /// - `storage`: only on a `role=storage` node (node 2);
    /// - `spread`: 3 replicas, at most one per node, so one on each;
    /// - `pool`: 2 replicas on workers only, spread over zones: free to move between nodes 2 and 3;
    /// - `web`: on zone `c` (node 3), an httpd that answers with its node's host name;
    /// - `client`: on node 2, asking `web` by its service name over the overlay network `mesh`, once a second.
    static let layer = """
        networks:
          mesh: {}
        services:
        \(service("storage", deploy: "placement: {constraints: [\"node.labels.role == storage\"]}"))
        \(service("spread", deploy: "replicas: 3\nplacement: {max_replicas_per_node: 1}"))
        \(service("pool", deploy: "replicas: 2\nplacement: {constraints: [\"node.role == worker\"], preferences: [{spread: node.labels.zone}]}"))
        \(service("web", deploy: "placement: {constraints: [\"node.labels.zone == c\"]}", more: """
            \(nodeNameServer)
            networks: [mesh]
            checks:
              - http: {port: 8080, path: /, body: NODE3}
            """))
        \(service("client", deploy: "placement: {constraints: [\"node.labels.role == storage\"]}", more: """
            command: ["sh", "-c", "while true; do wget -O - http://web:8080/ 2>&1; sleep 1; done"]
            networks: [mesh]
            """))
        """

    /// The keys of an httpd on port 8080 that answers with the host name of the node its task runs on.
    static let nodeNameServer = """
        hostname: "{{.Node.Hostname}}"
        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
        """

    /// A layer with one service, `edge`, on node 3, publishing port 8080 as host port `PORT` (host mode: only on
    /// the node that runs the task). It joins an overlay network: with `--bridge=none` a task without one has no
    /// network to map a host port from (its container joins `docker_gwbridge` only along with an overlay).
    static let edgeLayer = """
        networks:
          front: {}
        services:
        \(service("edge", deploy: "placement: {constraints: [\"node.labels.zone == c\"]}", more: """
            \(nodeNameServer)
            networks: [front]
            ports: [{target: 8080, published: PORT, mode: host}]
            """))
        """

    /// One busybox service of ``layer`` (indented for its `services:` map): dnsrr, a short grace period, the
    /// `deploy` keys given, and `more` keys (else a command that only sleeps).
    static func service(_ name: String, deploy: String, more: String = #"command: ["sh", "-c", "sleep 100000"]"#) -> String {
        let indent = { (text: String, spaces: Int) in
            text.split(separator: "\n").map { String(repeating: " ", count: spaces) + $0 }.joined(separator: "\n")
        }
        return """
              \(name):
                image: \(DockerTestImages.busybox)
                stop_grace_period: 1s
            \(indent(more, 4))
                deploy:
                  endpoint_mode: dnsrr
            \(indent(deploy, 6))
            """
    }

    /// The services that can run on nodes 1 and 3 only: `storage` and `client` are pinned to node 2, and
    /// `spread` cannot place its third replica (one per node).
    static let stuckWhenNode2Drains: Set<String> = ["storage", "client", "spread"]

    @Test("placement constraints, max_replicas_per_node and an overlay network across nodes are what runs")
    func placementAndOverlay() async throws {
        try await Self.withDeployedStack { swarm, deploy in
            let node = try await swarm.nodeIDs()
            let storage = try await deploy.runningNodes("storage")
            #expect(storage == [node[1]], "storage must run on node 2 (role=storage) only: \(deploy.names(storage, node))")
            let web = try await deploy.runningNodes("web")
            #expect(web == [node[2]], "web must run on node 3 (zone=c) only: \(deploy.names(web, node))")
            let client = try await deploy.runningNodes("client")
            #expect(client == [node[1]], "client must run on node 2: \(deploy.names(client, node))")
            let spread = try await deploy.runningNodes("spread")
            #expect(spread.sorted() == [node[0], node[1], node[2]].sorted(), "one spread replica per node: \(deploy.names(spread, node))")
            let pool = try await deploy.runningNodes("pool")
            #expect(pool.count == 2 && pool.allSatisfy { [node[1], node[2]].contains($0) }, "pool runs on workers: \(deploy.names(pool, node))")

            // Node 2's own daemon runs the client container, whose log shows web's answer: node 3's host name,
            // reached by the service name over the overlay (gossip for the name, VXLAN for the packets).
            let answer = try await deploy.waitForClientLog(containing: swarm.nodes[2].hostname ?? "", onNode: swarm.nodes[1])
            #expect(answer, "the client on node 2 never got node 3's answer through the overlay network")

            let verify = try await deploy.cli("verify", "--json")
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            let report = try JSONDecoder().decode(VerifyReport.self, from: Data(verify.stdout.utf8))
            #expect(report.passed, "\(report.failures)")
        }
    }

    @Test("a drained node: status and verify name what cannot run, movable tasks move, and once active again up and verify pass")
    func drainAndReactivate() async throws {
        try await Self.withDeployedStack { swarm, deploy in
            let node = try await swarm.nodeIDs()
            try await swarm.setAvailability("drain", ofNode: 2)
            // Swarm moves `pool` off node 2 and leaves the pinned tasks pending ("no suitable node"), once the
            // tasks it stops on node 2 have stopped (until then Swarm still counts them as running).
            try await deploy.waitUntil("pool runs twice on node 3 and nothing runs on node 2", timeout: .seconds(90)) {
                var onNode2 = 0
                for name in ["storage", "spread", "pool", "web", "client"] {
                    onNode2 += try await deploy.tasks(name).filter { $0.nodeID == node[1] && $0.state == "running" }.count
                }
                let storage = try await deploy.tasks("storage")
                return try await deploy.runningNodes("pool") == [node[2], node[2]] && onNode2 == 0
                    && storage.contains { $0.state == "pending" }
            }

            // status --json: running/desired per service, from the manager.
            let status = try await deploy.cli("status", "--json")
            #expect(status.status == 0, "\(status.stderr)")
            let reports = Dictionary(
                uniqueKeysWithValues: try JSONDecoder().decode(StatusDocument.self, from: Data(status.stdout.utf8)).services.map { ($0.name, $0) })
            #expect(reports.mapValues { "\($0.runningTasks)/\($0.desiredTasks)" }
                == ["storage": "0/1", "client": "0/1", "spread": "2/3", "pool": "2/2", "web": "1/1"], "\(status.stdout)")
            for name in Self.stuckWhenNode2Drains {
                #expect(reports[name]?.lastError?.contains("no suitable node") == true,
                        "\(name): status should say why its task cannot run: \(reports[name]?.lastError ?? "nil")")
            }

            // verify --json: fails, only on the replicas of the services that cannot move; the others pass.
            let verify = try await deploy.cli("verify", "--json")
            #expect(verify.status == 1, "\(verify.stderr)")
            let report = try JSONDecoder().decode(VerifyReport.self, from: Data(verify.stdout.utf8))
            #expect(!report.passed)
            #expect(Set(report.failures.map(\.check)) == Set(Self.stuckWhenNode2Drains.map { "\($0): replicas" }), "\(report.failures)")
            // pool moved; web never ran on node 2, and its http check (a probe job on a node left) still answers.
            let movable = report.layers.flatMap(\.checks).filter { ["pool", "web"].contains($0.service ?? "") }
            #expect(movable.contains { $0.check.hasPrefix("web: http") } && movable.allSatisfy(\.passed), "\(movable)")
            for failure in report.failures {
                #expect(failure.seen.contains("no suitable node"), "\(failure.check): \(failure.seen)")
            }

            // up on an unchanged spec while tasks cannot be placed: the stack is not converged, so up must not
            // report success; it should fail (exit 1) naming the scheduler's reason.
            let stuckUp = try await deploy.cli("up", "--yes")
            #expect(stuckUp.status == 1, "exit \(stuckUp.status)\n\(stuckUp.stdout)\(stuckUp.stderr)")
            #expect(stuckUp.stderr.contains("no suitable node"), "\(stuckUp.stderr)")

            // Node 2 active again: Swarm places the pending tasks there, up converges and verify passes.
            try await swarm.setAvailability("active", ofNode: 2)
            let up = try await deploy.cli("up", "--yes")
            #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
            let verified = try await deploy.cli("verify", "--json")
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            #expect(try await deploy.runningNodes("storage") == [node[1]])
            #expect(try await deploy.runningNodes("spread").sorted() == [node[0], node[1], node[2]].sorted())
        }
    }

    @Test("a harness whose start fails leaves no process, namespace, folder or mount behind")
    func failedStartLeavesNothing() async throws {
        let swarm = MultiNodeSwarm(nodes: 3)
        var started = false
        await #expect(throws: PrivateDaemonError.self) {
            // Every daemon starts and joins; loading an image the host does not have then fails.
            try await MultiNodeSwarm.with(swarm, images: ["sprocket-local/absent-\(swarm.id):none"]) { _ in started = true }
        }
        #expect(!started)
        #expect(try await swarm.leftovers() == [], "the harness left these behind")
    }

    @Test("verify checks a host-mode published port on the node that runs the task, not on the tool's machine")
    func publishedPortOnAnotherNode() async throws {
        // A port nothing answers on here, so that only the right node can make the check pass.
        let port = try #require((0..<50).lazy.map { _ in Int.random(in: 20_000...29_999) }.first { HTTPProbe.get(port: $0) == nil })
        try await Self.withDeployedStack(layer: Self.edgeLayer.replacingOccurrences(of: "PORT", with: String(port))) { swarm, deploy in
            // The port answers at node 3's address (reached from the host through the harness's veth).
            let answer = HTTPProbe.get(port: port, host: swarm.address(ofNode: 3))
            #expect(answer?.status == 200 && answer?.body.contains(swarm.nodes[2].hostname ?? "-") == true, "\(String(describing: answer))")

            let verify = try await deploy.cli("verify", "--json")
            let report = try JSONDecoder().decode(VerifyReport.self, from: Data(verify.stdout.utf8))
            let check = try #require(report.layers.flatMap(\.checks).first { $0.check == "edge: host port \(port) answers" }, "\(report)")
            #expect(check.passed, "\(check.seen)")
            #expect(verify.status == 0, "\(verify.stdout)")
        }
    }

    @Test("a failing docker call's error shows its stderr but never a redacted secret (the join token)")
    func joinTokenIsRedactedFromErrors() async throws {
        let canary = "SWMTKN-1-canary\(UUID().uuidString)"
        let daemon = PrivateDockerDaemon(root: "/tmp/sprocket-dd-absent-\(UUID().uuidString.prefix(8))", namespace: "unused")
        let error = try await #require(throws: PrivateDaemonError.self) {
            try await daemon.docker(["swarm", "join", "--token", canary, "192.0.2.1:2377"], redacting: [canary])
        }
        #expect(!error.description.contains(canary), "\(error)")
        #expect(error.description.contains("<redacted>") && error.description.contains(daemon.socketPath), "\(error)")
    }

    /// A started three-node swarm with the labels above and `layer` deployed by `sprocketctl up`; torn down after
    /// `body`, pass or fail.
    static func withDeployedStack(
        layer: String = layer, _ body: (MultiNodeSwarm, MultiNodeDeployment) async throws -> Void
    ) async throws {
        try await DockerTestImages.ensureBusybox()
        let harness = MultiNodeSwarm(nodes: 3)
        try await MultiNodeSwarm.with(harness, images: [DockerTestImages.busybox]) { swarm in
            let live = try await swarm.leftovers()
            #expect(live.contains { $0.hasPrefix("process: ") } && live.contains { $0.hasPrefix("namespace: ") }, "\(live)")
            try await swarm.addLabels(["zone": "a"], toNode: 1)
            try await swarm.addLabels(["role": "storage", "zone": "b"], toNode: 2)
            try await swarm.addLabels(["zone": "c"], toNode: 3)
            let folder = try TemporaryDirectory(prefix: "sprocket-spec")
            defer { folder.remove() }
            let stack = "it-mn-\(UUID().uuidString.prefix(6).lowercased())"
            try folder.write("stack.yaml", "stack: \(stack)\nsettings:\n  probe_image: \(DockerTestImages.busybox)\nlayers: [app]\n")
            try folder.write("app.yaml", layer.replacingOccurrences(of: "NODE3", with: swarm.nodes[2].hostname ?? ""))
            let deploy = MultiNodeDeployment(swarm: swarm, folder: folder.path, stack: stack)
            let up = try await deploy.cli("up", "--yes")
            try #require(up.status == 0, "\(up.stdout)\(up.stderr)\n--- manager log:\n\(swarm.manager.logTail())")
            try await body(swarm, deploy)
        }
        #expect(try await harness.leftovers() == [], "the harness left these behind")
    }
}

/// `sprocketctl status --json`'s document.
struct StatusDocument: Decodable {
    var services: [ServiceStatusReport]
}
