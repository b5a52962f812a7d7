import Foundation
import Logging
import SprocketTestSupport
import Testing
import Vault

/// `up` unseals the stack's Vault after the layer that runs it, through the built binary on the real swarm; the
/// Vault itself is a real OpenBao process or the emulator, reached at its address like a published port.
@Suite("up unseals Vault after its layer", .tags(.integration))
struct VaultUnsealGateTests {
    static let passphrase = "integration passphrase 42"

    /// An initialised, sealed server of `backend` and a key file holding its keys.
    static func sealedVault(_ backend: VaultTestBackend, keyFile: String) async throws -> any VaultTestServer {
        let emulator = try await backend.start()
        let client = try VaultClient(configuration: try VaultClientConfiguration(address: emulator.address), logger: Logger(label: "it"))
        do {
            let result = try await client.initialize(shares: 3, threshold: 2)
            try VaultKeyFile(path: keyFile, cost: .testing).save(
                VaultKeyMaterial(
                    unsealKeys: result.keysBase64.map(\.unredactedValue), rootToken: result.rootToken.unredactedValue,
                    threshold: 2, vaultAddress: emulator.address, createdAt: Date()),
                passphrase: passphrase)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            await emulator.shutdown()
            throw error
        }
        #expect(try await emulator.isSealedNow())
        return emulator
    }

    static func write(_ stack: SwarmTestStack, address: String, keyFile: String, tokens: String = "") throws {
        try stack.write("stack.yaml", """
            stack: {{stack}}
            vault:
              address: \(address)
              key_file: \(keyFile)
              layer: edge
              mounts: [infrastructure, platform]
              policies:
                platform-read:
                  - {path: "platform/*", access: [read, list]}
            \(tokens)
            layers: [edge, app]
            """)
        for (layer, needs) in [("edge", ""), ("app", "needs: [edge]\n")] {
            try stack.write("\(layer).yaml", needs + """
                services:
                  \(layer)-svc:
                    image: sprocket-local/busybox:latest
                    command: ["sleep", "100000"]
                    stop_grace_period: 1s
                    deploy: { endpoint_mode: dnsrr }
                """)
        }
    }

    func up(_ stack: SwarmTestStack, passphrase: String) async throws -> CLIRun {
        try await CLIBinary.runDetached(
            ["up", "--yes", "--json", "-f", stack.folder.path],
            environment: [
                "SPROCKET_STATE_DIR": "\(stack.stateFolder.path)/\(stack.stackName)/default", "SPROCKET_KEY_FILE": stack.keyFile,
                "SPROCKET_VAULT_PASSPHRASE": passphrase,
            ])
    }

    @Test("a sealed Vault is unsealed once its layer converged, before the next layer; the gate result says so (emulator)")
    func unsealsBetweenLayersEmulator() async throws { try await unsealsBetweenLayers(.emulator) }

    @Test("a sealed Vault is unsealed once its layer converged, before the next layer; the gate result says so (real OpenBao)")
    func unsealsBetweenLayersOpenBao() async throws { try await unsealsBetweenLayers(.openBao) }

    private func unsealsBetweenLayers(_ backend: VaultTestBackend) async throws {
        try await SwarmTestStack.with(prefix: "vault") { stack in
            let keyFile = "\(stack.stateFolder.path)/vault.keys"
            let emulator = try await Self.sealedVault(backend, keyFile: keyFile)
            do {
                try Self.write(stack, address: emulator.address, keyFile: keyFile)
                let run = try await up(stack, passphrase: Self.passphrase)
                #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                #expect(try await emulator.isSealedNow() == false)
                let unsealed = run.stdout.split(separator: "\n").first { $0.contains(#""resource":"vault: unsealed""#) }
                #expect(unsealed?.contains("check-passed") == true && unsealed?.contains("was sealed") == true, "\(run.stdout)")
                for secret in [Self.passphrase] { #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret)) }
                #expect(run.stdout.contains("enabled infrastructure/, platform/") && run.stdout.contains("wrote platform-read"), "\(run.stdout)")

                // The mounts are KV v2 and the policy grants the data/ and metadata/ paths of KV v2.
                let material = try VaultKeyFile(path: keyFile).load(passphrase: Self.passphrase)
                let client = try VaultClient(
                    configuration: try VaultClientConfiguration(address: emulator.address, token: VaultSecretString(material.rootToken)),
                    logger: Logger(label: "it"))
                let mounts = try await client.listMounts()
                let policy = try await client.readPolicy(named: "platform-read")
                try await client.shutdown()
                #expect(mounts["platform/"]?.options?["version"] == "2" && mounts["infrastructure/"]?.type == "kv")
                #expect(policy?.contains("platform/data/*") == true && policy?.contains("platform/metadata/*") == true)
                #expect(!run.stdout.contains(material.rootToken) && !run.stderr.contains(material.rootToken))

                // A second run writes nothing to Vault.
                let again = try await up(stack, passphrase: Self.passphrase)
                #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
                #expect(again.stdout.contains("all present") && again.stdout.contains("all unchanged"), "\(again.stdout)")
            } catch {
                await emulator.shutdown()
                throw error
            }
            await emulator.shutdown()
        }
    }

    @Test("a Vault that cannot be unsealed (wrong passphrase) fails the gate by name; the next layer never starts (emulator)")
    func cannotUnsealEmulator() async throws { try await cannotUnseal(.emulator) }

    @Test("a Vault that cannot be unsealed (wrong passphrase) fails the gate by name; the next layer never starts (real OpenBao)")
    func cannotUnsealOpenBao() async throws { try await cannotUnseal(.openBao) }

    private func cannotUnseal(_ backend: VaultTestBackend) async throws {
        try await SwarmTestStack.with(prefix: "vaultno") { stack in
            let keyFile = "\(stack.stateFolder.path)/vault.keys"
            let emulator = try await Self.sealedVault(backend, keyFile: keyFile)
            do {
                try Self.write(stack, address: emulator.address, keyFile: keyFile)
                let run = try await up(stack, passphrase: "not the right passphrase")
                #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
                #expect(run.stderr.contains("vault: unsealed") && run.stderr.contains("passphrase"), "\(run.stderr)")
                #expect(try await emulator.isSealedNow())
                let names = try await stack.services().compactMap(\.spec?.name)
                #expect(!names.contains { $0.hasSuffix("_app-svc") }, "the app layer started: \(names)")
            } catch {
                await emulator.shutdown()
                throw error
            }
            await emulator.shutdown()
        }
    }
}
