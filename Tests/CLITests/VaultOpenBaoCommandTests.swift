import Foundation
import SprocketCore
import Logging
import SprocketTestSupport
import Testing
import Vault

/// `sprocketctl vault …` against a real OpenBao only: raft snapshots (which the emulator does not have) and the bad
/// inputs an operator meets (a sealed OpenBao without its key file, the key file of another OpenBao).
@Suite("VaultCLI on real OpenBao: raft snapshots, a missing key file, the key file of another OpenBao")
struct VaultOpenBaoCommandTests {
    /// A client with the root token of `setup`'s key file.
    static func withRoot<T: Sendable>(_ setup: VaultCommandTests.Setup, _ body: (VaultClient) async throws -> T) async throws -> T {
        let material = try VaultKeyFile(path: setup.keyFile).load(passphrase: VaultCommandTests.passphrase)
        return try await VaultClient.withClient(
            configuration: VaultClientConfiguration(address: setup.emulator.address, token: VaultSecretString(material.rootToken)),
            logger: Logger(label: "vault-cli-tests"), body)
    }

    /// `vault init` (3 shares, threshold 2), then `platform/prod/db` = {password: value}.
    static func initWithSecret(_ setup: VaultCommandTests.Setup, value: String) async throws -> (CLIRun, VaultKVPath) {
        let initRun = try await setup.run(["init", "--key-file", setup.keyFile, "--shares", "3", "--threshold", "2"])
        #expect(initRun.status == 0, "\(initRun.stderr)")
        let secret = try VaultKVPath(mount: "platform", path: "prod/db")
        try await withRoot(setup) { root in
            try await root.enableKVVersion2(at: "platform")
            try await root.writeSecret(VaultSecretData(["password": VaultSecretString(value)]), at: secret)
        }
        return (initRun, secret)
    }

    @Test("snapshot save, change a secret, snapshot restore (-f: refused while another run holds the stack's lock): the secret reads back as it was; the file is 0600 (real OpenBao)")
    func snapshotRestore() async throws {
        try await VaultCommandTests.withSetup(.openBao) { setup in
            let (initRun, secret) = try await Self.initWithSecret(setup, value: "before-snapshot")
            let file = "\(setup.folder.path)/backups/vault.snap"
            let save = try await setup.run(["snapshot", "save", "--key-file", setup.keyFile, file])
            #expect(save.status == 0, "\(save.stderr)")
            #expect(save.stdout.contains(file) && save.stdout.contains(setup.emulator.address))
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            let raw = String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
            #expect(!raw.contains("before-snapshot"), "the snapshot is compressed and barrier-encrypted")

            try await Self.withRoot(setup) { root in
                try await root.writeSecret(VaultSecretData(["password": VaultSecretString("after-snapshot")]), at: secret)
                try await root.enableKVVersion2(at: "later")
            }
            // With -f the restore holds the stack environment's lease: refused while another run holds it.
            let stack = try VaultInitLeaseTests.writeStack(setup)
            let held = try StateLock.acquire(
                directory: LocalStateStore.directory(root: stack.stateRoot, identity: stack.identity), command: "up (another operator)")
            let blocked = try await setup.run(["snapshot", "restore", "-f", stack.file, "--state", stack.stateRoot, file], environment: ["VAULT_ADDR": ""])
            held.release()
            #expect(blocked.status == 4 && blocked.stderr.contains("up (another operator)"), "\(blocked.status) \(blocked.stderr)")
            let unrestored = try await Self.withRoot(setup) { root in try await root.readSecret(at: secret).data["password"]?.unredactedValue }
            #expect(unrestored == "after-snapshot", "nothing was restored")
            let restore = try await setup.run(["snapshot", "restore", "-f", stack.file, "--state", stack.stateRoot, file], environment: ["VAULT_ADDR": ""])
            #expect(restore.status == 0, "\(restore.stderr)")
            try await Self.withRoot(setup) { root in
                try await root.waitUntilActive()
                #expect(try await root.readSecret(at: secret).data["password"]?.unredactedValue == "before-snapshot")
                #expect(try await root.readMetadata(at: secret).currentVersion == 1, "the second version is gone")
                #expect(try await root.listMounts()["later/"] == nil, "a mount made after the snapshot is gone")
            }
            try VaultCommandTests.expectNoSecrets([initRun, save, blocked, restore], setup: setup)
        }
    }

    @Test("snapshot save to a bucket (moto S3), change a secret, restore from the bucket: the secret reads back as it was (real OpenBao)")
    func snapshotToBucket() async throws {
        try await MotoStateBucket.with(prefix: "vault-snap") { bucket in
            try await VaultCommandTests.withSetup(.openBao) { setup in
                let (initRun, secret) = try await Self.initWithSecret(setup, value: "in-the-bucket")
                let url = bucket.stateURL(prefix: "vault/openbao.snap")
                let save = try await setup.run(["snapshot", "save", "--key-file", setup.keyFile, url], environment: bucket.awsEnvironment)
                #expect(save.status == 0, "\(save.stderr)")
                #expect(save.stdout.contains("s3://\(bucket.bucket)/vault/openbao.snap"), "\(save.stdout)")
                try await Self.withRoot(setup) { root in
                    try await root.writeSecret(VaultSecretData(["password": VaultSecretString("changed-later")]), at: secret)
                }
                let noCredentials = try await setup.run(
                    ["snapshot", "restore", "--key-file", setup.keyFile, url],
                    environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""])
                #expect(noCredentials.status == 1 && noCredentials.stderr.contains("AWS_ACCESS_KEY_ID"), "\(noCredentials.stderr)")
                let restore = try await setup.run(["snapshot", "restore", "--key-file", setup.keyFile, url], environment: bucket.awsEnvironment)
                #expect(restore.status == 0, "\(restore.stderr)")
                try await Self.withRoot(setup) { root in
                    try await root.waitUntilActive()
                    #expect(try await root.readSecret(at: secret).data["password"]?.unredactedValue == "in-the-bucket")
                }
                try VaultCommandTests.expectNoSecrets([initRun, save, noCredentials, restore], setup: setup)
            }
        }
    }

    @Test("a snapshot of nothing (garbage file) is refused with OpenBao's reason and changes nothing (real OpenBao)")
    func restoreGarbage() async throws {
        try await VaultCommandTests.withSetup(.openBao) { setup in
            let initRun = try await setup.run(["init", "--key-file", setup.keyFile, "--shares", "1", "--threshold", "1"])
            #expect(initRun.status == 0, "\(initRun.stderr)")
            try setup.folder.write("garbage.snap", "not a snapshot")
            let restore = try await setup.run(["snapshot", "restore", "--key-file", setup.keyFile, "\(setup.folder.path)/garbage.snap"])
            #expect(restore.status == 1)
            #expect(restore.stderr.contains("sys/storage/raft/snapshot") && restore.stderr.contains("decompress"), "\(restore.stderr)")
            let status = try await setup.run(["status"])
            #expect(status.status == 0, "still initialised and unsealed: \(status.stdout)")
        }
    }

    @Test("sealed and no key file: unseal names the address and the missing file, gives the recovery options, submits nothing (real OpenBao)")
    func sealedWithoutKeyFile() async throws {
        try await VaultCommandTests.withSetup(.openBao) { setup in
            let initRun = try await setup.run(["init", "--key-file", setup.keyFile])
            #expect(initRun.status == 0, "\(initRun.stderr)")
            try await setup.seal()
            let missing = "\(setup.folder.path)/nowhere/vault.keys"
            let unseal = try await setup.run(["unseal", "--key-file", missing])
            #expect(unseal.status == 1)
            for part in [setup.emulator.address, missing, "already initialised", "restore", "vault unseal --prompt", "last resort"] {
                #expect(unseal.stderr.contains(part), "names \(part): \(unseal.stderr)")
            }
            let state = try await setup.emulator.currentSealState()
            #expect(state.sealed && state.progress == 0, "nothing was submitted")
            try VaultCommandTests.expectNoSecrets([initRun, unseal], setup: setup)
        }
    }

    @Test("the key file of another OpenBao: unseal rejected and said so, nothing more submitted, still sealed, progress reset (real OpenBao)")
    func keyFileOfAnotherOpenBao() async throws {
        try await VaultCommandTests.withSetup(.openBao) { other in
            let otherInit = try await other.run(["init", "--key-file", other.keyFile, "--shares", "5", "--threshold", "3"])
            #expect(otherInit.status == 0, "\(otherInit.stderr)")
            try await VaultCommandTests.withSetup(.openBao) { setup in
                let initRun = try await setup.run(["init", "--key-file", setup.keyFile, "--shares", "5", "--threshold", "3"])
                #expect(initRun.status == 0, "\(initRun.stderr)")
                try await setup.seal()
                let wrong = try await setup.run(["unseal", "--key-file", other.keyFile])
                #expect(wrong.status == 1)
                for part in [setup.emulator.address, other.keyFile, "rejected", "another Vault", "no further key was submitted"] {
                    #expect(wrong.stderr.contains(part), "names \(part): \(wrong.stderr)")
                }
                let state = try await setup.emulator.currentSealState()
                #expect(state.sealed && state.progress == 0, "keys 4 and 5 were not submitted after the rejection")
                let right = try await setup.run(["unseal", "--key-file", setup.keyFile])
                #expect(right.status == 0, "the right key file still unseals it: \(right.stderr)")
                try VaultCommandTests.expectNoSecrets([initRun, wrong, right], also: [wrong.stderr], setup: setup)
                try VaultCommandTests.expectNoSecrets([otherInit], also: [wrong.stdout, wrong.stderr], setup: other)
            }
        }
    }
}
