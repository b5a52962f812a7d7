import Foundation
import Logging
import SprocketTestSupport
import Testing
import Vault

/// The Sprocket platform's topology (`stacks/sprocket`, environment `local`) deployed on the real swarm with
/// Sprocket's own images replaced by local stand-ins (`stacks/sprocket/standins.yaml`): its networks, routing
/// labels, secrets, configs, volumes and placement are all exercised; layer 1 runs real Traefik (through the real
/// socket proxy) and real OpenBao, which `up` initialises and unseals; the managed PostgreSQL and Spaces are a real
/// PostgreSQL and moto; person-owned secrets come from the Doppler emulator through OpenBao.
@Suite("stacks/sprocket deployed locally with stand-in images", .tags(.integration))
struct SprocketLocalDeployTests {
    static var stackFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("stacks/sprocket").path
    }

    @Test("up converges all three layers, verify passes, a second up changes nothing, down removes it")
    func deploysLocally() async throws {
        let pg = try await PostgresTestServer.start()
        let moto: MotoServer
        do { moto = try await MotoServer.start() } catch {
            await pg.stop()
            throw error
        }
        // Doppler (project sprocket, config dev) holds every secret a person owns, as in production.
        var dopplerValues = ["POSTGRES_PASSWORD": pg.adminPassword, "MINIO_ACCESS_KEY": "local", "MINIO_SECRET_KEY": "local-secret"]
        for name in ["DISCORD_FA_CLIENT_SECRET", "GATUS_DISCORD_WEBHOOK", "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "DISCORD_CLIENT_ID",
                     "DISCORD_CLIENT_SECRET", "EPIC_CLIENT_ID", "EPIC_CLIENT_SECRET", "STEAM_API_KEY", "BALLCHASING_API_TOKEN", "DISCORD_BOT_TOKEN"] {
            dopplerValues[name] = "canary-\(name.lowercased())-\(UUID().uuidString.prefix(8))"
        }
        let doppler: DopplerEmulator
        do { doppler = try await DopplerEmulator.start(project: "sprocket", config: "dev", environment: "dev", secrets: dopplerValues) } catch {
            moto.stop()
            await pg.stop()
            throw error
        }
        let dopplerToken = "dp.st.dev.\(UUID().uuidString)"
        doppler.addToken(dopplerToken, access: .serviceToken)
        let folder = try TemporaryDirectory(prefix: "sprocket-local")
        let vaultPort = try FreePort.loopbackTCP()
        let vaultAddress = "http://127.0.0.1:\(vaultPort)"
        var environment = [
            "SPROCKET_STATE_DIR": "\(folder.path)/state", "SPROCKET_KEY_FILE": "\(folder.path)/secrets.key",
            "SPROCKET_VAULT_KEY_FILE": "\(folder.path)/vault/keys", "SPROCKET_VAULT_PASSPHRASE": "local deploy passphrase 1",
            "SPROCKET_VAULT_ADDRESS": vaultAddress, "SPROCKET_VAULT_PORT": "\(vaultPort)", "SPROCKET_DATA_ROOT": "\(folder.path)/data",
            "SPROCKET_PG_HOST": pg.host, "SPROCKET_PG_PORT": "\(pg.port)", "SPROCKET_PG_ADMIN_USER": pg.adminUser,
            "SPROCKET_PG_ADMIN_DATABASE": "postgres", "SPROCKET_S3_ENDPOINT": moto.endpoint,
            "DOPPLER_TOKEN": dopplerToken, "DOPPLER_API_HOST": doppler.baseURL,
            // The local environment reads person-owned secrets from the local store; this test keeps Doppler's hop.
            "SPROCKET_DOPPLER_SOURCE": "doppler",
        ]
        for name in ["HTTP_PORT", "HTTPS_PORT"] { environment["SPROCKET_\(name)"] = "\(try FreePort.loopbackTCP())" }
        for directory in ["influx", "loki", "rabbitmq", "redis", "dgraph", "dgraph_zero"] {
            try FileManager.default.createDirectory(atPath: "\(folder.path)/data/\(directory)", withIntermediateDirectories: true)
        }
        let base = ["-f", Self.stackFolder, "--env", "local", "--stand-ins", "\(Self.stackFolder)/standins.yaml"]
        func sprocketctl(_ arguments: [String]) async throws -> CLIRun {
            try await CLIBinary.runDetached(arguments + base, environment: environment)
        }
        // The stack's name is fixed (`sprocket`): a run that died before its `down` left volumes whose bind
        // devices name its own temporary folder; start clean.
        _ = try await sprocketctl(["down", "--yes", "--volumes"])
        do {
            let up = try await sprocketctl(["up", "--yes", "--json"])
            #expect(up.status == 0, "\(up.stdout.suffix(4000))\(up.stderr.suffix(2000))")
            let client = try VaultClient(configuration: VaultClientConfiguration(address: vaultAddress), logger: Logger(label: "it"))
            let status = try await client.sealStatus()
            try await client.shutdown()
            #expect(status.initialized && !status.sealed && status.storageType == "raft", "up initialised and unsealed OpenBao after layer edge: \(status)")
            #expect(up.stdout.contains("postgres login sprocket_app") && up.stdout.contains(#""event":"vault-token""#))
            // The local environment turns the unattended unsealer on; the renewer is on by default.
            #expect(up.stdout.contains(#""event":"vault-unsealer-keys""#), "\(up.stdout.suffix(2000))")
            for service in ["vault-unsealer", "vault-token-renewer"] {
                let replicas = try await CLIBinary.runDetached(
                    ["docker", "service", "ls", "--filter", "name=sprocket-local_\(service)", "--format", "{{.Replicas}}"], executable: "/usr/bin/env")
                #expect(replicas.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1/1", "\(service): \(replicas.stdout)\(replicas.stderr)")
            }

            let verify = try await sprocketctl(["verify", "--json"])
            #expect(verify.status == 0, "\(verify.stdout.suffix(4000))\(verify.stderr)")

            // Every Doppler value reached Vault and the service that mounts it: nothing stale on any hop.
            let diff = try await sprocketctl(["secrets", "diff"])
            #expect(diff.status == 0 && diff.stdout.contains("google-client-id"), "\(diff.stdout)\(diff.stderr)")

            let again = try await sprocketctl(["up", "--yes", "--json"])
            #expect(again.status == 0, "\(again.stderr.suffix(2000))")
            let summary = again.stdout.split(separator: "\n").last.map(String.init) ?? ""
            #expect(summary.contains(#""mutating":0"#), "a second up changes nothing: \(summary)")

            for output in [up, verify, diff, again] {
                for (name, value) in dopplerValues where value.count > 8 {
                    #expect(!output.stdout.contains(value) && !output.stderr.contains(value), "\(name) leaked")
                }
                #expect(!output.stdout.contains(dopplerToken) && !output.stderr.contains(dopplerToken), "the Doppler token leaked")
            }
        } catch {
            Issue.record("the local deployment failed: \(error)")
        }
        let down = try await sprocketctl(["down", "--yes", "--volumes"])
        #expect(down.status == 0, "\(down.stderr)")
        try? await doppler.stop()
        moto.stop()
        await pg.stop()
        folder.remove()
    }
}
