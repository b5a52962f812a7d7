import Foundation

/// A second dockerd of the test's own, on its own socket, data root, containerd namespace and swarm ports, so
/// that a test may stop and restart "the daemon" in the middle of a deploy without disturbing the shared one that
/// every other test uses.
///
/// It runs in a network namespace of its own (`ip netns add`, entered with `nsenter --net` only: `ip netns exec`
/// would also remount /sys without cgroups, which dockerd refuses): a second dockerd in the host's namespace would share
/// its bridges (with `--bridge=none` it even deletes the shared daemon's `docker0`), `docker_gwbridge` and host
/// ports. Its unix socket stays reachable from the host's filesystem. It has no default bridge and no iptables
/// rules (overlay networks and services work without them). On its own (``startWithSwarm(images:)``) it is a
/// one-node swarm; ``MultiNodeSwarm`` wires several into one swarm over a private bridge.
/// Needs root, `ip` (iproute2), `nsenter` and `unshare` (util-linux) and `dockerd` on the PATH.
public final class PrivateDockerDaemon: Sendable {
    /// The folder of everything this daemon owns (short, because unix socket paths are limited to ~100 bytes).
    public let root: String
    public let socketPath: String
    /// `DOCKER_HOST` for clients of this daemon.
    public var dockerHost: String { "unix://\(socketPath)" }
    /// The network namespace dockerd runs in (`/run/netns/<namespace>`), also its containerd namespace.
    public let namespace: String
    /// The host name dockerd sees (in a UTS namespace of its own), which Swarm reports as the node's hostname;
    /// nil keeps the machine's.
    public let hostname: String?

    /// A one-node daemon under `/tmp/sprocket-dd-<random>`.
    public convenience init() {
        let id = UUID().uuidString.prefix(8).lowercased()
        self.init(root: "/tmp/sprocket-dd-\(id)", namespace: "sprocket-dd-\(id)")
    }

    /// A daemon whose files live under `root` and which runs in the network namespace `namespace` (created by
    /// ``createNamespace()``, or by the caller, e.g. ``MultiNodeSwarm``, which also wires it to the others).
    public init(root: String, namespace: String, hostname: String? = nil) {
        self.root = root
        self.socketPath = "\(root)/docker.sock"
        self.namespace = namespace
        self.hostname = hostname
    }

    /// Starts the daemon, waits until it answers, and makes it a one-node swarm with `images` copied from the
    /// shared daemon (no registry is reachable).
    public func startWithSwarm(images: [String]) async throws {
        try await createNamespace()
        try await start()
        try await HostShell.run("docker -H \(dockerHost) swarm init --advertise-addr 127.0.0.1")
        try await loadImages(images)
    }

    /// Creates the folder and the network namespace (with its loopback up).
    public func createNamespace() async throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try await HostShell.run("ip netns add \(namespace) && ip -n \(namespace) link set lo up")
    }

    /// Copies `images` from the shared daemon (`docker save | docker load`): no registry is reachable here.
    public func loadImages(_ images: [String]) async throws {
        for image in images {
            try await HostShell.run("docker save \(HostShell.quote(image)) | docker -H \(dockerHost) load -q")
        }
    }

    /// Starts dockerd (again, after ``stop()``: same data root, so the swarm and its services come back).
    public func start() async throws {
        let uts = hostname.map { "unshare --uts -- bash -c 'hostname \($0) && exec \"$@\"' _ " } ?? ""
        let command = uts + [
            "nsenter", "--net=/var/run/netns/\(namespace)", "dockerd", "--data-root", "\(root)/data", "--exec-root", "\(root)/exec", "--pidfile", "\(root)/docker.pid",
            "-H", dockerHost, "--containerd-namespace", namespace, "--containerd-plugins-namespace", "\(namespace)-plugins",
            "--bridge=none", "--iptables=false", "--ip-masq=false", "--cgroup-parent", "/\(namespace)",
        ].joined(separator: " ")
        // The daemon must not inherit any descriptor of ours: Foundation's Process learns that the shell exited
        // when its own socket to the child closes, and a daemon holding a copy would keep that wait open for ever.
        let closeInherited = "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done"
        try await HostShell.run("\(closeInherited); nohup \(command) >>\(root)/dockerd.log 2>&1 </dev/null &", capturingOutput: false)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? await HostShell.run("docker -H \(dockerHost) info --format '{{.ID}}' >/dev/null 2>&1")) != nil { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw PrivateDaemonError("dockerd at \(socketPath) did not answer within 60 s; see \(root)/dockerd.log")
    }

    /// Stops dockerd with SIGTERM (as `systemctl restart docker` would) and waits until it has exited.
    public func stop() async throws {
        guard let pid = pid else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, kill(pid, 0) == 0 {
            try await Task.sleep(for: .milliseconds(100))
        }
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            try await Task.sleep(for: .milliseconds(500))
        }
        try? FileManager.default.removeItem(atPath: "\(root)/docker.pid")
    }

    /// Stops the daemon and removes everything it owned. Safe to call more than once.
    public func destroy() async {
        try? await stop()
        // Its own containerd and shims outlive a killed dockerd; their command lines name a path under root. (The
        // bracket keeps pkill from matching the shell that runs it.)
        _ = try? await HostShell.run("pkill -9 -f '[/]\(root.dropFirst())/'; sleep 0.5")
        // A killed shim leaves its container's processes running; they are all in this daemon's cgroup parent.
        _ = try? await HostShell.run(Self.cgroupSweep(namespace))
        // The daemon unmounts its layers on a clean stop; anything left mounted (a kill) must go before rm.
        _ = try? await HostShell.run(
            "grep -o ' \(root)[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l; rm -rf \(root); ip netns delete \(namespace)")
    }

    /// A shell command that kills every process in the cgroups named `name` (the `--cgroup-parent` of a daemon:
    /// its containers' cgroups are below it, in every controller's hierarchy) and removes those cgroups.
    static func cgroupSweep(_ name: String) -> String {
        """
        for c in /sys/fs/cgroup/*/\(name); do [ -d "$c" ] && find "$c" -name cgroup.procs -exec cat {} + | xargs -r kill -9; done 2>/dev/null
        sleep 0.2
        for c in /sys/fs/cgroup/*/\(name); do [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} +; done 2>/dev/null
        true
        """
    }

    /// Runs the docker CLI against this daemon and returns its standard output; throws when it exits non-zero,
    /// with its standard error (which is dropped on success: the CLI warns there about registry digests).
    ///
    /// - Parameter secrets: arguments (or parts of the output) never to show in the error, e.g. a join token.
    @discardableResult
    public func docker(_ arguments: [String], redacting secrets: [String] = []) async throws -> String {
        let quoted = arguments.map(HostShell.quote).joined(separator: " ")
        return try await HostShell.run(
            "e=$(mktemp); docker -H \(dockerHost) \(quoted) 2>\"$e\" || { s=$?; cat \"$e\"; rm -f \"$e\"; exit $s; }; rm -f \"$e\"",
            redacting: secrets)
    }

    /// The last lines of the daemon's log, for failure messages.
    public func logTail(_ lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: "\(root)/dockerd.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    private var pid: pid_t? {
        (try? String(contentsOfFile: "\(root)/docker.pid", encoding: .utf8))
            .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// Why the private daemon could not do what a test asked.
public struct PrivateDaemonError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
