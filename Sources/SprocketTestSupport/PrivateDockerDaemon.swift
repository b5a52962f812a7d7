import Foundation

/// A second dockerd of the test's own, on its own socket, data root, containerd namespace and swarm ports, so
/// that a test may stop and restart "the daemon" in the middle of a deploy without disturbing the shared one that
/// every other test uses.
///
/// It runs in a network namespace of its own (`ip netns add`, entered with `nsenter --net` only: `ip netns exec`
/// would also remount /sys without cgroups, which dockerd refuses): a second dockerd in the host's namespace would share
/// its bridges (with `--bridge=none` it even deletes the shared daemon's `docker0`), `docker_gwbridge` and host
/// ports. Its unix socket stays reachable from the host's filesystem. It has no default bridge and no iptables
/// rules (overlay networks and services work without them), and it joins no swarm but its own one-node swarm.
/// Needs root, `ip` (iproute2) and `dockerd` on the PATH, like the shared daemon.
public final class PrivateDockerDaemon: Sendable {
    /// The folder of everything this daemon owns (short, because unix socket paths are limited to ~100 bytes).
    public let root: String
    public let socketPath: String
    /// `DOCKER_HOST` for clients of this daemon.
    public var dockerHost: String { "unix://\(socketPath)" }
    private let namespace: String

    public init() {
        let id = UUID().uuidString.prefix(8).lowercased()
        root = "/tmp/sprocket-dd-\(id)"
        socketPath = "\(root)/docker.sock"
        namespace = "sprocket-dd-\(id)"
    }

    /// Starts the daemon, waits until it answers, and makes it a one-node swarm with `images` copied from the
    /// shared daemon (no registry is reachable).
    public func startWithSwarm(images: [String]) async throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try await shell("ip netns add \(namespace) && ip -n \(namespace) link set lo up")
        try await start()
        try await shell("docker -H \(dockerHost) swarm init --advertise-addr 127.0.0.1")
        for image in images {
            try await shell("docker save \(image) | docker -H \(dockerHost) load")
        }
    }

    /// Starts dockerd (again, after ``stop()``: same data root, so the swarm and its services come back).
    public func start() async throws {
        let command = [
            "nsenter", "--net=/var/run/netns/\(namespace)", "dockerd", "--data-root", "\(root)/data", "--exec-root", "\(root)/exec", "--pidfile", "\(root)/docker.pid",
            "-H", dockerHost, "--containerd-namespace", namespace, "--containerd-plugins-namespace", "\(namespace)-plugins",
            "--bridge=none", "--iptables=false", "--ip-masq=false",
        ].joined(separator: " ")
        // The daemon must not inherit any descriptor of ours: Foundation's Process learns that the shell exited
        // when its own socket to the child closes, and a daemon holding a copy would keep that wait open for ever.
        let closeInherited = "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done"
        try await shell("\(closeInherited); nohup \(command) >>\(root)/dockerd.log 2>&1 </dev/null &", capturingOutput: false)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? await shell("docker -H \(dockerHost) info --format '{{.ID}}' >/dev/null 2>&1")) != nil { return }
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
        // Its own containerd and shims outlive a killed dockerd. (The bracket keeps pkill from matching this shell.)
        let id = root.split(separator: "-").last.map(String.init) ?? ""
        _ = try? await shell("pkill -9 -f '[s]procket-dd-\(id)/'; sleep 0.5")
        // The daemon unmounts its layers on a clean stop; anything left mounted (a kill) must go before rm.
        _ = try? await shell(
            "grep -o ' \(root)[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l; rm -rf \(root); ip netns delete \(namespace)")
    }

    /// Runs the docker CLI against this daemon and returns its output; throws when it exits non-zero.
    public func docker(_ arguments: [String]) async throws -> String {
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try await shell("docker -H \(dockerHost) \(quoted) 2>/dev/null")
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

    @discardableResult
    private func shell(_ command: String, capturingOutput: Bool = true) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/bash")
                process.arguments = ["-c", command]
                let output = Pipe()
                process.standardOutput = capturingOutput ? output : FileHandle.nullDevice
                process.standardError = capturingOutput ? output : FileHandle.nullDevice
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                    let data = capturingOutput ? output.fileHandleForReading.readDataToEndOfFile() : Data()
                    process.waitUntilExit()
                    let text = String(decoding: data, as: UTF8.self)
                    if process.terminationStatus == 0 {
                        continuation.resume(returning: text)
                    } else {
                        continuation.resume(throwing: PrivateDaemonError("`\(command)` failed (\(process.terminationStatus)): \(text)"))
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

/// Why the private daemon could not do what a test asked.
public struct PrivateDaemonError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
