import Foundation

/// A real multi-node Docker Swarm on one machine, for tests: one ``PrivateDockerDaemon`` per node, each in a
/// network namespace of its own, all wired to one Linux bridge by veth pairs, joined into one swarm (node 1 the
/// manager, the others workers) with overlay networking between them.
///
/// The bridge lives in a "switch" namespace of the harness's own, not in the host's: the host's dockerd turns the
/// host's FORWARD policy to DROP and `bridge-nf-call-iptables` would send bridged frames through it. The host
/// joins the bridge through one veth pair of its own (``hostInterface``, address `<prefix>.254`), so that the
/// tool and the tests reach the nodes' addresses (host-mode published ports) as a user reaches real servers.
/// That veth's peer is in the switch namespace, so deleting the harness's namespaces removes every veth and
/// the bridge.
///
/// Addresses come from a random /24 of 100.64.0.0/10 (shared address space), picked per harness so that parallel
/// runs do not collide, and far from Swarm's default overlay pool (10.0.0.0/8). Everything on disk lives under
/// `/tmp/sprocket-mn-<id>/` and every namespace is named `sprocket-mn-<id>-...`, which is what `scripts/test`
/// sweeps when a killed run left them behind.
///
/// Use ``with(nodes:images:_:)``, which always tears down; needs root, iproute2, util-linux and dockerd.
public final class MultiNodeSwarm: Sendable {
    /// The random part of every name this harness uses.
    public let id: String
    /// The folder of everything on disk (each node's folder is below it).
    public let root: String
    /// The first three octets of the nodes' subnet, e.g. `100.97.13`; node `n` (1-based) is `<prefix>.<n>/24`.
    public let subnetPrefix: String
    /// The nodes in order: `nodes[0]` is the manager.
    public let nodes: [PrivateDockerDaemon]
    /// The namespace that holds the bridge.
    let switchNamespace: String
    /// The host's end of its veth pair to the bridge (at most 15 characters, as Linux wants).
    public var hostInterface: String { "smn\(id)" }
    /// The host's address on the nodes' subnet.
    public var hostAddress: String { "\(subnetPrefix).254" }

    /// The manager (node 1): point `DOCKER_HOST` at its ``PrivateDockerDaemon/dockerHost``.
    public var manager: PrivateDockerDaemon { nodes[0] }

    /// Names and addresses for `count` nodes (at least 1); nothing is created until ``start(images:)``.
    public init(nodes count: Int = 3) {
        id = UUID().uuidString.prefix(8).lowercased()
        root = "/tmp/sprocket-mn-\(id)"
        subnetPrefix = "100.\(Int.random(in: 64...127)).\(Int.random(in: 0...255))"
        switchNamespace = "sprocket-mn-\(id)-sw"
        nodes = (1...max(count, 1)).map { [root, id] index in
            PrivateDockerDaemon(root: "\(root)/n\(index)", namespace: "sprocket-mn-\(id)-n\(index)", hostname: "mn-\(id)-n\(index)")
        }
    }

    /// The underlay address of node `index` (1-based).
    public func address(ofNode index: Int) -> String { "\(subnetPrefix).\(index)" }

    /// Builds the network, starts every dockerd, makes node 1 the manager and the others workers, checks that the
    /// manager sees every node ready, and loads `images` into every node.
    public func start(images: [String]) async throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try await wireNetwork()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { try await node.start() } }
            try await group.waitForAll()
        }
        let managerAddress = address(ofNode: 1)
        try await manager.docker(["swarm", "init", "--advertise-addr", managerAddress, "--listen-addr", "\(managerAddress):2377"])
        let token = try await manager.docker(["swarm", "join-token", "-q", "worker"]).trimmingCharacters(in: .whitespacesAndNewlines)
        for (offset, worker) in nodes.enumerated().dropFirst() {
            let address = address(ofNode: offset + 1)
            do {
                // The token lets any machine that reaches the manager join: never in an error message.
                try await worker.docker(
                    ["swarm", "join", "--token", token, "--advertise-addr", address, "\(managerAddress):2377"], redacting: [token])
            } catch {
                throw PrivateDaemonError("node \(offset + 1) (\(address)) could not join the swarm at \(managerAddress):2377: \(error)\n\(worker.logTail())")
            }
        }
        try await waitUntilAllNodesReady()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { try await node.loadImages(images) } }
            try await group.waitForAll()
        }
    }

    /// The switch namespace with bridge `br0` and the host's veth pair to it, then per node a namespace and a
    /// veth pair: `p<n>` on the bridge, `eth0` with the node's address in the node's namespace.
    private func wireNetwork() async throws {
        var commands = [
            "ip netns add \(switchNamespace)",
            "ip -n \(switchNamespace) link set lo up",
            "ip -n \(switchNamespace) link add br0 type bridge",
            "ip -n \(switchNamespace) link set br0 up",
            "ip link add \(hostInterface) type veth peer name host netns \(switchNamespace)",
            "ip -n \(switchNamespace) link set host master br0 up",
            "ip addr add \(hostAddress)/24 dev \(hostInterface)",
            "ip link set \(hostInterface) up",
        ]
        for (offset, node) in nodes.enumerated() {
            let index = offset + 1
            try FileManager.default.createDirectory(atPath: node.root, withIntermediateDirectories: true)
            commands += [
                "ip netns add \(node.namespace)",
                "ip -n \(node.namespace) link set lo up",
                "ip -n \(switchNamespace) link add p\(index) type veth peer name eth0 netns \(node.namespace)",
                "ip -n \(switchNamespace) link set p\(index) master br0 up",
                "ip -n \(node.namespace) addr add \(address(ofNode: index))/24 dev eth0",
                "ip -n \(node.namespace) link set eth0 up",
            ]
        }
        try await HostShell.run("set -e; " + commands.joined(separator: "; "))
    }

    /// Polls the manager until it lists every node as `ready` (a worker's first heartbeat can take seconds).
    private func waitUntilAllNodesReady() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        var seen = ""
        while ContinuousClock.now < deadline {
            seen = (try? await manager.docker(["node", "ls", "--format", "{{.Hostname}} {{.Status}}"])) ?? ""
            let ready = seen.split(separator: "\n").filter { $0.hasSuffix(" Ready") }.count
            if ready == nodes.count { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw PrivateDaemonError("the manager at \(manager.socketPath) does not list \(nodes.count) ready nodes within 60 s; it lists:\n\(seen)")
    }

    /// The Swarm node ID of node `index` (1-based), as that node's own daemon reports it.
    public func nodeID(ofNode index: Int) async throws -> String {
        try await nodes[index - 1].docker(["info", "--format", "{{.Swarm.NodeID}}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every node's Swarm node ID, in node order (node 1's first), to compare with the `NodeID` of tasks.
    public func nodeIDs() async throws -> [String] {
        var ids: [String] = []
        for index in nodes.indices { ids.append(try await nodeID(ofNode: index + 1)) }
        return ids
    }

    /// Adds `labels` to node `index` (1-based), for `node.labels.<key> == <value>` placement constraints.
    public func addLabels(_ labels: [String: String], toNode index: Int) async throws {
        let arguments = labels.sorted { $0.key < $1.key }.flatMap { ["--label-add", "\($0.key)=\($0.value)"] }
        try await manager.docker(["node", "update"] + arguments + [try await nodeID(ofNode: index)])
    }

    /// Sets node `index`'s availability (`active`, `pause` or `drain`), as `docker node update --availability` does.
    public func setAvailability(_ availability: String, ofNode index: Int) async throws {
        try await manager.docker(["node", "update", "--availability", availability, try await nodeID(ofNode: index)])
    }

    /// Stops every daemon and removes everything the harness created: processes, cgroups, mounts, folders, the
    /// host's veth, namespaces (and with them the other veths and the bridge). Safe to call more than once, and after a failed ``start(images:)``.
    public func destroy() async {
        await withTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { await node.destroy() } }
        }
        _ = try? await HostShell.run(
            "ip link delete \(hostInterface) 2>/dev/null; ip netns delete \(switchNamespace) 2>/dev/null; rm -rf \(root)")
    }

    /// What of this harness still exists on the machine: processes whose command line names its folder,
    /// namespaces, its folder, mounts below it and its daemons' cgroups, one line each. Empty after ``destroy()``.
    public func leftovers() async throws -> [String] {
        let script = """
            pgrep -af '[/]\(root.dropFirst())/' | sed 's/^/process: /'
            ip netns list | awk '$1 ~ /^sprocket-mn-\(id)-/ { print "namespace: " $1 }'
            [ -e \(root) ] && echo 'folder: \(root)'
            grep -o ' \(root)[^ ]*' /proc/mounts | sed 's/^ /mount: /'
            ls -d /sys/fs/cgroup/*/sprocket-mn-\(id)-* 2>/dev/null | sed 's/^/cgroup: /'
            ip link show \(hostInterface) >/dev/null 2>&1 && echo 'interface: \(hostInterface)'
            true
            """
        return try await HostShell.run(script).split(separator: "\n").map(String.init)
    }

    /// A started swarm of `count` nodes with `images`, for the length of `body`; torn down afterwards whether
    /// `body` (or the start) succeeded or threw.
    public static func with(
        nodes count: Int = 3, images: [String], _ body: (MultiNodeSwarm) async throws -> Void
    ) async throws {
        try await with(MultiNodeSwarm(nodes: count), images: images, body)
    }

    /// Starts `swarm` with `images` for the length of `body`, then tears it down, whether `body` (or the start)
    /// succeeded or threw.
    public static func with(
        _ swarm: MultiNodeSwarm, images: [String], _ body: (MultiNodeSwarm) async throws -> Void
    ) async throws {
        do {
            try await swarm.start(images: images)
            try await body(swarm)
        } catch {
            await swarm.destroy()
            throw error
        }
        await swarm.destroy()
    }
}
