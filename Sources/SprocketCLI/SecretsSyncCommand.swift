import ArgumentParser
import Foundation
import Orchestration
import SecretPipeline
import SprocketCore
import Vault

/// `secrets sync`: reads every manifest secret from its source, provisions Vault, and keeps the value the Docker
/// secret is created from. The Docker secrets and the consuming services follow at the next `up` (which syncs
/// first itself); `sync` alone never touches Docker.
struct SecretsSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Move secrets from their source through Vault into the values `up` deploys as Docker secrets.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let stack = try runtime.loadSpec()
            guard !stack.secretManifest.isEmpty else {
                runtime.console.err("secrets sync: the stack has no `secrets:` manifest")
                return
            }
            let reports = try await runtime.runEnvironment.syncSecrets(stack, command: "secrets sync")
            for report in reports {
                if options.json { runtime.console.json(report) } else { runtime.console.out(SecretSyncLine.describe(report)) }
            }
        }
    }
}
