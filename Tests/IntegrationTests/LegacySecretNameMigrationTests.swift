import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Synchronization
import Testing

/// A deployment made with the legacy secret names (a plain SHA-256 of the value in the name) upgraded to keyed
/// names on the real swarm: the upgrade recreates nothing and restarts nobody; a changed value moves only its
/// secret; `up --rekey-secrets 1` moves exactly one more while its consumer keeps running with the file mounted.
@Suite("legacy secret names migrate to keyed names", .tags(.integration))
struct LegacySecretNameMigrationTests {
    static let names = ["alpha", "bravo", "charlie"]
    static let values = ["alpha": "canary-alpha-5d1c7e", "bravo": "canary-bravo-9e2f40", "charlie": "canary-charlie-3a7b18"]
    static let rotatedBravo = "canary-bravo-rotated-c4d9a2"

    static func variable(_ name: String) -> String { "IT_SECRET_\(name.uppercased())" }

    static func environment(_ values: [String: String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: values.map { (variable($0.key), $0.value) })
    }

    static func writeSpec(_ stack: SwarmTestStack) throws {
        try stack.write("stack.yaml", "stack: {{stack}}\nlayers: [app]\n")
        let secrets = names.map { "  \($0):\n    environment: \(variable($0))\n" }.joined()
        // start-first: the new task runs before the old one stops, so a rolled consumer never goes without its secret.
        let services = names.map { name in
            """
              \(name)-svc:
                image: sprocket-local/busybox:latest
                command: ["sleep", "100000"]
                secrets: [\(name)]
                stop_grace_period: 1s
                deploy:
                  endpoint_mode: dnsrr
                  update_config: {order: start-first}

            """
        }.joined()
        try stack.write("app.yaml", "timeout: 90s\nsecrets:\n\(secrets)services:\n\(services)")
    }

    /// Deploys the stack as sprocketctl did before keyed names: every secret under its legacy name, with the
    /// labels (spec hash = the legacy suffix) and the service references the old builder produced. The builder
    /// still produces exactly that when told those names are deployed, so no test-only switch is needed.
    static func deployLegacy(_ stack: SwarmTestStack) async throws -> StackIdentity {
        let environment = environment(values)
        let spec = try stack.load(environment: nil, processEnvironment: environment)
        let identity = StackIdentity(stack: spec.name, environment: spec.environment)
        let materials = try SecretResolver(processEnvironment: environment, store: nil, redactor: SecretRedactor()).resolve(spec)
        let legacyNames = Set(materials.compactMap { name, material in
            material.content.map {
                identity.versionedObjectName(name, suffix: DockerSecretNaming.legacySuffix(identity: identity, name: name, value: $0.bytes))
            }
        })
        let desired = DesiredStateBuilder(stack: spec, secrets: materials, secretNaming: .init(key: nil, deployedNames: legacyNames)).build()
        #expect(desired.layers.flatMap(\.secrets).allSatisfy { $0.secretNaming == .legacy })
        let driver = DockerClusterDriver(client: stack.client)
        let observed = try await driver.observe(identity)
        let plan = Planner().plan(desired: desired, observed: observed)
        try await Applier(driver: driver, events: { _ in }).apply(plan, desired: desired, observed: observed)
        let deployed = Set(try await stack.secrets().compactMap(\.spec?.name))
        #expect(deployed == legacyNames, "\(deployed)")
        return identity
    }

    /// What identifies a deployment that was neither recreated nor restarted: secret IDs by name, service spec
    /// versions and running task IDs.
    struct Fingerprint: Equatable {
        var secretIDs: [String: String]
        var serviceVersions: [String: UInt64]
        var runningTasks: [String: Set<String>]
    }

    static func fingerprint(_ stack: SwarmTestStack, _ identity: StackIdentity) async throws -> Fingerprint {
        var secretIDs: [String: String] = [:]
        for secret in try await stack.secrets() { secretIDs[secret.spec?.name ?? secret.id] = secret.id }
        var versions: [String: UInt64] = [:]
        var ids: [String: String] = [:]
        for service in try await stack.services() {
            guard let name = service.spec?.name else { continue }
            versions[name] = service.version?.index
            ids[service.id] = name
        }
        var tasks: [String: Set<String>] = [:]
        for task in try await stack.client.listTasks() where task.status?.state == "running" {
            guard let service = task.serviceID.flatMap({ ids[$0] }) else { continue }
            tasks[service, default: []].insert(task.id)
        }
        return Fingerprint(secretIDs: secretIDs, serviceVersions: versions, runningTasks: tasks)
    }

    /// The Docker secret `service` mounts now.
    static func mountedSecret(_ stack: SwarmTestStack, _ identity: StackIdentity, service: String) async throws -> String? {
        try await stack.services().first { $0.spec?.name == identity.objectName(service) }?
            .spec?.taskTemplate?.containerSpec?.secrets?.first?.secretName
    }

    static func docker(_ arguments: [String]) async throws -> CLIRun {
        try await CLIBinary.runDetached(["docker"] + arguments, executable: "/usr/bin/env")
    }

    /// Whether a running container of `service` reads `expected` at `/run/secrets/<secret>`; one retry, since a
    /// container listed just before it stops cannot be exec'd while its successor already runs.
    static func secretReadable(_ identity: StackIdentity, service: String, secret: String, expected: String) async throws -> Bool {
        for _ in 0..<2 {
            let listed = try await docker(["ps", "-q", "--filter", "label=com.docker.swarm.service.name=\(identity.objectName(service))"])
            for container in listed.stdout.split(separator: "\n").map(String.init) {
                let read = try await docker(["exec", container, "cat", "/run/secrets/\(secret)"])
                if read.status == 0 && read.stdout == expected { return true }
            }
        }
        return false
    }

    @Test("upgrade keeps legacy names untouched; a changed value and `up --rekey-secrets 1` each move exactly one secret")
    func migration() async throws {
        try await SwarmTestStack.with(prefix: "rekey") { stack in
            try Self.writeSpec(stack)
            let identity = try await Self.deployLegacy(stack)
            var outputs: [CLIRun] = []
            func sprocketctl(_ arguments: [String], values: [String: String] = Self.values) async throws -> CLIRun {
                let run = try await stack.sprocketctl(arguments, environment: Self.environment(values))
                outputs.append(run)
                #expect(run.status == 0, "\(arguments): \(run.stdout)\(run.stderr)")
                return run
            }

            // The upgrade: the new code plans nothing, and its `up` makes no mutating call.
            let before = try await Self.fingerprint(stack, identity)
            let plan = try await sprocketctl(["plan"])
            #expect(plan.stdout.contains("No changes"), "\(plan.stdout)")
            #expect(plan.stdout.contains("3 secrets still named by the legacy plain hash"), "\(plan.stdout)")
            let upgrade = try await sprocketctl(["up", "--yes", "--json"])
            #expect(SecretPipelineTests.mutatingCalls(upgrade) == 0, "\(upgrade.stdout)")
            #expect(try await Self.fingerprint(stack, identity) == before, "no secret recreated, no consumer restarted")
            #expect(try await sprocketctl(["status"]).stdout.contains("secrets: 3 still named by the legacy plain hash"))
            let drift = try await sprocketctl(["drift"])
            #expect(drift.stdout.contains("No drift") && drift.stdout.contains("3 secrets still named"), "\(drift.stdout)")

            // bravo's value changes: only bravo moves to a keyed name, only its consumer rolls.
            var rotatedValues = Self.values
            rotatedValues["bravo"] = Self.rotatedBravo
            _ = try await sprocketctl(["up", "--yes"], values: rotatedValues)
            let afterRotation = try await Self.fingerprint(stack, identity)
            let bravo = try #require(try await Self.mountedSecret(stack, identity, service: "bravo-svc"))
            #expect(bravo.hasPrefix(identity.versionedObjectName("bravo", suffix: "k")), "\(bravo)")
            #expect(try await Self.secretReadable(identity, service: "bravo-svc", secret: "bravo", expected: Self.rotatedBravo))
            for unchanged in ["alpha", "charlie"] {
                let service = identity.objectName("\(unchanged)-svc")
                #expect(afterRotation.serviceVersions[service] == before.serviceVersions[service], "\(unchanged) must not roll")
                #expect(afterRotation.runningTasks[service] == before.runningTasks[service])
            }
            #expect(afterRotation.serviceVersions[identity.objectName("bravo-svc")] != before.serviceVersions[identity.objectName("bravo-svc")])
            let runDrift = try await sprocketctl(["drift"], values: rotatedValues)
            #expect(runDrift.stdout.contains("No drift") && runDrift.stdout.contains("2 secrets still named"), "\(runDrift.stdout)")

            // The bounded migration moves exactly one (alpha: first by name); alpha-svc keeps its file throughout.
            let alphaBefore = try await Self.mountedSecret(stack, identity, service: "alpha-svc")
            let samples = SampleCounter()
            let watcher = Task {
                while !samples.isStopped {
                    let readable = (try? await Self.secretReadable(identity, service: "alpha-svc", secret: "alpha", expected: Self.values["alpha"] ?? "")) ?? false
                    samples.record(readable)
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            _ = try await sprocketctl(["up", "--yes", "--rekey-secrets", "1"], values: rotatedValues)
            samples.stop()
            await watcher.value
            let afterMigration = try await Self.fingerprint(stack, identity)
            let alpha = try #require(try await Self.mountedSecret(stack, identity, service: "alpha-svc"))
            #expect(alpha != alphaBefore && alpha.hasPrefix(identity.versionedObjectName("alpha", suffix: "k")), "\(alpha)")
            #expect(try await Self.mountedSecret(stack, identity, service: "charlie-svc").map {
                DockerSecretNaming.isLegacyName($0, logicalName: "charlie", identity: identity)
            } == true, "charlie keeps its legacy name")
            let charlieService = identity.objectName("charlie-svc")
            #expect(afterMigration.serviceVersions[charlieService] == before.serviceVersions[charlieService])
            #expect(afterMigration.runningTasks[charlieService] == before.runningTasks[charlieService])
            let observed = samples.counts
            #expect(observed.taken > 0 && observed.missing == 0, "alpha-svc went without its secret in \(observed.missing) of \(observed.taken) samples")
            #expect(try await sprocketctl(["plan"], values: rotatedValues).stdout.contains("1 secret still named by the legacy plain hash"))

            // Canaries: no value in any secret name or label, service definition, state file or command output.
            var haystacks = outputs.flatMap { [$0.stdout, $0.stderr] }
            for secret in try await stack.secrets() {
                haystacks.append(secret.spec?.name ?? "")
                haystacks += (secret.spec?.labels ?? [:]).flatMap { [$0.key, $0.value] }
            }
            for service in try await stack.services() {
                haystacks.append(String(decoding: try JSONEncoder().encode(service.spec), as: UTF8.self))
            }
            haystacks += SecretPipelineTests.files(under: stack.stateFolder.path)
            let keyedNames = try await stack.secrets().compactMap(\.spec?.name).filter { !DockerSecretNaming.isLegacyName($0, logicalName: String($0.split(separator: "_")[1]), identity: identity) }
            #expect(keyedNames.count >= 2, "\(keyedNames)")
            for (name, value) in Self.values.merging(["bravo-rotated": Self.rotatedBravo], uniquingKeysWith: { $1 }) {
                #expect(!haystacks.contains { $0.contains(value) }, "the value of \(name) leaked")
            }
            for name in keyedNames {
                let logical = String(name.split(separator: "_")[1])
                for value in [Self.values[logical], Self.rotatedBravo].compactMap({ $0 }) {
                    let plain = DockerSecretNaming.legacySuffix(identity: identity, name: logical, value: Array(value.utf8))
                    #expect(!name.contains(plain), "\(name) carries the plain hash of a value")
                }
            }
        }
    }
}

/// Samples taken by a watcher task while `up` runs, and whether it should stop.
private final class SampleCounter: Sendable {
    private let state = Mutex<(taken: Int, missing: Int, stopped: Bool)>((0, 0, false))

    func record(_ readable: Bool) { state.withLock { $0.taken += 1; if !readable { $0.missing += 1 } } }
    func stop() { state.withLock { $0.stopped = true } }
    var isStopped: Bool { state.withLock { $0.stopped } }
    var counts: (taken: Int, missing: Int) { state.withLock { ($0.taken, $0.missing) } }
}
