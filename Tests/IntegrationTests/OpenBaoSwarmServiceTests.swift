import Foundation
import SprocketCore
import Logging
import SprocketTestSupport
import Testing
import Vault

/// `vault.server` with the real OpenBao image (sprocket-local/openbao, built offline by scripts/build-images) as a
/// Swarm service: the generated `vault.hcl` (raft on a named volume), entrypoint and health check must be accepted
/// by real OpenBao; `up` initialises and unseals it through its published port; after `docker service update
/// --force` it comes back sealed with its data, and the next `up` unseals it.
@Suite("vault.server runs real OpenBao as a Swarm service", .tags(.integration))
struct OpenBaoSwarmServiceTests {
    static let passphrase = "openbao service passphrase 5"

    @Test("up deploys the generated OpenBao service, initialises and unseals it; a forced update brings it back sealed and up unseals it with its data (real OpenBao)")
    func generatedService() async throws {
        let image = try #require(ProcessInfo.processInfo.environment["SPROCKET_TEST_OPENBAO_IMAGE"], "run through scripts/test, which builds the OpenBao image")
        try await SwarmTestStack.with(prefix: "bsvc") { stack in
            let port = try FreePort.loopbackTCP()
            let keyFile = "\(stack.stateFolder.path)/vault/keys"
            let address = "http://127.0.0.1:\(port)"
            try OpenBaoServiceStack.write(stack, image: image, port: port, keyFile: keyFile)
            let environment = ["SPROCKET_VAULT_PASSPHRASE": Self.passphrase]
            let validate = try await stack.sprocketctl(["validate", "-f", stack.folder.path], environment: environment)
            #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")

            let first = try await stack.sprocketctl(["up", "--yes", "--json", "-f", stack.folder.path], environment: environment)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            if first.status != 0 { Issue.record(Comment(rawValue: try await Self.serviceLogs(stack))) }
            let unsealed = first.stdout.split(separator: "\n").first { $0.contains(#""resource":"vault: unsealed""#) }
            #expect(unsealed?.contains("check-passed") == true && unsealed?.contains("initialised") == true, "\(first.stdout)")

            let material = try VaultKeyFile(path: keyFile).load(passphrase: Self.passphrase)
            let client = try VaultClient(
                configuration: VaultClientConfiguration(address: address, token: VaultSecretString(material.rootToken)),
                logger: Logger(label: "it"))
            do {
                let status = try await client.sealStatus()
                #expect(!status.sealed && status.storageType == "raft" && status.version.hasPrefix("2."), "\(status)")
                try await client.writeSecret(
                    VaultSecretData(["k": VaultSecretString("canary-service-value")]), at: try VaultKVPath(mount: "platform", path: "x"))

                // A forced update restarts the task: OpenBao comes back sealed, its raft data on the volume.
                let service = "\(stack.stackName)-default_vault"
                let update = try await CLIBinary.runDetached(
                    ["docker", "service", "update", "--force", "--detach", service], executable: "/usr/bin/env")
                #expect(update.status == 0, "\(update.stderr)")
                try await Self.waitUntilSealed(client, timeout: .seconds(90))

                let second = try await stack.sprocketctl(["up", "--yes", "--json", "-f", stack.folder.path], environment: environment)
                #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
                let sealedAgain = try await client.sealStatus().sealed
                #expect(!sealedAgain)
                try await client.waitUntilActive()
                #expect(try await client.readSecret(at: try VaultKVPath(mount: "platform", path: "x")).data["k"]?.unredactedValue
                    == "canary-service-value")
                for run in [first, second] {
                    for secret in material.unsealKeys + [material.rootToken, "canary-service-value"] {
                        #expect(!(run.stdout + run.stderr).contains(secret), "a secret leaked")
                    }
                }
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    /// A stack whose layer `edge` runs OpenBao from `vault.server` (raft on the volume `vault-data`, published on
    /// 127.0.0.1:`port`, Vault's address) and whose layer `app` runs `app-svc`. `vault` adds lines to the `vault:`
    /// block (indented by 2), `top` adds top-level keys of stack.yaml.
    /// Waits until the restarted task answers sealed (it is unreachable for a few seconds in between).
    static func waitUntilSealed(_ client: VaultClient, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = try? await client.sealStatus(), status.sealed { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        Issue.record("OpenBao did not come back sealed within \(timeout)")
    }

    /// The Vault service's recent log, for a failure message.
    static func serviceLogs(_ stack: SwarmTestStack) async throws -> String {
        let logs = try await CLIBinary.runDetached(
            ["docker", "service", "logs", "--tail", "30", "\(stack.stackName)-default_vault"], executable: "/usr/bin/env")
        return "\nOpenBao's log:\n\(logs.stdout)\(logs.stderr)"
    }
}
