import ArgumentParser
import Foundation
import Orchestration
import SprocketCore
import Vault

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Per layer and service: replicas running/desired, image, update state, restarts.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Act on this stack name instead of reading the spec.")
    var stack: String?

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let identity = try runtime.identity(stackOverride: stack)
            try await runtime.withDeployment(sharingSealedStoreOf: identity) { deployment, engine in
                let driver = try await deployment.context.driver()
                let reports = try await driver.status(identity)
                let legacyNamed = DockerSecretNaming.legacyNamedSecrets(in: try await driver.observe(identity)).count
                let tokens = try Self.vaultTokens(runtime, identity: identity, stackOverride: stack)
                let external = try await Self.externalResources(runtime, deployment: deployment, engine: engine, stackOverride: stack)
                if options.json {
                    runtime.console.json(StatusOutput(
                        stack: identity.stack, environment: identity.environment, services: reports, legacyNamedSecrets: legacyNamed,
                        vaultTokens: tokens, external: external))
                    return
                }
                defer {
                    printTokens(tokens, runtime: runtime)
                    printExternal(external, runtime: runtime)
                }
                guard !reports.isEmpty else {
                    runtime.console.out("\(identity): nothing deployed")
                    return
                }
                let header = ["LAYER", "SERVICE", "REPLICAS", "IMAGE", "UPDATE", "RESTARTS"]
                let rows = reports.map { report in
                    [report.layer, report.name, "\(report.runningTasks)/\(report.desiredTasks)", report.image,
                     report.updateState ?? "-", String(report.restarts)]
                }
                for line in TextTable.render([header] + rows) { runtime.console.out(line) }
                for report in reports where report.runningTasks < report.desiredTasks {
                    if let error = report.lastError { runtime.console.out("\(report.name): \(error)") }
                }
                if legacyNamed > 0 {
                    runtime.console.out(
                        "secrets: \(legacyNamed) still named by the legacy plain hash of the value (`sprocketctl up --rekey-secrets N` moves them)")
                }
            }
        }
    }
}

extension StatusCommand {
    /// The spec's Vault tokens as the sealed store last recorded them (no Vault call, no passphrase needed).
    static func vaultTokens(_ runtime: CommandRuntime, identity: StackIdentity, stackOverride: String?) throws -> [VaultTokenKeeper.Report] {
        guard stackOverride == nil, let tokens = (try? runtime.loadSpec())?.vault?.tokens, !tokens.isEmpty else { return [] }
        return try runtime.secretPipeline.recordedTokens(tokens, of: identity)
    }

    /// The declared databases, roles and buckets as their systems report them (asks PostgreSQL and S3).
    static func externalResources(
        _ runtime: CommandRuntime, deployment: Deployment, engine: EngineHandle, stackOverride: String?
    ) async throws -> [ExternalResourceStatus] {
        guard stackOverride == nil, let spec = try? runtime.loadSpec(), spec.postgres != nil || spec.s3 != nil else { return [] }
        let secrets = try deployment.secrets(for: spec)
        var statuses: [ExternalResourceStatus] = []
        for provider in try ExternalProviders.make(spec, secrets: secrets, environment: runtime.environment, engine: engine, logger: runtime.logger) {
            statuses += try await provider.status()
        }
        return statuses
    }

    func printExternal(_ statuses: [ExternalResourceStatus], runtime: CommandRuntime) {
        guard !statuses.isEmpty else { return }
        let rows = statuses.map { [$0.system, $0.kind, $0.name, $0.exists ? "present" : "missing", $0.details.joined(separator: "; ")] }
        runtime.console.out("")
        for line in TextTable.render([["SYSTEM", "KIND", "NAME", "STATE", "DETAILS"]] + rows) { runtime.console.out(line) }
    }

    func printTokens(_ tokens: [VaultTokenKeeper.Report], runtime: CommandRuntime) {
        guard !tokens.isEmpty else { return }
        let now = Date()
        let rows = tokens.map { token in
            let left = token.expiresAt.map { TokenExpiry.describe($0.timeIntervalSince(now)) } ?? "-"
            return [token.name, token.secret, token.consumers.joined(separator: ","), token.expiresAt.map { $0.formatted(.iso8601) } ?? "not minted",
                    left, token.periodic ? "periodic" : "ttl"]
        }
        runtime.console.out("")
        for line in TextTable.render([["VAULT TOKEN", "SECRET", "CONSUMERS", "EXPIRES", "LEFT", "KIND"]] + rows) { runtime.console.out(line) }
    }
}

/// "12d 3h", "45m", "expired".
enum TokenExpiry {
    static func describe(_ seconds: TimeInterval) -> String {
        guard seconds > 0 else { return "expired" }
        let minutes = Int(seconds) / 60
        let (days, hours) = (minutes / 1440, minutes / 60 % 24)
        if days > 0 { return "\(days)d \(hours)h" }
        return hours > 0 ? "\(hours)h \(minutes % 60)m" : "\(minutes)m"
    }
}

struct StatusOutput: Encodable {
    var stack: String
    var environment: String
    var services: [ServiceStatusReport]
    /// Secrets still named by the legacy plain hash of their value (docs/secrets.md, "How secrets are named").
    var legacyNamedSecrets: Int
    /// The stack's Vault tokens (`vault.tokens`) with their recorded expiry.
    var vaultTokens: [VaultTokenKeeper.Report]
    /// The declared databases, roles and buckets (`postgres:`, `s3:`) as they stand.
    var external: [ExternalResourceStatus]
}

/// Left-aligned columns separated by two spaces.
enum TextTable {
    static func render(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in
            rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
