import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

/// A stack that crosses every phase of `up`: layer `edge` runs real OpenBao as a Swarm service (`vault.server`,
/// raft on a volume, published on a loopback port), then Vault's bootstrap (init, unseal, mount `platform`, policy
/// `platform-read`), the manifest secret `api-key` (from the environment, through Vault), a periodic token for
/// `app-svc`, a PostgreSQL role and database on a real server, then layers `app` (`app-svc`, mounting all three) and
/// `tail` (`tail-svc`), plus the generated token renewer. Each test gets its own stack name, Vault port, state folder and PostgreSQL server.
struct PhaseFaultStack {
    static let passphrase = "phase fault passphrase 11"

    let stack: SwarmTestStack
    let pg: PostgresTestServer
    let vaultPort: Int
    /// The stack's prefix for PostgreSQL names (`<prefix>role`, `<prefix>db`).
    let rolePrefix: String
    let apiKey = "canary-fault-api-\(UUID().uuidString)"
    let appPassword = "canary-fault-pg-\(UUID().uuidString)"

    var vaultAddress: String { "http://127.0.0.1:\(vaultPort)" }
    var vaultKeyFile: String { "\(stack.stateFolder.path)/vault/keys" }
    var role: String { "\(rolePrefix)role" }
    var database: String { "\(rolePrefix)db" }
    /// The services the spec declares, `vault-token-renewer` included: `vault.tokens` with a Vault the stack runs
    /// generates it (on by default, `VaultCompanionSpec`).
    var declaredServices: Set<String> {
        Set(["vault", "vault-token-renewer", "app-svc", "tail-svc"].map { "\(stack.stackName)-default_\($0)" })
    }

    /// Starts a PostgreSQL server and a swarm stack, writes the spec, runs `body`, and removes everything after,
    /// whether `body` passed or threw.
    static func with(prefix: String, _ body: (PhaseFaultStack) async throws -> Void) async throws {
        let image = try #require(ProcessInfo.processInfo.environment["SPROCKET_TEST_OPENBAO_IMAGE"], "run through scripts/test, which builds the OpenBao image")
        let pg = try await PostgresTestServer.start()
        do {
            try await SwarmTestStack.with(prefix: prefix) { stack in
                let fixture = PhaseFaultStack(
                    stack: stack, pg: pg, vaultPort: try FreePort.loopbackTCP(),
                    rolePrefix: "\(stack.stackName.replacingOccurrences(of: "-", with: "_"))_")
                try fixture.write(image: image)
                try await body(fixture)
            }
        } catch {
            await pg.stop()
            throw error
        }
        await pg.stop()
    }

    private func write(image: String) throws {
        try stack.write("stack.yaml", """
            stack: {{stack}}
            vault:
              address: \(vaultAddress)
              key_file: \(vaultKeyFile)
              layer: edge
              mounts: [platform]
              policies:
                platform-read:
                  - {path: "platform/*", access: [read, list]}
              tokens:
                platform:
                  policies: [platform-read]
                  period: 768h
                  consumers: [app-svc]
              server:
                image: \(image)
                network: vault
                publish: \(vaultPort)
                storage: {raft: {volume: vault-data}}
                endpoint_mode: dnsrr
            secrets:
              api-key:
                environment: FAULT_API_KEY
                vault: platform/${env}/api#key
                consumers:
                  - {service: app-svc, target: /run/secrets/api-key}
            postgres:
              host: \(pg.host)
              port: \(pg.port)
              database: postgres
              sslmode: require
              admin: {user: \(pg.adminUser), password_secret: pg-admin}
              roles:
                \(role): {password_secret: pg-app}
              databases:
                \(database): {owner: \(role)}
            layers: [edge, app, tail]
            """)
        try stack.write("edge.yaml", "networks:\n  vault: {driver: overlay}\n")
        try stack.write("app.yaml", """
            needs: [edge]
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
            """)
        try stack.write("tail.yaml", """
            needs: [app]
            services:
              tail-svc:
                image: sprocket-local/busybox:latest
                command: ["sleep", "100000"]
                stop_grace_period: 1s
                deploy: { endpoint_mode: dnsrr }
            """)
    }

    /// The environment of a run from the state folder `machine` (each operator's machine has its own).
    func environment(machine: String = "laptop", extra: [String: String] = [:]) -> [String: String] {
        [
            "SPROCKET_STATE_DIR": stateDirectory(machine), "SPROCKET_KEY_FILE": stack.keyFile,
            "SPROCKET_VAULT_PASSPHRASE": Self.passphrase, "PG_ADMIN": pg.adminPassword, "PG_APP": appPassword, "FAULT_API_KEY": apiKey,
        ].merging(extra) { $1 }
    }

    func stateDirectory(_ machine: String) -> String { "\(stack.stateFolder.path)/\(machine)" }

    func sprocketctl(_ arguments: [String], machine: String = "laptop", extra: [String: String] = [:]) async throws -> CLIRun {
        try await CLIBinary.runDetached(arguments + ["-f", stack.folder.path], environment: environment(machine: machine, extra: extra))
    }

    /// Runs `up` again and checks it converges: it succeeds, and a plan right after it finds nothing to change.
    func expectRerunConverges(machine: String = "laptop", extra: [String: String] = [:]) async throws {
        let rerun = try await sprocketctl(["up", "--yes", "--json"], machine: machine, extra: extra)
        #expect(rerun.status == 0, "the re-run converges: \(rerun.stdout)\(rerun.stderr)")
        let plan = try await sprocketctl(["plan", "--detailed-exitcode"], machine: machine, extra: extra)
        #expect(plan.status == 0, "nothing left to change after the re-run: \(plan.stdout)\(plan.stderr)")
    }

    var identity: StackIdentity { StackIdentity(stack: stack.stackName, environment: "default") }

    /// Every orphan the stack left: `state` holds the history (the local folder of `machine` unless given), the
    /// sealed store of `machine` records the tokens it holds.
    func orphans(machine: String = "laptop", state: (any StateStore)? = nil) async throws -> OrphanCensus {
        let history = try await (state ?? LocalStateStore(directory: stateDirectory(machine), identity: identity)).runs()
        let lastFull = history.last { $0.outcome == .succeeded && $0.snapshot.layers.count == 3 }
        let recorded = Set(lastFull?.snapshot.objects.filter { $0.kind == .secret }.map(\.dockerName) ?? [])
        var census = try await OrphanCensus.docker(stack, declaredServices: declaredServices, recorded: recorded)
        census.roles = try await OrphanCensus.roles(pg, prefix: rolePrefix, declared: [role])
        let rootToken = try VaultKeyFile(path: vaultKeyFile).load(passphrase: Self.passphrase).rootToken
        census.tokens = try await OrphanCensus.vaultTokens(address: vaultAddress, rootToken: rootToken, held: try heldAccessors(machine: machine))
        return census
    }

    /// The accessors the sealed store of `machine` records: the current token's and those waiting to be revoked.
    func heldAccessors(machine: String) throws -> Set<String> {
        let store = try SealedSecretStore(
            path: LocalStateStore(directory: stateDirectory(machine), identity: identity).sealedSecretsPath,
            key: try SecretKey.loadOrCreate(at: stack.keyFile), identity: identity)
        var held: Set<String> = []
        if let record = try store.value(named: SealedStoreKey.vaultTokenRecord("platform").rawValue),
            let accessor = (try JSONSerialization.jsonObject(with: Data(record)) as? [String: Any])?["accessor"] as? String
        {
            held.insert(accessor)
        }
        if let retired = try store.value(named: "vault-token-retired/platform") {
            held.formUnion((try? JSONDecoder().decode([String].self, from: Data(retired))) ?? [])
        }
        return held
    }

    /// Whether `text` holds a secret value of this stack.
    func leaks(_ text: String) -> Bool {
        [apiKey, appPassword, pg.adminPassword].contains { text.contains($0) }
    }
}
