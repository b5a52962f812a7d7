import Foundation
import S3
import SprocketCore
import SprocketTestSupport
import Testing

/// A run of `up` paused past its lease (SIGSTOP) while a second operator's run takes the lock over and finishes:
/// resumed (SIGCONT), the first run stops with exit code 6 naming the new holder, rolls nothing back, and the
/// second run's services and history stand. State on S3 (moto), the shared swarm.
@Suite("A paused up that lost its lease (S3 state)", .tags(.integration))
struct S3StatePausedRunTests {
    /// `stack.yaml` with layers `first` (one service, healthy once `ready` exists in `signal`) and `second`.
    static func write(_ stack: SwarmTestStack, signal: String) throws {
        try stack.write("stack.yaml", "stack: {{stack}}\nlayers: [first, second]\n")
        try stack.write("first.yaml", """
            services:
              gatekeeper:
                image: \(DockerTestImages.busybox)
                command: ["sleep", "100000"]
                volumes:
                  - \(signal):/signal
                stop_grace_period: 1s
                healthcheck: {test: "test -f /signal/ready", interval: 1s, timeout: 2s, retries: 600}
                deploy: {endpoint_mode: dnsrr}
            """)
        try stack.write("second.yaml", """
            needs: [first]
            services:
              web:
                image: \(DockerTestImages.busybox)
                command: ["sleep", "100000"]
                stop_grace_period: 1s
                deploy: {endpoint_mode: dnsrr}
            """)
    }

    /// The pid recorded in the lock object, once a run holds it.
    static func holderPID(_ state: MotoStateBucket, lockKey: String, within timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let lock = try await state.client.getObject(state.bucket, lockKey),
                let record = try JSONSerialization.jsonObject(with: Data(lock.body)) as? [String: Any],
                let pid = (record["pid"] as? NSNumber)?.int32Value
            {
                return pid
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// Whether the process is stopped (state `T` in /proc/<pid>/stat).
    static func isStopped(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("T")
    }

    /// Runs `up` until it gets the lock (the paused holder's lease must expire first) and returns that run.
    static func upOnceLockFree(_ arguments: [String], environment: [String: String], within timeout: Duration) async throws -> CLIRun? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let attempt = try await CLIBinary.runDetached(arguments, environment: environment)
            if attempt.status != 4 { return attempt }
            try await Task.sleep(for: .milliseconds(500))
        }
        return nil
    }

    enum Pause {
        /// The test sends SIGSTOP while the run waits for layer `first` to converge: before any lease check.
        case fromOutside
        /// The run stops itself after the lease check of `create service <web>` and before the call.
        case betweenCheckAndCall
    }

    @Test("stopped from outside while converging: resumed after a takeover, it makes no further change, exits 6 naming the holder; the other run's work and history stand")
    func stoppedWhileConverging() async throws { try await pausedRun(.fromOutside) }

    @Test("stopped between a lease check and the create it guards: resumed after a takeover, Swarm refuses the create as a conflict and nothing is rolled back")
    func stoppedBetweenCheckAndCall() async throws { try await pausedRun(.betweenCheckAndCall) }

    private func pausedRun(_ pause: Pause) async throws {
        try await DockerTestImages.ensureBusybox()
        let stack = try SwarmTestStack(prefix: pause == .fromOutside ? "pause-out" : "pause-in")
        defer { stack.folder.remove(); stack.stateFolder.remove() }
        let signal = try TemporaryDirectory(prefix: "pause-signal")
        defer { signal.remove() }
        try Self.write(stack, signal: signal.path)
        let web = "\(stack.stackName)-default_web"
        do {
            try await MotoStateBucket.with(prefix: "it-pause") { state in
                let base = state.awsEnvironment.merging(["SPROCKET_KEY_FILE": stack.keyFile, "SPROCKET_STATE": state.stateURL(extra: "&lease_seconds=3")]) { $1 }
                func arguments(_ machine: String) -> [String] {
                    ["up", "--yes", "-f", stack.folder.path, "--state-dir", "\(stack.stateFolder.path)/\(machine)"]
                }
                var pausedEnvironment = base
                if pause == .betweenCheckAndCall {
                    pausedEnvironment["SPROCKET_TEST_PAUSE_BEFORE"] = "create service \(web)"
                    FileManager.default.createFile(atPath: "\(signal.path)/ready", contents: Data())
                }
                async let pausedRun = CLIBinary.runDetached(arguments("laptop"), environment: pausedEnvironment)
                let lockKey = "st/\(stack.stackName)/default/lock.json"
                let pid = try #require(try await Self.holderPID(state, lockKey: lockKey, within: .seconds(60)), "the first up never took the lock")

                switch pause {
                case .fromOutside:
                    // Stop it once layer `first` is created (it then waits for `gatekeeper` to turn healthy).
                    let deadline = ContinuousClock.now + .seconds(60)
                    while try await stack.services().allSatisfy({ $0.spec?.name != "\(stack.stackName)-default_gatekeeper" }), ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    kill(pid, SIGSTOP)
                case .betweenCheckAndCall:
                    break
                }
                let deadline = ContinuousClock.now + .seconds(90)
                while !Self.isStopped(pid), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
                #expect(Self.isStopped(pid), "the first run did not stop")

                // The second operator's run takes the lock over once the paused run's lease expired, and finishes.
                FileManager.default.createFile(atPath: "\(signal.path)/ready", contents: Data())
                let second = try #require(
                    try await Self.upOnceLockFree(arguments("second-operator"), environment: base, within: .seconds(90)), "the lock was never taken over")
                #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
                let theirs = try #require(try await stack.services().first { $0.spec?.name == web }, "the second run created web")
                let theirVersion = theirs.version?.index

                kill(pid, SIGCONT)
                let resumed = try await pausedRun
                #expect(resumed.status == 6, "exit code 6 for a lost lease: \(resumed.status)\n\(resumed.stderr)")
                #expect(resumed.stderr.contains("lost its lock"), "\(resumed.stderr)")
                #expect(resumed.stderr.contains("nothing was rolled back"), "\(resumed.stderr)")
                // No rollback event ("rolling back N services changed by this run: …") and no "rolled back" outcome.
                #expect(!resumed.stderr.contains("changed by this run:") && !resumed.stderr.contains("error: rolled back"), "\(resumed.stderr)")
                if pause == .betweenCheckAndCall {
                    #expect(resumed.stderr.contains("cause:") && resumed.stderr.contains("create service failed"), "the refused create is the cause: \(resumed.stderr)")
                }

                // The other run's work stands: its service was neither removed nor changed.
                let after = try #require(try await stack.services().first { $0.spec?.name == web }, "the resumed run removed the other run's service")
                #expect(after.version?.index == theirVersion, "the resumed run changed the other run's service")
                let store = S3StateStore(
                    location: try S3StateLocation(url: state.stateURL()), identity: StackIdentity(stack: stack.stackName, environment: "default"),
                    credentials: state.credentials)
                let outcomes = try await store.runs().map(\.outcome)
                #expect(outcomes.filter { $0 == .succeeded }.count == 1, "one succeeded run: \(outcomes)")
                #expect(!outcomes.contains(.leaseLost) && !outcomes.contains(.rolledBack) && !outcomes.contains(.failed), "nothing shared from the lost run: \(outcomes)")
                // The lost run's own record, in its local folder only.
                let local = LocalStateStore(directory: "\(stack.stateFolder.path)/laptop", identity: StackIdentity(stack: stack.stackName, environment: "default"))
                #expect(try await local.runs().map(\.outcome).contains(.leaseLost), "the lost run recorded its outcome locally")
            }
        } catch {
            await stack.cleanUp()
            throw error
        }
        await stack.cleanUp()
    }
}
