import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// `vault init -f STACK`: the stack environment's lease is held for the whole command, as `up` holds it, and the
/// stack's `vault.address` and `vault.key_file` are the defaults. Real OpenBao.
@Suite("vault init under the stack environment's lease")
struct VaultInitLeaseTests {
    /// A stack whose Vault is `setup`'s server, its key file `setup.keyFile`; state under the folder.
    static func writeStack(_ setup: VaultCommandTests.Setup) throws -> (file: String, stateRoot: String, identity: StackIdentity) {
        let stackFolder = "\(setup.folder.path)/stack"
        try FileManager.default.createDirectory(atPath: stackFolder, withIntermediateDirectories: true)
        try """
            stack: vault-lease-it
            layers: [edge]
            vault: {address: "\(setup.emulator.address)", layer: edge, key_file: "\(setup.keyFile)"}
            """.write(toFile: "\(stackFolder)/stack.yaml", atomically: true, encoding: .utf8)
        try "services:\n  web: {image: \(DockerTestImages.busybox)}\n".write(toFile: "\(stackFolder)/edge.yaml", atomically: true, encoding: .utf8)
        let identity = StackIdentity(stack: "vault-lease-it", environment: "default")
        return ("\(stackFolder)/stack.yaml", "\(setup.folder.path)/state", identity)
    }

    @Test("another run holds the lock: exit 4 naming it, Vault stays uninitialised; once free, init runs with the stack's address and key file and releases the lock (real OpenBao)")
    func heldLock() async throws {
        try await VaultCommandTests.withSetup(.openBao) { setup in
            let stack = try Self.writeStack(setup)
            let directory = LocalStateStore.directory(root: stack.stateRoot, identity: stack.identity)
            let held = try StateLock.acquire(directory: directory, command: "up (another operator)")
            // No --addr and no VAULT_ADDR: the stack's `vault.address` is the default.
            let blocked = try await setup.run(
                ["init", "-f", stack.file, "--state", stack.stateRoot, "--shares", "3", "--threshold", "2"], environment: ["VAULT_ADDR": ""])
            held.release()
            #expect(blocked.status == 4, "\(blocked.stderr)")
            #expect(blocked.stderr.contains("up (another operator)"), "the holder is named: \(blocked.stderr)")
            #expect(try await setup.isInitialized == false, "nothing was sent to Vault")
            #expect(!FileManager.default.fileExists(atPath: setup.keyFile))

            let initRun = try await setup.run(
                ["init", "-f", stack.file, "--state", stack.stateRoot, "--shares", "3", "--threshold", "2"], environment: ["VAULT_ADDR": ""])
            #expect(initRun.status == 0, "\(initRun.stderr)")
            #expect(try await setup.isInitialized)
            #expect(try await setup.isSealed == false)
            #expect(FileManager.default.fileExists(atPath: setup.keyFile), "the stack's `vault.key_file` holds the keys")
            let again = try StateLock.acquire(directory: directory, command: "test")
            again.release()
            try VaultCommandTests.expectNoSecrets([blocked, initRun], setup: setup)
        }
    }
}
