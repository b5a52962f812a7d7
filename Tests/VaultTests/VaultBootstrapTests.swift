import Foundation
import SprocketTestSupport
import Synchronization
import Testing
import Vault

/// The `vault init` state machine and the unsealer against the emulator.
@Suite("VaultBootstrap: idempotent init, key custody first, recovery without a second init")
struct VaultBootstrapTests {
    static let passphrase = "bootstrap test passphrase"

    /// A key file under a fresh temporary folder (outside any git work tree), cheap scrypt for tests.
    static func keyFile(in folder: TemporaryDirectory, name: String = "vault/keys") -> VaultKeyFile {
        VaultKeyFile(path: "\(folder.path)/\(name)", cost: .testing)
    }

    /// A fresh server of `backend`, a client for it, and a key file path in a fresh temporary folder.
    static func withFixture(
        _ backend: VaultTestBackend = .emulator,
        _ body: (TemporaryDirectory, any VaultTestServer, VaultClient, VaultKeyFile) async throws -> Void
    ) async throws {
        let folder = try TemporaryDirectory(prefix: "vault-bootstrap")
        defer { folder.remove() }
        try await withFreshVault(backend) { server, client in try await body(folder, server, client, keyFile(in: folder)) }
    }

    /// Counts passphrase requests, to show which runs needed none.
    final class PassphraseLog: Sendable {
        let requests = Mutex<[VaultPassphraseRequest]>([])
        let answer: String
        init(answer: String = VaultBootstrapTests.passphrase) { self.answer = answer }
        var provider: VaultPassphraseProvider {
            { [self] request in
                requests.withLock { $0.append(request) }
                return answer
            }
        }
        var count: Int { requests.withLock { $0.count } }
    }

    @Test("uninitialised: init 5/3, keys saved (0600) before the unseal, unsealed; a second run changes nothing (emulator)")
    func freshVaultEmulator() async throws { try await freshVault(.emulator) }

    @Test("uninitialised: init 5/3, keys saved (0600) before the unseal, unsealed; a second run changes nothing (real OpenBao)")
    func freshVaultOpenBao() async throws { try await freshVault(.openBao) }

    private func freshVault(_ backend: VaultTestBackend) async throws {
        try await Self.withFixture(backend) { _, emulator, client, file in
            let log = PassphraseLog()
            let first = try await VaultBootstrap(client: client, keyFile: file, passphrase: log.provider).run()
            #expect(first.outcome == .initialized(keyFiles: [file.path]))
            #expect(!first.status.sealed)
            #expect(try await emulator.isSealedNow() == false)
            #expect(log.requests.withLock { $0 } == [.keyFile(path: file.path, isNew: true)])
            let saved = try file.load(passphrase: Self.passphrase)
            #expect(saved.unsealKeys.count == 5 && saved.threshold == 3 && saved.rootToken.hasPrefix("s."))
            #expect(saved == first.material)
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file.path))

            let second = try await VaultBootstrap(client: client, keyFile: file, passphrase: log.provider).run()
            #expect(second.outcome == .alreadyInitialized(unsealedNow: false))
            #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == bytes, "the key file is not rewritten")
            #expect(second.material.rootToken == saved.rootToken)
        }
    }

    @Test("initialised and sealed, key file at hand: unsealed with it, no init (emulator)")
    func sealedWithKeyFileEmulator() async throws { try await sealedWithKeyFile(.emulator) }

    @Test("initialised and sealed, key file at hand: unsealed with it, no init (real OpenBao)")
    func sealedWithKeyFileOpenBao() async throws { try await sealedWithKeyFile(.openBao) }

    private func sealedWithKeyFile(_ backend: VaultTestBackend) async throws {
        try await Self.withFixture(backend) { _, emulator, client, file in
            let first = try await VaultBootstrap(client: client, keyFile: file, passphrase: PassphraseLog().provider).run()
            try await emulator.seal(rootToken: first.material.rootToken)
            #expect(try await emulator.isSealedNow())
            let again = try await VaultBootstrap(client: client, keyFile: file, passphrase: PassphraseLog().provider).run()
            #expect(again.outcome == .alreadyInitialized(unsealedNow: true))
            #expect(try await emulator.isSealedNow() == false)
            #expect(again.material == first.material, "the same keys: nothing was initialised again")
        }
    }

    @Test("initialised but the key file is lost: the recovery options, never a second init; the original keys still unseal (emulator)")
    func keyFileLostEmulator() async throws { try await keyFileLost(.emulator) }

    @Test("initialised but the key file is lost: the recovery options, never a second init; the original keys still unseal (real OpenBao)")
    func keyFileLostOpenBao() async throws { try await keyFileLost(.openBao) }

    private func keyFileLost(_ backend: VaultTestBackend) async throws {
        try await Self.withFixture(backend) { folder, emulator, client, file in
            let first = try await VaultBootstrap(client: client, keyFile: file, passphrase: PassphraseLog().provider).run()
            let backup = VaultKeyFile(path: "\(folder.path)/backup/keys", cost: .testing)
            try FileManager.default.createDirectory(atPath: "\(folder.path)/backup", withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: file.path, toPath: backup.path)
            try await emulator.seal(rootToken: first.material.rootToken)

            let log = PassphraseLog()
            let expected = VaultBootstrapError.keysMissing(address: emulator.address, keyFile: file.path, threshold: 3, shares: 5)
            await #expect(throws: expected) {
                try await VaultBootstrap(client: client, keyFile: file, passphrase: log.provider).run()
            }
            #expect(log.count == 0, "no passphrase is asked for: nothing is initialised or written")
            #expect(!file.exists)
            for option in ["restore", "custodians", "vault unseal", "last resort", "destroys"] {
                #expect(expected.description.contains(option), "recovery text names \(option)")
            }
            // Vault still has its original keys: the backed-up file unseals it.
            let state = try await emulator.currentSealState()
            #expect(state.initialized && state.sealed)
            try await VaultUnsealer(client: client).unseal(with: try backup.load(passphrase: Self.passphrase))
            #expect(try await emulator.isSealedNow() == false)
        }
    }

    @Test("a wrong passphrase: a clear error, Vault still sealed, the key file unchanged (emulator)")
    func wrongPassphraseEmulator() async throws { try await wrongPassphrase(.emulator) }

    @Test("a wrong passphrase: a clear error, Vault still sealed, the key file unchanged (real OpenBao)")
    func wrongPassphraseOpenBao() async throws { try await wrongPassphrase(.openBao) }

    private func wrongPassphrase(_ backend: VaultTestBackend) async throws {
        try await Self.withFixture(backend) { _, emulator, client, file in
            let first = try await VaultBootstrap(client: client, keyFile: file, passphrase: PassphraseLog().provider).run()
            try await emulator.seal(rootToken: first.material.rootToken)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file.path))
            await #expect(throws: VaultCustodyError.wrongPassphrase(path: file.path)) {
                try await VaultBootstrap(client: client, keyFile: file, passphrase: PassphraseLog(answer: "not the right passphrase").provider).run()
            }
            #expect(try await emulator.isSealedNow())
            #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == bytes)
            let status = try await client.sealStatus()
            #expect(status.progress == 0, "no share was submitted")
        }
    }

    @Test("a key file path inside a git work tree that git does not ignore is refused before anything is sent to Vault")
    func insideGitWorkTree() async throws {
        let repo = try TemporaryDirectory(prefix: "vault-bootstrap-repo")
        defer { repo.remove() }
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", repo.path, "init", "-q"]
        try git.run()
        git.waitUntilExit()
        try #require(git.terminationStatus == 0, "git init failed")
        // A server that records every request: the refusal must come before the first one.
        let requests = Mutex(0)
        let server = try await StubHTTPServer.start(on: .tcp()) { _ in
            requests.withLock { $0 += 1 }
            return .json(#"{"initialized":false,"sealed":true,"t":0,"n":0,"progress":0,"type":"shamir"}"#, status: 200)
        }
        let file = VaultKeyFile(path: "\(repo.path)/deploy/vault.keys", cost: .testing)
        let log = PassphraseLog()
        let address = try #require(server.baseURL)
        try await withVaultClient(address: address, token: nil) { client in
            await #expect(throws: VaultCustodyError.insideGitWorkTree(path: file.path, workTree: repo.path)) {
                try await VaultBootstrap(client: client, keyFile: file, passphrase: log.provider).run()
            }
        }
        try await server.shutdown()
        #expect(requests.withLock { $0 } == 0)
        #expect(log.count == 0 && !file.exists)
        // And against the emulator: still uninitialised afterwards.
        try await withFreshVault { emulator, client in
            await #expect(throws: VaultCustodyError.self) {
                try await VaultBootstrap(client: client, keyFile: file, passphrase: log.provider).run()
            }
            let initialized = try await emulator.currentSealState().initialized
            #expect(!initialized)
        }
    }

    @Test("an uninitialised Vault never overwrites an existing key file (emulator)")
    func keyFileInTheWayEmulator() async throws { try await keyFileInTheWay(.emulator) }

    @Test("an uninitialised Vault never overwrites an existing key file (real OpenBao)")
    func keyFileInTheWayOpenBao() async throws { try await keyFileInTheWay(.openBao) }

    private func keyFileInTheWay(_ backend: VaultTestBackend) async throws {
        let folder = try TemporaryDirectory(prefix: "vault-bootstrap")
        defer { folder.remove() }
        try folder.write("vault/keys", "someone else's keys")
        try await withFreshVault(backend) { emulator, client in
            let file = Self.keyFile(in: folder)
            await #expect(throws: VaultBootstrapError.keyFileInTheWay(address: emulator.address, keyFile: file.path)) {
                try await VaultBootstrap(client: client, keyFile: file, passphrase: PassphraseLog().provider).run()
            }
            let initialized = try await emulator.currentSealState().initialized
            #expect(!initialized)
            let content = try String(contentsOfFile: file.path, encoding: .utf8)
            #expect(content == "someone else's keys")
        }
    }

    @Test("shares and threshold Vault would refuse, and a weak passphrase, are refused before init", arguments: [
        (0, 0), (3, 1), (256, 3), (3, 5),
    ])
    func refusedBeforeInit(shares: Int, threshold: Int) async throws {
        try await Self.withFixture { _, emulator, client, file in
            await #expect(throws: VaultBootstrapError.self) {
                try await VaultBootstrap(client: client, keyFile: file, passphrase: PassphraseLog().provider)
                    .run(.init(shares: shares, threshold: threshold))
            }
            await #expect(throws: VaultCustodyError.weakPassphrase(minimumLength: 12)) {
                try await VaultBootstrap(client: client, keyFile: file, passphrase: PassphraseLog(answer: "short").provider).run()
            }
            let initialized = try await emulator.currentSealState().initialized
            #expect(!initialized && !file.exists)
        }
    }

    @Test("separate custody: one file per share, the key file keeps no share; custodians' shares unseal it one by one (emulator)")
    func separateSharesEmulator() async throws { try await separateShares(.emulator) }

    @Test("separate custody: one file per share, the key file keeps no share; custodians' shares unseal it one by one (real OpenBao)")
    func separateSharesOpenBao() async throws { try await separateShares(.openBao) }

    private func separateShares(_ backend: VaultTestBackend) async throws {
        try await Self.withFixture(backend) { _, emulator, client, file in
            let log = PassphraseLog()
            let report = try await VaultBootstrap(client: client, keyFile: file, passphrase: log.provider)
                .run(.init(shares: 3, threshold: 2, separateShares: true))
            let sharePaths = VaultBootstrap.sharePaths(of: file.path, count: 3)
            #expect(report.outcome == .initialized(keyFiles: [file.path] + sharePaths))
            #expect(log.count == 4, "the key file and each share have their own passphrase")
            #expect(try await emulator.isSealedNow() == false)
            let rootOnly = try file.load(passphrase: Self.passphrase)
            #expect(rootOnly.unsealKeys.isEmpty && rootOnly.rootToken == report.material.rootToken)

            try await emulator.seal(rootToken: report.material.rootToken)
            await #expect(throws: VaultBootstrapError.notEnoughKeys(address: emulator.address, keyFile: file.path, have: 0, need: 2)) {
                try await VaultBootstrap(client: client, keyFile: file, passphrase: log.provider).run()
            }
            let unsealer = VaultUnsealer(client: client)
            let first = try VaultKeyFile.loadShare(at: sharePaths[2], passphrase: Self.passphrase)
            #expect(try await unsealer.submit(share: VaultSecretString(first)) == .progress(1, of: 2))
            try await unsealer.reset()
            #expect(try await client.sealStatus().progress == 0)
            _ = try await unsealer.submit(share: VaultSecretString(first))
            let second = try VaultKeyFile.loadShare(at: sharePaths[0], passphrase: Self.passphrase)
            #expect(try await unsealer.submit(share: VaultSecretString(second)) == .unsealed)
            #expect(try await emulator.isSealedNow() == false)
        }
    }

    @Test("keys of another Vault: invalidKeys naming the key file, nothing more submitted, progress reset, Vault stays sealed (emulator)")
    func keysOfAnotherVaultEmulator() async throws { try await keysOfAnotherVault(.emulator) }

    @Test("keys of another Vault: invalidKeys naming the key file, nothing more submitted, progress reset, Vault stays sealed (real OpenBao)")
    func keysOfAnotherVaultOpenBao() async throws { try await keysOfAnotherVault(.openBao) }

    private func keysOfAnotherVault(_ backend: VaultTestBackend) async throws {
        let folder = try TemporaryDirectory(prefix: "vault-bootstrap")
        defer { folder.remove() }
        let other = try await withFreshVault(backend) { _, client in
            try await VaultBootstrap(client: client, keyFile: Self.keyFile(in: folder, name: "other"), passphrase: PassphraseLog().provider)
                .run().material
        }
        try await withFreshVault(backend) { emulator, client in
            let own = try await VaultBootstrap(client: client, keyFile: Self.keyFile(in: folder), passphrase: PassphraseLog().provider).run()
            try await emulator.seal(rootToken: own.material.rootToken)
            let error = await #expect(throws: VaultBootstrapError.invalidKeys(address: emulator.address, keyFile: "other")) {
                try await VaultUnsealer(client: client).unseal(with: other, keyFile: "other")
            }
            let status = try await client.sealStatus()
            #expect(status.sealed && status.progress == 0, "the 4th and 5th keys were not submitted after the rejection")
            let text = error?.description ?? ""
            #expect(text.contains(emulator.address) && text.contains("other") && text.contains("another Vault"))
            for secret in other.unsealKeys + own.material.unsealKeys { #expect(!text.contains(secret)) }
            try await VaultUnsealer(client: client).unseal(with: own.material)
            #expect(try await emulator.isSealedNow() == false, "the right keys still unseal it")
        }
    }
}

@Suite("VaultBootstrap watcher: unseals a restarted Vault and waits out an unreachable one")
struct VaultBootstrapWatcherTests {
    /// Collects events and lets a test wait for one.
    final class EventLog: Sendable {
        let events = Mutex<[VaultWatcher.Event]>([])
        func append(_ event: VaultWatcher.Event) { events.withLock { $0.append(event) } }
        func wait(_ what: String, deadline: Duration = .seconds(20), until matches: (VaultWatcher.Event) -> Bool) async throws {
            let end = ContinuousClock.now + deadline
            while ContinuousClock.now < end {
                if events.withLock({ $0.contains(where: matches) }) { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("no \(what) event; saw \(events.withLock { $0 })")
        }
        func clear() { events.withLock { $0 = [] } }
    }

    @Test("restarted sealed, then stopped for a while: reported, waited out, unsealed each time; cancellation ends it")
    func restartAndOutage() async throws {
        let folder = try TemporaryDirectory(prefix: "vault-watch")
        defer { folder.remove() }
        try await withFreshVault(directory: "\(folder.path)/storage") { server, client in
            let emulator = try #require(server as? VaultEmulator)
            let report = try await VaultBootstrap(
                client: client, keyFile: VaultKeyFile(path: "\(folder.path)/keys", cost: .testing),
                passphrase: { _ in VaultBootstrapTests.passphrase }
            ).run()
            let log = EventLog()
            let watcher = VaultWatcher(client: client, material: report.material, interval: .milliseconds(200))
            let task = Task { await watcher.run { log.append($0) } }
            try await log.wait("healthy") { if case .healthy = $0 { true } else { false } }

            try await emulator.restart()
            try await log.wait("unsealed") { if case .unsealed = $0 { true } else { false } }
            #expect(!emulator.isSealed)

            task.cancel()
            await task.value

            // An outage: nothing listens (a fresh client, so no kept-alive connection hides it), then Vault comes
            // back from its storage, sealed.
            try await emulator.stop()
            let outage = EventLog()
            try await withVaultClient(address: emulator.address, token: nil) { fresh in
                let patient = VaultWatcher(client: fresh, material: report.material, interval: .milliseconds(200))
                let second = Task { await patient.run { outage.append($0) } }
                try await outage.wait("unreachable") { if case .unreachable = $0 { true } else { false } }
                try await Task.sleep(for: .seconds(1))
                #expect(outage.events.withLock { $0 }.count == 1, "an outage is reported once, not every check")
                let revived = try await VaultEmulator.start(directory: "\(folder.path)/storage", port: emulator.port)
                try await outage.wait("unsealed after the outage") { if case .unsealed = $0 { true } else { false } }
                #expect(!revived.isSealed)
                second.cancel()
                await second.value
                try await revived.stop()
            }
            let descriptions = (log.events.withLock { $0 } + outage.events.withLock { $0 }).map(\.description)
                .joined(separator: "\n")
            #expect(descriptions.contains(emulator.address))
            for secret in report.material.unsealKeys + [report.material.rootToken] {
                #expect(!descriptions.contains(secret))
            }
        }
    }

    @Test("a real OpenBao restarted, then killed and started again: the watcher unseals it each time and reports the outage once (real OpenBao)")
    func openBaoRestartAndCrash() async throws {
        let folder = try TemporaryDirectory(prefix: "vault-watch")
        defer { folder.remove() }
        try await withFreshVault(.openBao) { server, client in
            let bao = try #require(server as? OpenBaoServer)
            let report = try await VaultBootstrap(
                client: client, keyFile: VaultKeyFile(path: "\(folder.path)/keys", cost: .testing),
                passphrase: { _ in VaultBootstrapTests.passphrase }
            ).run()
            let log = EventLog()
            try await withVaultClient(address: bao.address, token: nil) { watched in
                let watcher = VaultWatcher(client: watched, material: report.material, interval: .milliseconds(200))
                let task = Task { await watcher.run { log.append($0) } }
                try await log.wait("healthy") { if case .healthy = $0 { true } else { false } }

                log.clear()
                try await bao.restart()
                try await log.wait("unsealed after a restart") { if case .unsealed = $0 { true } else { false } }
                #expect(try await bao.isSealedNow() == false)

                log.clear()
                await bao.kill()
                try await log.wait("unreachable") { if case .unreachable = $0 { true } else { false } }
                try await bao.restart()
                try await log.wait("unsealed after the crash", deadline: .seconds(30)) { if case .unsealed = $0 { true } else { false } }
                #expect(try await bao.isSealedNow() == false)
                let unreachable = log.events.withLock { $0 }.filter { if case .unreachable = $0 { true } else { false } }
                #expect(unreachable.count == 1, "an outage is reported once, not every check")
                task.cancel()
                await task.value
            }
            try await client.waitUntilActive()
            client.setToken(VaultSecretString(report.material.rootToken))
            #expect(try await client.lookupSelf().policies == ["root"], "the same data after a crash")
            let descriptions = log.events.withLock { $0 }.map(\.description).joined(separator: "\n")
            for secret in report.material.unsealKeys + [report.material.rootToken] {
                #expect(!descriptions.contains(secret))
            }
        }
    }
}
