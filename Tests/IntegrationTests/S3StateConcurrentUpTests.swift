import Foundation
import S3
import SprocketCore
import SprocketTestSupport
import Testing

/// Two `sprocketctl up` processes against the same state on S3 (moto), on the shared swarm.
@Suite("Concurrent up with state on S3", .tags(.integration))
struct S3StateConcurrentUpTests {
    /// One service that turns healthy only once the test creates `ready` in the host folder it mounts, so the first
    /// `up` is still converging (holding the lock) when the second starts and when it is killed, however slow the
    /// machine. (The busybox image has no /tmp.)
    static func layer(signalFolder: String) -> String {
        """
        services:
          slow:
            image: \(DockerTestImages.busybox)
            command: ["sleep", "100000"]
            volumes:
              - \(signalFolder):/signal
            stop_grace_period: 1s
            healthcheck: {test: "test -f /signal/ready", interval: 1s, timeout: 2s, retries: 600}
            deploy:
              endpoint_mode: dnsrr
        """
    }

    @Test("one holds the lock and the other is refused naming it; after the holder is killed the other takes over only once the lease expires")
    func concurrentUp() async throws {
        try await DockerTestImages.ensureBusybox()
        let stack = try SwarmTestStack(prefix: "s3lock")
        defer { stack.folder.remove(); stack.stateFolder.remove() }
        try stack.write("stack.yaml", "stack: {{stack}}\nlayers: [app]\n")
        let signal = try TemporaryDirectory(prefix: "s3lock-signal")
        defer { signal.remove() }
        try stack.write("app.yaml", Self.layer(signalFolder: signal.path))
        do {
            try await MotoStateBucket.with(prefix: "it-state") { state in
                let (bucket, client, credentials) = (state.bucket, state.client, state.credentials)
                let url = state.stateURL(extra: "&lease_seconds=6")
                let environment = state.awsEnvironment.merging(["SPROCKET_KEY_FILE": stack.keyFile, "SPROCKET_STATE": url]) { $1 }
                let arguments = ["up", "--yes", "-f", stack.folder.path, "--state-dir", "\(stack.stateFolder.path)/local"]
                let lockKey = "st/\(stack.stackName)/default/lock.json"

                async let first = CLIBinary.runDetached(arguments, environment: environment)
                var holderPID: Int32?
                let deadline = ContinuousClock.now + .seconds(60)
                while holderPID == nil, ContinuousClock.now < deadline {
                    if let lock = try await client.getObject(bucket, lockKey),
                        let record = try JSONSerialization.jsonObject(with: Data(lock.body)) as? [String: Any]
                    {
                        holderPID = (record["pid"] as? NSNumber)?.int32Value
                    } else {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                let pid = try #require(holderPID, "the first up never took the lock")
                // Kill the holder only once it created the service (on a busy machine taking the lock and creating
                // it can be seconds apart): the run that takes over must find a run to mark interrupted.
                let serviceName = "\(stack.stackName)-default_slow"
                while try await stack.services().allSatisfy({ $0.spec?.name != serviceName }), ContinuousClock.now < deadline + .seconds(60) {
                    try await Task.sleep(for: .milliseconds(100))
                }

                let refused = try await CLIBinary.runDetached(arguments, environment: environment)
                #expect(refused.status == 4, "\(refused.stderr)")
                #expect(refused.stderr.contains("pid \(pid) on"), "\(refused.stderr)")

                kill(pid, SIGKILL)
                let killed = try await first
                #expect(killed.status != 0, "\(killed.stderr)")
                let killedAt = ContinuousClock.now
                // From now on the service may turn healthy.
                FileManager.default.createFile(atPath: "\(signal.path)/ready", contents: Data())

                var takeover: CLIRun?
                while takeover == nil, ContinuousClock.now - killedAt < .seconds(90) {
                    let attempt = try await CLIBinary.runDetached(arguments, environment: environment)
                    if attempt.status == 4 {
                        #expect(attempt.stderr.contains("pid \(pid) on"), "\(attempt.stderr)")
                        try await Task.sleep(for: .milliseconds(500))
                    } else {
                        takeover = attempt
                    }
                }
                let second = try #require(takeover, "the lock was never taken over")
                let takeoverEnded = Date()
                // Not a fixed time after the kill: on a loaded machine the holder's last heartbeat may have come late,
                // so its lease ran out sooner. The warning names the expiry the holder recorded (whole seconds); the
                // takeover must not precede it.
                let expiry = second.stderr.firstMatch(of: /lease expired (\S+)\)/).flatMap { ISO8601DateFormatter().date(from: String($0.1)) }
                #expect(takeoverEnded >= (try #require(expiry, "\(second.stderr)")), "taken over before the lease expired")
                #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
                #expect(second.stderr.contains("took over the lock") && second.stderr.contains("pid \(pid) on"), "\(second.stderr)")

                // The history on S3 survived: the killed run is there, marked interrupted by the run that took over.
                // (That run found the service the killed one had created already converging: nothing to change, no run.)
                #expect(second.stderr.contains("was interrupted"), "\(second.stderr)")
                let store = S3StateStore(
                    location: try S3StateLocation(url: url), identity: StackIdentity(stack: stack.stackName, environment: "default"),
                    credentials: credentials)
                let runs = try await store.runs()
                #expect(runs.map(\.outcome) == [.interrupted], "\(runs.map(\.outcome))")
                #expect(runs.first?.command.hasPrefix("up") == true)
                #expect(try await client.headObject(bucket, lockKey) == nil, "the lock is released at the end")
            }
        } catch {
            await stack.cleanUp()
            throw error
        }
        await stack.cleanUp()
    }

    @Test("two machines on one S3 state share generated secrets: the second machine's up changes nothing, and rolls nothing")
    func generatedSecretsAreShared() async throws {
        try await DockerTestImages.ensureBusybox()
        let stack = try SwarmTestStack(prefix: "s3seal")
        defer { stack.folder.remove(); stack.stateFolder.remove() }
        try stack.write("stack.yaml", "stack: {{stack}}\nlayers: [app]\n")
        try stack.write("app.yaml", """
            secrets:
              session-key: {generate: {length: 32}}
            services:
              app:
                image: \(DockerTestImages.busybox)
                command: ["sleep", "3600"]
                stop_grace_period: 1s
                secrets: [session-key]
                deploy: {endpoint_mode: dnsrr}
            """)
        do {
            try await MotoStateBucket.with(prefix: "it-seal") { state in
                let environment = state.awsEnvironment.merging(["SPROCKET_KEY_FILE": stack.keyFile, "SPROCKET_STATE": state.stateURL()]) { $1 }
                func up(on machine: String) async throws -> CLIRun {
                    try await CLIBinary.runDetached(
                        ["up", "--yes", "--json", "-f", stack.folder.path, "--state-dir", "\(stack.stateFolder.path)/\(machine)"], environment: environment)
                }
                let first = try await up(on: "machine-a")
                #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
                let secretBefore = try await stack.secrets().compactMap { $0.spec?.name }.filter { $0.contains("_session-key_") }
                let second = try await up(on: "machine-b")
                #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
                let summary = second.stdout.split(separator: "\n").last.map(String.init) ?? ""
                #expect(summary.contains(#""mutating":0"#), "machine b generated nothing new: \(summary)")
                let secretAfter = try await stack.secrets().compactMap { $0.spec?.name }.filter { $0.contains("_session-key_") }
                #expect(secretBefore.count == 1 && secretAfter == secretBefore, "\(secretBefore) -> \(secretAfter)")
                #expect(try await state.client.getObject(state.bucket, "st/\(stack.stackName)/default/secrets.sealed") != nil)
            }
        } catch {
            await stack.cleanUp()
            throw error
        }
        await stack.cleanUp()
    }
}
