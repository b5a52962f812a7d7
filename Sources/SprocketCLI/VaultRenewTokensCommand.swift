import ArgumentParser
import Foundation
import Vault
#if canImport(Glibc)
import Glibc
#endif

/// `sprocketctl vault renew-tokens FILE...`: keeps the consumers' tokens alive between runs of `up`, each renewing
/// itself; what the `vault.renewer` service runs.
struct VaultRenewTokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew-tokens",
        abstract: "Renew Vault tokens kept in files before they expire, each with its own credential.",
        discussion: """
            Every --interval, each token looks itself up (auth/token/lookup-self) and, once less than half of its \
            period or creation TTL remains, renews itself for a full one (auth/token/renew-self, which Vault's \
            default policy allows). Needs no other credential, never mints or replaces a token: a token Vault \
            refuses or that reached its max TTL is reported, and the next `sprocketctl up` mints a new one. The files \
            are read again at every pass. Prints renewals and changes (NDJSON with --json); stops on SIGINT or \
            SIGTERM with exit code 0, or after one pass with --once (exit code 1 if a token failed).
            """)

    @OptionGroup var options: VaultOptions

    @Argument(help: "Files holding one token each (e.g. /run/secrets/vault-token-platform).")
    var files: [String]

    @Option(help: "Time between passes, e.g. 1m, 30s.", transform: VaultWatchCommand.parseInterval)
    var interval: Duration = .seconds(60)

    @Flag(help: "One pass, then exit.")
    var once = false

    @Flag(help: "Print events as NDJSON on stdout.")
    var json = false

    struct EventOutput: Encodable {
        var time: Date
        var event: String
        var token: String
        var message: String
    }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one token file") }
    }

    func run() async throws {
        try await VaultCommandRuntime.run(options, json: json, requestTimeout: .seconds(10)) { runtime, client in
            let tokenFiles = files.map { (name: ($0 as NSString).lastPathComponent, path: $0) }
            let renewer = VaultTokenRenewer(client: client, tokenFiles: tokenFiles, interval: interval)
            let console = runtime.console
            let asJSON = json
            let report: @Sendable (VaultTokenRenewer.Event) -> Void = { event in
                if asJSON {
                    console.json(EventOutput(time: Date(), event: event.kind, token: event.token, message: event.description))
                } else {
                    console.out("\(Date().formatted(.iso8601)) \(event)")
                }
            }
            if once {
                let events = await renewer.pass()
                events.forEach(report)
                if events.contains(where: { $0.kind == "failed" || $0.kind == "rejected" }) { throw ExitCode(ExitStatus.failure) }
                return
            }
            if !asJSON {
                console.out("renewing \(files.count) tokens at \(client.configuration.address) every \(VaultWatcher.Event.seconds(interval))")
            }
            let task = Task { await renewer.run(events: report) }
            let signals = VaultWatchCommand.cancelling(task, on: [SIGINT, SIGTERM])
            await task.value
            signals.forEach { $0.cancel() }
        }
    }
}
