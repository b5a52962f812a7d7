import ArgumentParser
import Foundation
import SprocketCore
import Vault

/// `sprocketctl docs`: the operator's inventory generated from the spec, so documentation cannot drift from what runs.
struct DocsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs", abstract: "Generate an operator's inventory of the stack from the spec.",
        discussion: """
            Services, routes (every URL per access profile), secrets by name with their source (e.g. `doppler \
            sprocket/prd JWT_SECRET`), the Vault field they pass through and their consumers (never values), Vault tokens with their recorded expiry (from the local sealed store, when the key file is \
            here), configs, volumes, PostgreSQL roles and databases, S3 buckets. Sorted, so CI can diff it.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write to this file instead of stdout.")
    var output: String?

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let stack = try runtime.loadSpec()
            let identity = StackIdentity(stack: stack.name, environment: stack.environment)
            let expiries = try await runtime.withSharedSealedStore(identity, writes: false, command: "docs") {
                try Self.recordedExpiries(runtime, stack: stack, identity: identity)
            }
            let inventory = StackInventoryBuilder(stack: stack, tokenExpiries: expiries).build()
            let bytes: [UInt8]
            if options.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                bytes = Array(try encoder.encode(inventory)) + [UInt8(ascii: "\n")]
            } else {
                bytes = Array(StackInventoryMarkdownRenderer().render(inventory).utf8)
            }
            try InventoryOutput.write(bytes, to: output, console: runtime.console)
        }
    }

    /// Token expiries as the sealed store last recorded them; empty when there are no tokens, no key file or no
    /// store (docs never creates a key or asks Vault).
    static func recordedExpiries(_ runtime: CommandRuntime, stack: StackSpec, identity: StackIdentity) throws -> [String: Date] {
        guard let tokens = stack.vault?.tokens, !tokens.isEmpty else { return [:] }
        let reports = try runtime.secretPipeline.recordedTokens(tokens, of: identity)
        return Dictionary(reports.compactMap { report in report.expiresAt.map { (report.name, $0) } }, uniquingKeysWith: { first, _ in first })
    }
}
