import ArgumentParser
import Dispatch
import Foundation
import SprocketCore
import Vault
#if canImport(Glibc)
import Glibc
#endif

/// `sprocketctl vault watch`: a long-running unsealer, for a host daemon (systemd, nohup) or a Swarm service.
struct VaultWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Keep Vault unsealed: check its health every interval and unseal it when it comes back sealed.",
        discussion: """
            Opens the key file once at start (passphrase from --passphrase-file, else SPROCKET_VAULT_PASSPHRASE when \
            run as a daemon), then checks sys/health every --interval. Vault being unreachable is reported and waited out. Prints \
            one line per change on stdout (NDJSON with --json). Stops on SIGINT or SIGTERM with exit code 0. It \
            never initialises Vault.
            """)

    @OptionGroup var options: VaultOptions

    @Option(help: "Time between health checks, e.g. 2s, 500ms, 1m.", transform: VaultWatchCommand.parseInterval)
    var interval: Duration = .seconds(2)

    @Option(help: "Read the key file's passphrase from this file (a Docker secret, a systemd credential) instead of the environment.")
    var passphraseFile: String?

    @Flag(help: "Print events as NDJSON on stdout.")
    var json = false

    struct EventOutput: Encodable {
        var time: Date
        var event: String
        var address: String
        var message: String
    }

    func run() async throws {
        try await VaultCommandRuntime.run(options, json: json, requestTimeout: .seconds(10)) { runtime, client in
            let material = try Self.loadMaterial(runtime, passphraseFile: passphraseFile)
            let watcher = VaultWatcher(client: client, material: material, keyFile: runtime.keyFilePath, interval: interval)
            let console = runtime.console
            let asJSON = json
            if !asJSON { console.out("watching Vault at \(client.configuration.address) every \(VaultWatcher.Event.seconds(interval))") }
            let task = Task {
                await watcher.run { event in
                    if asJSON {
                        console.json(EventOutput(time: Date(), event: Self.kind(event), address: client.configuration.address, message: event.description))
                    } else {
                        console.out("\(Date().formatted(.iso8601)) \(event)")
                    }
                }
            }
            let signals = Self.cancelling(task, on: [SIGINT, SIGTERM])
            await task.value
            signals.forEach { $0.cancel() }
            if !asJSON { console.out("stopped watching Vault at \(client.configuration.address)") }
        }
    }

    /// The key material, which must hold at least one share (separate custody keeps none in the key file).
    static func loadMaterial(_ runtime: VaultCommandRuntime, passphraseFile: String? = nil) throws -> VaultKeyMaterial {
        let keyFile = runtime.keyFile
        guard keyFile.exists else { throw VaultCustodyError.missing(path: keyFile.path) }
        let passphrase = try passphraseFile.map(readPassphrase)
            ?? runtime.passphrases.passphrase(for: .keyFile(path: keyFile.path, isNew: false))
        let material = try keyFile.load(passphrase: passphrase)
        material.registerForRedaction()
        guard material.unsealKeys.count >= max(material.threshold, 1) else {
            throw VaultBootstrapError.notEnoughKeys(
                address: material.vaultAddress, keyFile: keyFile.path, have: material.unsealKeys.count, need: material.threshold)
        }
        return material
    }

    /// The passphrase in `path`, without its trailing newline.
    static func readPassphrase(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw VaultInputError.unreadablePassphraseFile(path: path) }
        let text = String(decoding: data, as: UTF8.self)
        let passphrase = text.hasSuffix("\n") ? String(text.dropLast()) : text
        guard !passphrase.isEmpty else { throw VaultInputError.unreadablePassphraseFile(path: path) }
        SecretRedactor.shared.register(passphrase, name: "vault-passphrase")
        return passphrase
    }

    /// Cancels `task` on the given signals (their default action, ending the process, is turned off).
    static func cancelling(_ task: Task<Void, Never>, on signalNumbers: [Int32]) -> [any DispatchSourceSignal] {
        signalNumbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
    }

    static func kind(_ event: VaultWatcher.Event) -> String {
        switch event {
        case .healthy: "healthy"
        case .sealed: "sealed"
        case .unsealed: "unsealed"
        case .unsealFailed: "unseal-failed"
        case .notInitialized: "not-initialized"
        case .unreachable: "unreachable"
        }
    }

    /// `2s`, `500ms`, `1m`, or a bare number of seconds; at least 100 ms.
    static func parseInterval(_ text: String) throws -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        let (number, scale) = units.first { trimmed.hasSuffix($0.0) }.map { (String(trimmed.dropLast($0.0.count)), $0.1) } ?? (trimmed, 1)
        guard let value = Double(number), value.isFinite, value * scale >= 0.1, value * scale <= 3600 else {
            throw VaultInputError.badInterval(text)
        }
        return .milliseconds(Int((value * scale * 1000).rounded()))
    }
}
