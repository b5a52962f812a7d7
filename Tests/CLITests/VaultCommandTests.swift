import Foundation
import SprocketTestSupport
import Testing
import Vault

/// `sprocketctl vault …` through the built binary against the Vault emulator and a real OpenBao, each on TCP.
@Suite("VaultCLI: init, status, unseal and watch through the built binary")
struct VaultCommandTests {
    static let passphrase = "cli test passphrase 0123"

    /// A fresh server (emulator or OpenBao) and folder; the environment points the binary at both.
    struct Setup: Sendable {
        let emulator: any VaultTestServer
        let folder: TemporaryDirectory
        var keyFile: String { "\(folder.path)/keys/vault.keys" }
        var environment: [String: String] {
            ["VAULT_ADDR": emulator.address, "SPROCKET_VAULT_PASSPHRASE": VaultCommandTests.passphrase, "HOME": folder.path,
             "SPROCKET_VAULT_KEY_FILE": "", "VAULT_TOKEN": "", "VAULT_CACERT": "", "VAULT_NAMESPACE": ""]
        }

        func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> CLIRun {
            try await CLIBinary.runDetached(["vault"] + arguments, environment: environment.merging(extra) { $1 })
        }

        /// The secrets kept in the key file (read back with the passphrase), for the canary checks.
        func secrets() throws -> [String] {
            let material = try VaultKeyFile(path: keyFile).load(passphrase: VaultCommandTests.passphrase)
            return material.unsealKeys + [material.rootToken] + material.unsealKeys.compactMap(Self.hex)
        }

        /// Seals the server with the root token kept in the key file, as `bao operator seal` would.
        func seal() async throws {
            let material = try VaultKeyFile(path: keyFile).load(passphrase: VaultCommandTests.passphrase)
            try await emulator.seal(rootToken: material.rootToken)
        }

        var isSealed: Bool {
            get async throws { try await emulator.isSealedNow() }
        }

        var isInitialized: Bool {
            get async throws { try await emulator.currentSealState().initialized }
        }

        /// The hex form of a base64 share (Vault's `keys`), so neither encoding may leak.
        static func hex(_ base64: String) -> String? {
            Data(base64Encoded: base64).map { $0.map { String(format: "%02x", $0) }.joined() }
        }
    }

    static func withSetup(_ backend: VaultTestBackend, _ body: (Setup) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "vault-cli")
        let server = try await backend.start()
        do {
            try await body(Setup(emulator: server, folder: folder))
        } catch {
            if let bao = server as? OpenBaoServer { Issue.record("OpenBao's log:\n\(bao.logTail())") }
            await server.shutdown()
            folder.remove()
            throw error
        }
        await server.shutdown()
        folder.remove()
    }

    /// The canary: no secret in any output, nor in the key file's raw bytes.
    static func expectNoSecrets(
        _ runs: [CLIRun], also texts: [String] = [], setup: Setup, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let outputs = runs.flatMap { [$0.stdout, $0.stderr] } + texts
        let secrets = try setup.secrets()
        #expect(secrets.count >= 7, "2 encodings of at least 3 shares, and the root token", sourceLocation: sourceLocation)
        let raw = String(decoding: try Data(contentsOf: URL(fileURLWithPath: setup.keyFile)), as: UTF8.self)
        for secret in secrets {
            #expect(!raw.contains(secret), "a secret is in the key file's raw bytes", sourceLocation: sourceLocation)
            for output in outputs {
                #expect(!output.contains(secret), "a secret was printed", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("vault init, then status --json; a second init changes nothing; no key or token is ever printed (emulator)")
    func initThenStatusEmulator() async throws { try await initThenStatus(.emulator) }

    @Test("vault init, then status --json; a second init changes nothing; no key or token is ever printed (real OpenBao)")
    func initThenStatusOpenBao() async throws { try await initThenStatus(.openBao) }

    private func initThenStatus(_ backend: VaultTestBackend) async throws {
        try await Self.withSetup(backend) { setup in
            let uninitialised = try await setup.run(["status"])
            #expect(uninitialised.status == 2, "not initialised exits 2: \(uninitialised.stderr)")
            #expect(uninitialised.stdout.contains("not initialised"))

            let initRun = try await setup.run(["init", "--key-file", setup.keyFile])
            #expect(initRun.status == 0, "\(initRun.stderr)")
            #expect(initRun.stdout.contains(setup.emulator.address) && initRun.stdout.contains(setup.keyFile))
            let sealedNow = try await setup.isSealed
            #expect(!sealedNow)
            let mode = try FileManager.default.attributesOfItem(atPath: setup.keyFile)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)

            let status = try await setup.run(["status", "--json"])
            #expect(status.status == 0, "\(status.stderr)")
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            #expect(Set(parsed.keys) == [
                "address", "initialized", "sealed", "progress", "threshold", "shares", "type", "version", "keyFile",
                "keyFilePresent",
            ])
            #expect(parsed["initialized"] as? Bool == true && parsed["sealed"] as? Bool == false)
            #expect(parsed["progress"] as? Int == 0 && parsed["threshold"] as? Int == 3 && parsed["shares"] as? Int == 5)
            #expect((parsed["version"] as? String)?.isEmpty == false)
            #expect(parsed["address"] as? String == setup.emulator.address)

            let before = try Data(contentsOf: URL(fileURLWithPath: setup.keyFile))
            let again = try await setup.run(["init", "--key-file", setup.keyFile])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("already initialised"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: setup.keyFile)) == before)
            try Self.expectNoSecrets([uninitialised, initRun, status, again], setup: setup)
        }
    }

    @Test("sealed: status exits 2 and says so; vault unseal unseals with the key file; a wrong passphrase changes nothing (emulator)")
    func unsealAfterSealEmulator() async throws { try await unsealAfterSeal(.emulator) }

    @Test("sealed: status exits 2 and says so; vault unseal unseals with the key file; a wrong passphrase changes nothing (real OpenBao)")
    func unsealAfterSealOpenBao() async throws { try await unsealAfterSeal(.openBao) }

    private func unsealAfterSeal(_ backend: VaultTestBackend) async throws {
        try await Self.withSetup(backend) { setup in
            let initRun = try await setup.run(["init", "--key-file", setup.keyFile, "--shares", "3", "--threshold", "2"])
            #expect(initRun.status == 0, "\(initRun.stderr)")
            try await setup.seal()

            let sealed = try await setup.run(["status", "--key-file", setup.keyFile])
            #expect(sealed.status == 2)
            #expect(sealed.stdout.contains("sealed (unseal progress 0 of 2)") && sealed.stdout.contains(setup.emulator.address))

            let wrong = try await setup.run(["unseal", "--key-file", setup.keyFile], environment: ["SPROCKET_VAULT_PASSPHRASE": "a wrong passphrase!"])
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("does not open") && wrong.stderr.contains("nothing was changed"))
            let none = try await setup.run(["unseal", "--key-file", setup.keyFile], environment: ["SPROCKET_VAULT_PASSPHRASE": ""])
            #expect(none.status == 1)
            #expect(none.stderr.contains("SPROCKET_VAULT_PASSPHRASE"))
            let sealedNow = try await setup.isSealed
            #expect(sealedNow)

            let unseal = try await setup.run(["unseal", "--key-file", setup.keyFile])
            #expect(unseal.status == 0, "\(unseal.stderr)")
            #expect(unseal.stdout.contains("Vault at \(setup.emulator.address) is unsealed"))
            let sealedAfter = try await setup.isSealed
            #expect(!sealedAfter)
            let status = try await setup.run(["status"])
            #expect(status.status == 0)
            try Self.expectNoSecrets([initRun, sealed, wrong, none, unseal, status], setup: setup)
        }
    }

    @Test("the key file lost: the recovery options and exit 1, no second init; --show without a terminal does nothing (emulator)")
    func lostKeyFileAndShowEmulator() async throws { try await lostKeyFileAndShow(.emulator) }

    @Test("the key file lost: the recovery options and exit 1, no second init; --show without a terminal does nothing (real OpenBao)")
    func lostKeyFileAndShowOpenBao() async throws { try await lostKeyFileAndShow(.openBao) }

    private func lostKeyFileAndShow(_ backend: VaultTestBackend) async throws {
        try await Self.withSetup(backend) { setup in
            let show = try await setup.run(["init", "--key-file", setup.keyFile, "--show"])
            #expect(show.status == 1)
            #expect(show.stderr.contains("--show") && show.stderr.contains("terminal"))
            let initialized = try await setup.isInitialized
            #expect(!initialized && !FileManager.default.fileExists(atPath: setup.keyFile))

            let initRun = try await setup.run(["init", "--key-file", setup.keyFile])
            #expect(initRun.status == 0, "\(initRun.stderr)")
            let elsewhere = "\(setup.folder.path)/moved.keys"
            try await setup.seal()  // with the root token from the key file, before it goes
            try FileManager.default.moveItem(atPath: setup.keyFile, toPath: elsewhere)
            let lost = try await setup.run(["init", "--key-file", setup.keyFile])
            #expect(lost.status == 1)
            #expect(lost.stderr.contains("already initialised") && lost.stderr.contains("restore"))
            #expect(lost.stderr.contains("vault unseal") && lost.stderr.contains("destroys"))
            #expect(!FileManager.default.fileExists(atPath: setup.keyFile))
            // No second init happened: the moved file still unseals this Vault.
            let unseal = try await setup.run(["unseal", "--key-file", elsewhere])
            #expect(unseal.status == 0, "\(unseal.stderr)")
            try FileManager.default.moveItem(atPath: elsewhere, toPath: setup.keyFile)
            try Self.expectNoSecrets([show, initRun, lost, unseal], setup: setup)
        }
    }

    @Test("a key file inside a git work tree is refused before anything reaches Vault (emulator)")
    func gitWorkTreeRefusedEmulator() async throws { try await gitWorkTreeRefused(.emulator) }

    @Test("a key file inside a git work tree is refused before anything reaches Vault (real OpenBao)")
    func gitWorkTreeRefusedOpenBao() async throws { try await gitWorkTreeRefused(.openBao) }

    private func gitWorkTreeRefused(_ backend: VaultTestBackend) async throws {
        try await Self.withSetup(backend) { setup in
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            git.arguments = ["git", "-C", setup.folder.path, "init", "-q"]
            try git.run()
            git.waitUntilExit()
            try #require(git.terminationStatus == 0)
            let run = try await setup.run(["init", "--key-file", "\(setup.folder.path)/deploy/vault.keys"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("git work tree") && run.stderr.contains(".gitignore"))
            let initialized = try await setup.isInitialized
            #expect(!initialized)
        }
    }

    @Test("vault watch as a subprocess: the emulator restarted sealed is unsealed by the watcher, which says so (emulator)")
    func watchUnsealsARestartEmulator() async throws { try await watchUnsealsARestart(.emulator) }

    @Test("vault watch as a subprocess: the emulator restarted sealed is unsealed by the watcher, which says so (real OpenBao)")
    func watchUnsealsARestartOpenBao() async throws { try await watchUnsealsARestart(.openBao) }

    private func watchUnsealsARestart(_ backend: VaultTestBackend) async throws {
        try await Self.withSetup(backend) { setup in
            let initRun = try await setup.run(["init", "--key-file", setup.keyFile])
            #expect(initRun.status == 0, "\(initRun.stderr)")

            let outPath = "\(setup.folder.path)/watch.out"
            let errPath = "\(setup.folder.path)/watch.err"
            FileManager.default.createFile(atPath: outPath, contents: nil)
            FileManager.default.createFile(atPath: errPath, contents: nil)
            let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try CLIBinary.path())
            process.arguments = ["vault", "watch", "--key-file", setup.keyFile]
            process.environment = ProcessInfo.processInfo.environment.merging(setup.environment) { $1 }
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            func output() -> String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }

            // Ready once it has seen the Vault unsealed.
            try await Self.waitFor("the watcher's first health check", timeout: .seconds(30)) {
                output().contains("is unsealed (") || !process.isRunning
            }
            try #require(process.isRunning, "watch exited: \(output()) \((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")")

            try await setup.emulator.restart()
            // No check that it is sealed now: on a loaded machine the watcher may already have unsealed it. Its
            // report below ("… unsealed … after it was seen sealed") shows it was.
            // The next health check (every 2 s) finds it sealed and unseals it at once; how fast is a benchmark's
            // question (bench/vault-unseal), so the wait is only bounded.
            try await Self.waitFor("the unseal", timeout: .seconds(30)) { try await !setup.isSealed }
            // The watcher prints its line once Vault's answer to the last share is back: wait for it.
            try await Self.waitFor("the watcher's report", timeout: .seconds(10)) {
                output().contains("Vault at \(setup.emulator.address) unsealed") || !process.isRunning
            }

            process.terminate()
            try await Self.waitFor("watch to stop", timeout: .seconds(10)) { !process.isRunning }
            try out.close()
            try err.close()
            let stdout = output()
            let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "SIGTERM stops watch cleanly: \(stderr)")
            #expect(stdout.contains("Vault at \(setup.emulator.address) unsealed"), "\(stdout)")
            try Self.expectNoSecrets([initRun], also: [stdout, stderr], setup: setup)
        }
    }

    static func waitFor(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let end = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < end else {
                Issue.record("timed out waiting for \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }
}
