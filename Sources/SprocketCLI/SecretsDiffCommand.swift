import ArgumentParser
import Foundation
import SprocketCore

/// `secrets diff`: each manifest secret's source vs Vault vs the Docker secret each consumer mounts, by
/// fingerprints. Exit 0 when everything is in step, 2 when something is stale, 1 on error.
struct SecretsDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Show where every hop of each secret stands, by fingerprints.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let stack = try runtime.loadSpec()
            guard !stack.secretManifest.isEmpty else {
                runtime.console.err("secrets diff: the stack has no `secrets:` manifest")
                return
            }
            let identity = StackIdentity(stack: stack.name, environment: stack.environment)
            let sourceValues = try await ManifestSourceReader(runtime: runtime, stack: stack).read(stack.secretManifest)
            let key = try SecretKey.loadOrCreate(at: runtime.keyFilePath)
            let (storedValues, namingKey) = try await runtime.withSharedSealedStore(identity, writes: false) {
                let store = try SealedSecretStore(path: runtime.store(for: identity).sealedSecretsPath, key: key, identity: identity)
                var values: [String: SensitiveBytes] = [:]
                for entry in stack.secretManifest.entries {
                    guard case .generate = entry.source, let value = try store.value(named: entry.storeKey) else { continue }
                    values[entry.name] = SensitiveBytes(value)
                }
                return (values, try SecretNamingKey.stored(in: store))
            }
            let vault = try ManifestSync.vaultHop(for: stack, runtime: runtime)
            var rows: [SecretManifestDiffer.Row] = []
            do {
                try await runtime.withDeployment { _, engine in
                    let services = Array(Set(stack.secretManifest.entries.flatMap { $0.consumers.map(\.service) })).sorted()
                    let mounts = try await SecretManifestDiffer.serviceMounts(try await engine.driver().client, identity: identity, services: services)
                    rows = try await SecretManifestDiffer(
                        stack: stack, key: key, vault: vault, mounts: mounts, storedValues: storedValues, namingKey: namingKey
                    ).diff(sourceValues: sourceValues)
                }
                await vault?.close()
            } catch {
                await vault?.close()
                throw error
            }
            if options.json {
                for row in rows { runtime.console.json(row) }
            } else {
                for line in Self.table(rows) { runtime.console.out(line) }
            }
            if rows.contains(where: { !$0.inStep }) { throw ExitCode(ExitStatus.changesPresent) }
        }
    }

    /// One block per secret: its hops, then its problems (or "in step").
    static func table(_ rows: [SecretManifestDiffer.Row]) -> [String] {
        var lines: [String] = []
        for row in rows {
            lines.append("\(row.name): \(row.inStep ? "in step" : "STALE")")
            lines.append("  source   \(row.source)  \(short(row.sourceFingerprint))")
            if let vault = row.vault {
                lines.append("  vault    \(vault) \(row.vaultVersion.map { "v\($0)" } ?? "(absent)")  \(short(row.vaultFingerprint))")
            }
            for hop in row.services {
                lines.append("  service  \(hop.service) \(hop.target)  \(hop.mounted ?? "(not mounted)")\(hop.inStep ? "" : "  expected \(hop.expected)")")
            }
            for problem in row.problems { lines.append("  ! \(problem)") }
        }
        return lines
    }

    private static func short(_ fingerprint: String?) -> String {
        guard let fingerprint else { return "-" }
        return String(fingerprint.prefix("hmac-sha256:".count + 12))
    }
}
