import ArgumentParser
import Foundation
import Vault

/// `sprocketctl vault status`: seal state, progress, threshold, version. Never a secret.
struct VaultStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether Vault is initialised and sealed, the unseal progress and threshold, and its version.",
        discussion: """
            Exit codes: 0 initialised and unsealed; 2 sealed or not initialised (like `vault operator init -status`, \
            so scripts can test it); 1 Vault could not be asked. No passphrase is needed.
            """)

    /// The exit code for a Vault that is sealed or not initialised.
    static let sealedExitCode: Int32 = 2

    @OptionGroup var options: VaultOptions

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    struct Output: Encodable {
        var address: String
        var initialized: Bool
        var sealed: Bool
        var progress: Int
        var threshold: Int
        var shares: Int
        var type: String
        var version: String
        var keyFile: String
        var keyFilePresent: Bool
    }

    func run() async throws {
        try await VaultCommandRuntime.run(options, json: json) { runtime, client in
            let status = try await client.sealStatus()
            let output = Output(
                address: client.configuration.address, initialized: status.initialized, sealed: status.sealed,
                progress: status.progress, threshold: status.threshold, shares: status.shares, type: status.type,
                version: status.version, keyFile: runtime.keyFilePath, keyFilePresent: runtime.keyFile.exists)
            if json {
                runtime.console.json(output)
            } else {
                for line in Self.render(output) { runtime.console.out(line) }
            }
            if !status.initialized || status.sealed { throw ExitCode(Self.sealedExitCode) }
        }
    }

    static func render(_ output: Output) -> [String] {
        let state =
            !output.initialized ? "not initialised (run `sprocketctl vault init`)"
            : output.sealed ? "sealed (unseal progress \(output.progress) of \(output.threshold))" : "unsealed"
        var rows = [["Vault", output.address], ["State", state]]
        if output.initialized { rows.append(["Shares", "\(output.shares) (threshold \(output.threshold)), seal type \(output.type)"]) }
        rows.append(["Version", output.version.isEmpty ? "-" : output.version])
        rows.append(["Key file", output.keyFile + (output.keyFilePresent ? "" : " (missing)")])
        return TextTable.render(rows)
    }
}
